export function rebalance(pager: Pager, parent: Node, i: number, node: Node, trace: TraceListener | undefined): void {
  const useLeft = i > 0;
  // j: the index in the parent of the right one of the pair.
  const j = useLeft ? i : i + 1;
  const sibling = pager.get(parent.children[useLeft ? i - 1 : i + 1]!);
  const L = useLeft ? sibling : node;
  const R = useLeft ? node : sibling;
  const leaf = node.leaf;
  // The two joined; a branch's right half takes the parent's separator as its first key.
  const joined: TreePage = leaf
    ? { leaf, keys: [...L.keys, ...R.keys], values: [...L.values, ...R.values], children: [] }
    : { leaf, keys: [...L.keys, parent.keys[j]!, ...R.keys.slice(1)], values: [], children: [...L.children, ...R.children] };
  if (nodeSize(joined) <= pager.pageSize) {
    // Merge: everything into the left page; the right page is freed.
    const left = pager.writable(L);
    parent.children[j - 1] = left.id;
    assign(left, joined);
    pager.touch(left);
    pager.free(R.id, leaf ? 'leaf' : 'branch');
    parent.keys.splice(j, 1);
    parent.children.splice(j, 1);
    pager.touch(parent);
    trace?.({ type: 'btree.merge', into: left.id, from: R.id, leaf, keys: left.keys.length, parent: parent.id });
    return;
  }
  // START OF THE EXERCISE: the two do not fit in one page. Borrow instead: join them, cut
  // the result at the byte midpoint (chooseCut, cutAt), give each page one half (both made
  // writable), put the new separator in the parent at index j, touch all three pages, and
  // trace btree.borrow. Until then the page stays underfull.
  void chooseCut;
  void cutAt;
  void display;
}
