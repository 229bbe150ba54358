/**
 * cursor.ts: ordered scans over the leaves, forward or backward, within bounds.
 *
 * There are no sibling pointers between leaves (copy-on-write would have to copy a leaf's
 * neighbours on every change, as bbolt notes), so a cursor keeps the path from the root: a
 * stack of (page, index). Moving past the end of a leaf pops up to the nearest branch with a
 * child further along, and walks down that child's leftmost (or rightmost) edge. Only the
 * pages on the path are held, so a scan of any length needs memory for one path, and pages
 * come through the page cache like every other read (pager.read: a cached view is decoded for
 * the walk and stays cached as a view, so a long scan does not turn the cache into decoded nodes).
 *
 * The tree must not change while a cursor is open; BaseStore re-seeks a scan after a write.
 */
import type { Bounds } from '../range.js';
import { aboveLower, belowUpper } from '../range.js';
import type { Node } from './node.js';
import { childIndex, leafSearch } from './node.js';
import type { Tree } from './tree.js';

/** One level of the cursor's path. */
interface Frame {
  node: Node;
  index: number;
}

/** Yields the pairs within `b`, in key order (reversed if b.reverse). */
export function* scanTree(tree: Tree, b: Bounds): Generator<[Uint8Array, Uint8Array]> {
  const pager = tree.pager;
  const stack: Frame[] = [];
  const reverse = b.reverse;
  // Step 1: seek, descending towards the start bound (lower, or upper when reversed).
  const start = reverse ? b.upper : b.lower;
  let node = pager.read(tree.state.root);
  while (!node.leaf) {
    const i = start ? childIndex(node, start.key) : reverse ? node.children.length - 1 : 0;
    stack.push({ node, index: i });
    node = pager.read(node.children[i]!);
  }
  let index: number;
  if (!start) index = reverse ? node.keys.length - 1 : 0;
  else {
    const s = leafSearch(node, start.key);
    // Forward: first key >= start (> if exclusive). Reverse: last key <= start (< if exclusive).
    if (!reverse) index = s.found && !start.inclusive ? s.index + 1 : s.index;
    else index = s.found && start.inclusive ? s.index : s.index - 1;
  }
  pager.trim();
  // Step 2: walk the leaves, stepping to the next leaf through the path when one ends.
  for (;;) {
    if (index < 0 || index >= node.keys.length) {
      const next = step(tree, stack, reverse);
      if (!next) return;
      node = next;
      index = reverse ? node.keys.length - 1 : 0;
      pager.trim();
      continue;
    }
    const key = node.keys[index]!;
    if (reverse ? !aboveLower(key, b) : !belowUpper(key, b)) return;
    yield [key.slice(), tree.valueOf(node.values[index]!)];
    index += reverse ? -1 : 1;
  }
}

/** Moves the path to the next (or previous) leaf; undefined past the last (first) one. */
function step(tree: Tree, stack: Frame[], reverse: boolean): Node | undefined {
  // Pop to the nearest branch with a child further along.
  for (;;) {
    const top = stack[stack.length - 1];
    if (!top) return undefined;
    const next = top.index + (reverse ? -1 : 1);
    if (next >= 0 && next < top.node.children.length) {
      top.index = next;
      break;
    }
    stack.pop();
  }
  // Walk down that child's near edge to a leaf.
  const top = stack[stack.length - 1]!;
  let node = tree.pager.read(top.node.children[top.index]!);
  while (!node.leaf) {
    const i = reverse ? node.children.length - 1 : 0;
    stack.push({ node, index: i });
    node = tree.pager.read(node.children[i]!);
  }
  return node;
}
