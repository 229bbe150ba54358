/**
 * tree-page.ts: leaf and branch pages (byte table in format.ts): encoding, checking into a
 * PageView, and decoding into arrays.
 *
 * A page read from the file is checked once, as it arrives (checkPage: checksum, type, id;
 * indexTreePage: every length, flag, page id and the key order), and kept as a PageView: its
 * bytes and the offset of each entry. Reads search the view in place (page-search.ts), as
 * bbolt and LMDB search their pages; only a page that is about to change is decoded into a
 * TreePage (decodeView), whose keys and values are views into the same bytes.
 *
 * Invariant of a PageView: `offs[i]` is the start of entry i, every entry lies within the
 * page, leaf keys strictly increase, branch keys after entry 0 strictly increase and are
 * non-empty, and every page id an entry holds is a data page below the page count it was
 * checked against. The bytes never change (the caller owns them and never writes to them).
 */
import { corrupt, KVError } from '../errors.js';
import {
  BRANCH_ENTRY,
  FIRST_DATA_PAGE,
  FLAG_OVERFLOW,
  HEADER,
  LEAF_ENTRY,
  OVERFLOW_REF,
  PAGE_BRANCH,
  PAGE_LEAF,
  kindOf,
  putHeader,
  seal,
  type PageHeader,
} from './format.js';

/** A leaf value: the bytes themselves, or where its overflow chain starts. */
export type LeafValue = { bytes: Uint8Array } | { overflow: number; length: number };

/** A decoded tree page. Branch: `children.length === keys.length`, keys[0] empty. */
export interface TreePage {
  leaf: boolean;
  keys: Uint8Array[];
  values: LeafValue[];
  children: number[];
}

/** A checked tree page as it came from the file: its bytes and where each entry starts. */
export interface PageView {
  readonly id: number;
  /** A view is what the file holds, so it is never dirty. */
  readonly dirty: false;
  readonly leaf: boolean;
  readonly bytes: Uint8Array;
  /** offs[i]: the byte offset of entry i; offs.length is the entry count. */
  readonly offs: Uint16Array;
  /**
   * The prefix every key of the page shares (a branch: every key after entry 0) is the
   * `pfx` bytes at offset `pfxAt`: a search compares it once, then only what follows it.
   */
  readonly pfxAt: number;
  readonly pfx: number;
}

/** The view of `page` with entry offsets `offs`; computes the shared key prefix. */
function makeView(id: number, leaf: boolean, page: Uint8Array, offs: Uint16Array): PageView {
  const n = offs.length;
  const first = leaf ? 0 : 1;
  let pfxAt = 0;
  let pfx = 0;
  if (n > first) {
    // Keys are sorted, so the prefix the first and last keys share is shared by all.
    const a = offs[first]!;
    const z = offs[n - 1]!;
    const ka = leaf ? a + LEAF_ENTRY : a + BRANCH_ENTRY;
    const kz = leaf ? z + LEAF_ENTRY : z + BRANCH_ENTRY;
    const la = leaf ? page[a]! | (page[a + 1]! << 8) : page[a + 4]! | (page[a + 5]! << 8);
    const lz = leaf ? page[z]! | (page[z + 1]! << 8) : page[z + 4]! | (page[z + 5]! << 8);
    const m = la < lz ? la : lz;
    while (pfx < m && page[ka + pfx] === page[kz + pfx]) pfx++;
    pfxAt = ka;
  }
  return { id, dirty: false, leaf, bytes: page, offs, pfxAt, pfx };
}

/** The bytes one leaf entry takes. */
export function leafEntrySize(key: Uint8Array, value: LeafValue): number {
  return LEAF_ENTRY + key.length + ('bytes' in value ? value.bytes.length : OVERFLOW_REF);
}

/** The bytes one branch entry takes. */
export function branchEntrySize(key: Uint8Array): number {
  return BRANCH_ENTRY + key.length;
}

/** Encodes a leaf or branch page into a new buffer (the caller guarantees it fits). */
export function encodeTreePage(p: TreePage, id: number, pageSize: number): Uint8Array {
  return encodeTreePageInto(p, id, new Uint8Array(pageSize));
}

/**
 * Encodes a leaf or branch page into `page` (exactly one page long, all zero: a reused
 * buffer is cleared by the caller) and seals it. Returns `page`.
 */
export function encodeTreePageInto(p: TreePage, id: number, page: Uint8Array): Uint8Array {
  const pageSize = page.length;
  const n = p.keys.length;
  putHeader(new DataView(page.buffer, page.byteOffset, pageSize), p.leaf ? PAGE_LEAF : PAGE_BRANCH, n, id, 0);
  let o = HEADER;
  for (let i = 0; i < n; i++) {
    const key = p.keys[i]!;
    const kl = key.length;
    if (p.leaf) {
      const v = p.values[i]!;
      const inline = 'bytes' in v;
      const vl = inline ? v.bytes.length : v.length;
      if (o + LEAF_ENTRY + kl + (inline ? vl : OVERFLOW_REF) > pageSize) throw overfull(id, pageSize);
      // key length (2) | flags (1) | value length (4) | key | value or overflow page id
      page[o] = kl;
      page[o + 1] = kl >>> 8;
      page[o + 2] = inline ? 0 : FLAG_OVERFLOW;
      putU32(page, o + 3, vl);
      copyInto(page, o + LEAF_ENTRY, key);
      if (inline) {
        copyInto(page, o + LEAF_ENTRY + kl, v.bytes);
        o += LEAF_ENTRY + kl + vl;
      } else {
        putU32(page, o + LEAF_ENTRY + kl, v.overflow);
        o += LEAF_ENTRY + kl + OVERFLOW_REF;
      }
    } else {
      if (o + BRANCH_ENTRY + kl > pageSize) throw overfull(id, pageSize);
      // child page id (4) | key length (2) | key
      putU32(page, o, p.children[i]!);
      page[o + 4] = kl;
      page[o + 5] = kl >>> 8;
      copyInto(page, o + BRANCH_ENTRY, key);
      o += BRANCH_ENTRY + kl;
    }
  }
  return seal(page, pageSize);
}

/** The error for a node that does not fit its page (a bug, never bad data). */
function overfull(id: number, pageSize: number): KVError {
  return new KVError('KV_CORRUPT', `internal error: page ${id} overflows its ${pageSize} bytes`);
}

/** Writes a uint32 little-endian at `o`. */
function putU32(b: Uint8Array, o: number, x: number): void {
  b[o] = x;
  b[o + 1] = x >>> 8;
  b[o + 2] = x >>> 16;
  b[o + 3] = x >>> 24;
}

/** Copies `src` into `dst` at `o`: a plain loop for short arrays (cheaper than set() there). */
function copyInto(dst: Uint8Array, o: number, src: Uint8Array): void {
  const n = src.length;
  if (n > 48) dst.set(src, o);
  else for (let i = 0; i < n; i++) dst[o + i] = src[i]!;
}

/** The view of a page this engine just encoded from `p` (its own output: not checked again). */
export function viewOfEncoded(
  page: Uint8Array,
  p: { id: number; leaf: boolean; keys: Uint8Array[]; values: LeafValue[] },
): PageView {
  const n = p.keys.length;
  const offs = new Uint16Array(n);
  let o = HEADER;
  for (let i = 0; i < n; i++) {
    offs[i] = o;
    o += p.leaf ? leafEntrySize(p.keys[i]!, p.values[i]!) : BRANCH_ENTRY + p.keys[i]!.length;
  }
  return makeView(p.id, p.leaf, page, offs);
}

/** Compares the byte strings b[a, a + al) and b[c, c + cl) (memcmp order, then length). */
function compareIn(b: Uint8Array, a: number, al: number, c: number, cl: number): number {
  const n = al < cl ? al : cl;
  for (let i = 0; i < n; i++) {
    const d = b[a + i]! - b[c + i]!;
    if (d !== 0) return d;
  }
  return al - cl;
}

/**
 * Checks a leaf or branch page whose header checkPage() accepted, and returns its view.
 * Every length is bounds-checked and keys must be in order, so a crafted file gives
 * KV_CORRUPT, never a crash. `page` is kept by the view (the caller never changes it).
 */
export function indexTreePage(
  page: Uint8Array,
  h: PageHeader,
  pageSize: number,
  pageCount: number,
  file: string,
): PageView {
  const at = h.id * pageSize;
  const leaf = h.type === PAGE_LEAF;
  if (!leaf && h.type !== PAGE_BRANCH)
    throw corrupt(file, at + 4, `page ${h.id} is a ${kindOf(h.type)} page where a tree page was expected`);
  const b = page;
  // Every entry starts at least BRANCH_ENTRY bytes before the end of a page of at most 64 KiB.
  const offs = new Uint16Array(h.count);
  let o = HEADER;
  // The previous key, for the order check.
  let pk = 0;
  let pl = 0;
  for (let i = 0; i < h.count; i++) {
    const need = leaf ? LEAF_ENTRY : BRANCH_ENTRY;
    if (o + need > pageSize) throw corrupt(file, at + o, `page ${h.id}: entry ${i} runs past the end of the page`);
    offs[i] = o;
    let ks: number;
    let kl: number;
    if (leaf) {
      kl = b[o]! | (b[o + 1]! << 8);
      const flags = b[o + 2]!;
      const vl = (b[o + 3]! | (b[o + 4]! << 8) | (b[o + 5]! << 16) | (b[o + 6]! << 24)) >>> 0;
      ks = o + LEAF_ENTRY;
      const inline = (flags & FLAG_OVERFLOW) === 0;
      const end = ks + kl + (inline ? vl : OVERFLOW_REF);
      if (flags > FLAG_OVERFLOW) throw corrupt(file, at + o + 2, `page ${h.id}: entry ${i} has unknown flags ${flags}`);
      if (end > pageSize) throw corrupt(file, at + o, `page ${h.id}: entry ${i} runs past the end of the page`);
      if (!inline) {
        const r = ks + kl;
        const first = (b[r]! | (b[r + 1]! << 8) | (b[r + 2]! << 16) | (b[r + 3]! << 24)) >>> 0;
        if (first < FIRST_DATA_PAGE || first >= pageCount)
          throw corrupt(file, at + r, `page ${h.id}: entry ${i} points to overflow page ${first}, outside the file`);
      }
      o = end;
    } else {
      const child = (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
      kl = b[o + 4]! | (b[o + 5]! << 8);
      ks = o + BRANCH_ENTRY;
      const end = ks + kl;
      if (end > pageSize) throw corrupt(file, at + o, `page ${h.id}: entry ${i} runs past the end of the page`);
      if (child < FIRST_DATA_PAGE || child >= pageCount)
        throw corrupt(file, at + o, `page ${h.id}: entry ${i} points to page ${child}, outside the file`);
      // Entry 0 is minus infinity and has no key; a separator after it is never empty.
      if ((i === 0) !== (kl === 0))
        throw corrupt(
          file,
          at + o + 4,
          `page ${h.id}: entry ${i} ${i === 0 ? 'must have an empty key' : 'has an empty separator key'}`,
        );
      o = end;
    }
    // Keys must increase (a branch's entry 0 has no key to compare).
    if (i > (leaf ? 0 : 1) && compareIn(b, pk, pl, ks, kl) >= 0) {
      throw corrupt(file, at + o, `page ${h.id}: entry ${i} is out of key order`);
    }
    pk = ks;
    pl = kl;
  }
  if (!leaf && h.count === 0) throw corrupt(file, at + 6, `branch page ${h.id} has no children`);
  return makeView(h.id, leaf, page, offs);
}

/** Decodes a view into arrays; keys and values are views into the page's bytes. */
export function decodeView(v: PageView): TreePage {
  const b = v.bytes;
  const n = v.offs.length;
  const out: TreePage = {
    leaf: v.leaf,
    keys: new Array(n),
    values: v.leaf ? new Array(n) : [],
    children: v.leaf ? [] : new Array(n),
  };
  for (let i = 0; i < n; i++) {
    const o = v.offs[i]!;
    if (v.leaf) {
      const kl = b[o]! | (b[o + 1]! << 8);
      const vl = (b[o + 3]! | (b[o + 4]! << 8) | (b[o + 5]! << 16) | (b[o + 6]! << 24)) >>> 0;
      const ks = o + LEAF_ENTRY;
      out.keys[i] = b.subarray(ks, ks + kl);
      if ((b[o + 2]! & FLAG_OVERFLOW) === 0) out.values[i] = { bytes: b.subarray(ks + kl, ks + kl + vl) };
      else {
        const r = ks + kl;
        out.values[i] = {
          overflow: (b[r]! | (b[r + 1]! << 8) | (b[r + 2]! << 16) | (b[r + 3]! << 24)) >>> 0,
          length: vl,
        };
      }
    } else {
      const kl = b[o + 4]! | (b[o + 5]! << 8);
      out.children[i] = (b[o]! | (b[o + 1]! << 8) | (b[o + 2]! << 16) | (b[o + 3]! << 24)) >>> 0;
      out.keys[i] = b.subarray(o + BRANCH_ENTRY, o + BRANCH_ENTRY + kl);
    }
  }
  return out;
}

/** Checks and decodes a leaf or branch page (indexTreePage, then decodeView). */
export function decodeTreePage(
  page: Uint8Array,
  h: PageHeader,
  pageSize: number,
  pageCount: number,
  file: string,
): TreePage {
  return decodeView(indexTreePage(page, h, pageSize, pageCount, file));
}
