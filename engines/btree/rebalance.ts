/**
 * rebalance.ts: fixing an underfull page after a delete (or a value that shrank).
 *
 * A non-root page below a quarter full (geometry.minFill) is joined with a sibling (the left
 * one if it has one, else the right one):
 *   - merge: if both fit in one page, the right page's entries move into the left page, the
 *     right page is freed and its entry leaves the parent;
 *   - borrow: otherwise the two are redistributed evenly (join, then cut at the byte
 *     midpoint, split.ts), and the parent's separator between them is replaced.
 * For branches the parent's separator comes down between the two halves, so child ranges stay
 * bounded by separators. Either way the parent changed, so tree.ts checks it next.
 */
import { display } from '../bytes.js';
import type { TraceListener } from '../registry-types.js';
import type { TreePage } from './format.js';
import { nodeSize, type Node } from './node.js';
import type { Pager } from './pager.js';
import { assign, chooseCut, cutAt } from './split.js';

/**
 * Rebalances `node`, child `i` of `parent` (both fresh and writable). Afterwards `node` may
 * have been freed (merged into its left sibling); the caller continues with `parent`.
 */
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
    : {
        leaf,
        keys: [...L.keys, parent.keys[j]!, ...R.keys.slice(1)],
        values: [],
        children: [...L.children, ...R.children],
      };
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
  // Borrow: redistribute the two evenly and replace the separator between them.
  const before = node.keys.length;
  const halves = cutAt(joined, chooseCut(joined));
  const left = pager.writable(L);
  const right = pager.writable(R);
  parent.children[j - 1] = left.id;
  parent.children[j] = right.id;
  assign(left, halves.left);
  assign(right, halves.right);
  parent.keys[j] = halves.separator;
  pager.touch(left);
  pager.touch(right);
  pager.touch(parent);
  const now = useLeft ? right.keys.length : left.keys.length;
  trace?.({
    type: 'btree.borrow',
    from: useLeft ? left.id : right.id,
    to: useLeft ? right.id : left.id,
    leaf,
    moved: now - before,
    separator: display(halves.separator),
    parent: parent.id,
  });
}
