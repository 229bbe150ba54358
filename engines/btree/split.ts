/**
 * split.ts: cutting an overfull page in two, and choosing where to cut.
 *
 * An entry is at most a quarter of a page's usable bytes (format.ts), so cutting at the byte
 * midpoint always gives two pages that fit and are each at least a quarter full. For a leaf
 * the right page's first key is copied up as the separator; for a branch the middle key
 * moves up (it leaves both halves) and the right half's first entry gets an empty key.
 *
 * The same cut redistributes two siblings (rebalance.ts "borrow"): join them, cut again.
 */
import { display } from '../bytes.js';
import type { TraceListener } from '../registry-types.js';
import { HEADER, type TreePage } from './format.js';
import { entrySize } from './node.js';
import type { Pager } from './pager.js';
import type { Node } from './node.js';

const EMPTY = new Uint8Array(0);

/** Two halves of a page and the key that separates them in the parent. */
export interface Halves {
  left: TreePage;
  right: TreePage;
  separator: Uint8Array;
}

/**
 * The index m (1 <= m < n) where cutting `p` makes the larger half smallest. With `append`
 * (the entry that overflowed the page went at its end, as in a sequential load), the right
 * half gets only `minRight` bytes of entries instead, so sequential inserts leave pages about
 * three quarters full rather than half (SQLite and bbolt bias their splits the same way).
 */
export function chooseCut(p: TreePage, append = false, minRight = 0): number {
  const n = p.keys.length;
  const sizes = new Array<number>(n);
  let total = 0;
  for (let i = 0; i < n; i++) total += sizes[i] = entrySize(p, i);
  if (append) {
    // Walk back from the end until the right half holds at least minRight bytes.
    let right = 0;
    for (let m = n - 1; m >= 1; m--) {
      right += sizes[m]!;
      const r = right - (p.leaf ? 0 : p.keys[m]!.length);
      if (r >= minRight) return m;
    }
  }
  let best = 1;
  let bestMax = Infinity;
  let left = 0;
  for (let m = 1; m < n; m++) {
    left += sizes[m - 1]!;
    // A branch's right half loses entry m's key (it moves up to the parent).
    const right = total - left - (p.leaf ? 0 : p.keys[m]!.length);
    const max = Math.max(left, right);
    if (max < bestMax) {
      bestMax = max;
      best = m;
    }
  }
  return best;
}

/** Cuts `p` at entry m into two pages and their separator. */
export function cutAt(p: TreePage, m: number): Halves {
  const separator = p.keys[m]!;
  if (p.leaf) {
    return {
      left: { leaf: true, keys: p.keys.slice(0, m), values: p.values.slice(0, m), children: [] },
      right: { leaf: true, keys: p.keys.slice(m), values: p.values.slice(m), children: [] },
      separator,
    };
  }
  return {
    left: { leaf: false, keys: p.keys.slice(0, m), values: [], children: p.children.slice(0, m) },
    right: { leaf: false, keys: [EMPTY, ...p.keys.slice(m + 1)], values: [], children: p.children.slice(m) },
    separator,
  };
}

/** Puts a page's contents into a node. */
export function assign(node: Node, p: TreePage): void {
  node.keys = p.keys;
  node.values = p.values;
  node.children = p.children;
}

/**
 * Splits the overfull (fresh) node in two: it keeps the left half, a new page takes the
 * right (`append`: see chooseCut). Returns the new page and the separator for the parent.
 * The caller links the right page into the tree, then calls traceSplit: the event comes once
 * the split is complete, so a picture taken at it shows both halves in the tree.
 */
export function splitNode(pager: Pager, node: Node, append = false): { right: Node; separator: Uint8Array } {
  const halves = cutAt(node, chooseCut(node, append, pager.g.minFill - HEADER));
  const right = pager.newNode(node.leaf);
  assign(node, halves.left);
  assign(right, halves.right);
  pager.touch(node);
  return { right, separator: halves.separator };
}

/** Traces btree.split for a split of `node` into it and `right`, cut at `separator`. */
export function traceSplit(trace: TraceListener | undefined, node: Node, right: Node, separator: Uint8Array): void {
  trace?.({
    type: 'btree.split',
    page: node.id,
    right: right.id,
    leaf: node.leaf,
    separator: display(separator),
    leftKeys: node.keys.length,
    rightKeys: right.keys.length,
    leftFirst: display(node.keys[node.leaf ? 0 : Math.min(1, node.keys.length - 1)]!),
    leftLast: display(node.keys[node.keys.length - 1]!),
    rightFirst: display(right.leaf ? right.keys[0]! : separator),
    rightLast: display(right.keys[right.keys.length - 1]!),
  });
}

/** Bytes of entries a page holds, header included (for checks in tests). */
export function pageBytes(p: TreePage): number {
  let s = HEADER;
  for (let i = 0; i < p.keys.length; i++) s += entrySize(p, i);
  return s;
}
