/**
 * page-search.ts: binary search on a cached page, decoded (a Node) or not (a PageView).
 *
 * A PageView is searched in place, on its bytes, through its entry offsets: keys are compared
 * byte by byte where they lie, so a lookup allocates nothing (bbolt and LMDB search their
 * pages the same way). A Node, a page decoded to be changed, is searched on its key arrays.
 * The read path (Tree.get) goes through these functions and never decodes a page.
 */
import { BRANCH_ENTRY, FLAG_OVERFLOW, LEAF_ENTRY } from './format.js';
import type { PageView } from './tree-page.js';
import type { Node } from './node.js';

/** What the page cache holds: a page as read (PageView) or decoded to change it (Node). */
export type CachedPage = Node | PageView;

/** True when `p` is a view of page bytes (not decoded). */
export function isView(p: CachedPage): p is PageView {
  return (p as PageView).offs !== undefined;
}

/** Compares bytes b[s, s + len) with `key` (memcmp order, then length): < 0, 0 or > 0. */
function compareAt(b: Uint8Array, s: number, len: number, key: Uint8Array): number {
  const kl = key.length;
  const n = len < kl ? len : kl;
  for (let i = 0; i < n; i++) {
    const d = b[s + i]! - key[i]!;
    if (d !== 0) return d;
  }
  return len - kl;
}

/** Compares two byte strings (memcmp order, then length): < 0, 0 or > 0. */
function compareKeys(a: Uint8Array, key: Uint8Array): number {
  return compareAt(a, 0, a.length, key);
}

/** Compares bytes b[s, s + len) with key[from, key.length): < 0, 0 or > 0. */
function compareFrom(b: Uint8Array, s: number, len: number, key: Uint8Array, from: number): number {
  const kl = key.length - from;
  const n = len < kl ? len : kl;
  for (let i = 0; i < n; i++) {
    const d = b[s + i]! - key[from + i]!;
    if (d !== 0) return d;
  }
  return len - kl;
}

/**
 * Where `key` stands against the prefix every key of view `v` shares: -1 when it sorts before
 * every key of the page, +1 after every key, 0 when it starts with the prefix (then comparing
 * what follows the prefix is comparing the whole keys).
 */
function againstPrefix(v: PageView, key: Uint8Array): number {
  const b = v.bytes;
  const at = v.pfxAt;
  const pfx = v.pfx;
  const n = pfx < key.length ? pfx : key.length;
  for (let i = 0; i < n; i++) {
    const d = b[at + i]! - key[i]!;
    if (d !== 0) return d > 0 ? -1 : 1;
  }
  // A key shorter than the prefix is a proper prefix of every key of the page: it sorts first.
  return key.length < pfx ? -1 : 0;
}

/** In a leaf view: the index of `key`, or -1. */
function viewFind(v: PageView, key: Uint8Array): number {
  const offs = v.offs;
  // A key without the page's shared prefix is not in the page.
  if (againstPrefix(v, key) !== 0) return -1;
  const b = v.bytes;
  const pfx = v.pfx;
  let lo = 0;
  let hi = offs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const o = offs[mid]!;
    if (compareFrom(b, o + LEAF_ENTRY + pfx, (b[o]! | (b[o + 1]! << 8)) - pfx, key, pfx) < 0) lo = mid + 1;
    else hi = mid;
  }
  if (lo >= offs.length) return -1;
  const o = offs[lo]!;
  return compareFrom(b, o + LEAF_ENTRY + pfx, (b[o]! | (b[o + 1]! << 8)) - pfx, key, pfx) === 0 ? lo : -1;
}

/** In a leaf (view or node): the index of `key`, or -1 when the leaf does not hold it. */
export function findKey(p: CachedPage, key: Uint8Array): number {
  if (isView(p)) return viewFind(p, key);
  const keys = p.keys;
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(keys[mid]!, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo < keys.length && compareKeys(keys[lo]!, key) === 0 ? lo : -1;
}

/** In a branch (view or node): the page id of the child whose range holds `key`. */
export function childFor(p: CachedPage, key: Uint8Array): number {
  if (!isView(p)) {
    // keys[0] is empty and counts as -infinity, so search keys[1..].
    const keys = p.keys;
    let lo = 1;
    let hi = keys.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(keys[mid]!, key) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return p.children[lo - 1]!;
  }
  // The last entry i with key[i] <= key; entry 0 is -infinity. Below every separator's
  // shared prefix that is entry 0, above it the last entry.
  const b = p.bytes;
  const offs = p.offs;
  let lo = 1;
  const side = offs.length > 1 ? againstPrefix(p, key) : -1;
  if (side > 0) lo = offs.length;
  else if (side === 0) {
    const pfx = p.pfx;
    let hi = offs.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const o = offs[mid]!;
      if (compareFrom(b, o + BRANCH_ENTRY + pfx, (b[o + 4]! | (b[o + 5]! << 8)) - pfx, key, pfx) <= 0) lo = mid + 1;
      else hi = mid;
    }
  }
  const o = offs[lo - 1]!;
  return (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
}

/**
 * A leaf view's value i: a copy of its bytes, or, for a value in overflow pages, its chain
 * read by `readOverflow(first, length)`.
 */
export function viewValue(
  v: PageView,
  i: number,
  readOverflow: (first: number, length: number) => Uint8Array,
): Uint8Array {
  const b = v.bytes;
  const o = v.offs[i]!;
  const kl = b[o]! | (b[o + 1]! << 8);
  const vl = (b[o + 3]! | (b[o + 4]! << 8) | (b[o + 5]! << 16) | (b[o + 6]! << 24)) >>> 0;
  const vs = o + LEAF_ENTRY + kl;
  if ((b[o + 2]! & FLAG_OVERFLOW) === 0) return b.slice(vs, vs + vl);
  return readOverflow((b[vs]! | (b[vs + 1]! << 8) | (b[vs + 2]! << 16) | (b[vs + 3]! << 24)) >>> 0, vl);
}
