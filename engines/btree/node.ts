/**
 * node.ts: a leaf or branch page as it lives in the page cache, and the searches on it.
 *
 * A node is the decoded form of one tree page: parallel arrays of keys and values (leaf) or
 * keys and child page ids (branch, where keys[0] is empty and child i holds the keys k with
 * keys[i] <= k < keys[i+1]). Keys and values are never mutated in place, only replaced, so
 * a node can share them with the page bytes it was decoded from and with its COW copies.
 *
 * Invariants kept by tree.ts: leaf keys strictly increase; a branch has keys.length ===
 * children.length; size(node) <= pageSize once an operation ends.
 */
import { compareBytes } from '../bytes.js';
import { HEADER, branchEntrySize, leafEntrySize, type LeafValue, type TreePage } from './format.js';

/** A tree page in memory. */
export interface Node extends TreePage {
  /** The page id the node is (or will be) written at. */
  id: number;
  /** True when the node differs from what is on disk at `id`. */
  dirty: boolean;
}

/** The encoded size of a node in bytes, header included. */
export function nodeSize(n: TreePage): number {
  let s = HEADER;
  if (n.leaf) for (let i = 0; i < n.keys.length; i++) s += leafEntrySize(n.keys[i]!, n.values[i]!);
  else for (let i = 0; i < n.keys.length; i++) s += branchEntrySize(n.keys[i]!);
  return s;
}

/** The size of entry i of a node. */
export function entrySize(n: TreePage, i: number): number {
  return n.leaf ? leafEntrySize(n.keys[i]!, n.values[i]!) : branchEntrySize(n.keys[i]!);
}

/** A shallow copy of a node under a new id (copy-on-write: the arrays are new, the bytes shared). */
export function cloneNode(n: TreePage, id: number): Node {
  return {
    id,
    dirty: true,
    leaf: n.leaf,
    keys: n.keys.slice(),
    values: n.values.slice(),
    children: n.children.slice(),
  };
}

/** A new empty node. */
export function emptyNode(id: number, leaf: boolean): Node {
  return { id, dirty: true, leaf, keys: [], values: [], children: [] };
}

/**
 * In a leaf: the index of the first key >= `key` and whether it is equal (binary search).
 */
export function leafSearch(n: TreePage, key: Uint8Array): { index: number; found: boolean } {
  let lo = 0;
  let hi = n.keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareBytes(n.keys[mid]!, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return { index: lo, found: lo < n.keys.length && compareBytes(n.keys[lo]!, key) === 0 };
}

/** In a branch: the index of the child whose range holds `key` (the last i with keys[i] <= key). */
export function childIndex(n: TreePage, key: Uint8Array): number {
  // keys[0] is empty and counts as -infinity, so search keys[1..].
  let lo = 1;
  let hi = n.keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareBytes(n.keys[mid]!, key) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo - 1;
}

/** The value of a leaf entry as the pair (bytes) or overflow reference. */
export type { LeafValue };
