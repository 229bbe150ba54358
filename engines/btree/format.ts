/**
 * format.ts: the B+tree file, one file of fixed-size pages (`btree.db`).
 *
 * Page `id` lives at byte offset id * pageSize. Every page starts with the same header:
 *
 *   offset  size  field
 *   0       4     checksum: masked CRC-32C of bytes [4, end) of the page, uint32 LE
 *                 (end = pageSize, except for meta pages: end = META_SIZE, so a meta page can
 *                 be read and checked before the page size is known)
 *   4       1     page type: 1 meta, 2 branch, 3 leaf, 4 overflow, 5 freelist
 *   5       1     flags, zero (reserved)
 *   6       2     count, uint16 LE: entries (branch, leaf), ids (freelist), data bytes (overflow)
 *   8       4     page id, uint32 LE (must equal the page's position: catches misdirected writes)
 *   12      4     next page id, uint32 LE (overflow and freelist chains; 0 = none)
 *
 * HEADER = 4 + 1 + 1 + 2 + 4 + 4 = 16. After the header, by type:
 *
 *   meta (pages 0 and 1; the valid one with the higher txid is the current state)
 *   16      8     magic "KVBTREE1"
 *   24      2     format version, uint16 LE (1)
 *   26      2     reserved, zero
 *   28      4     page size, uint32 LE
 *   32      8     txid, uint64 LE (two uint32 halves, low first); page 0 holds even, page 1 odd
 *   40      4     root page id
 *   44      4     tree height (1 = the root is a leaf)
 *   48      4     first freelist page id (0 = the free list is empty)
 *   52      4     freelist pages in the chain
 *   56      4     page count: ids below it are allocated (the file is exactly this many
 *                 pages after a clean close; after a crash it may be longer until the open
 *                 that recovers cuts it)
 *   60      4     leaf pages      64  4  branch pages      68  4  overflow pages
 *   72      8     key count, uint64 LE        80  8  live key + value bytes, uint64 LE
 *   META_SIZE = 16 + 8 + 2 + 2 + 4 + 8 + 4 * 8 + 8 + 8 = 88
 *   88      1     page 0 only: the shutdown flag, 'C' (0x43, closed cleanly) or 'D' (0x44,
 *                 a session wrote and has not closed cleanly); outside the checksum, written
 *                 on its own (see shutdown.ts). STATE_OFFSET = META_SIZE
 *   89 (page 1: 88) .. end of page: zero (never written otherwise; open refuses a meta page
 *                 whose unused bytes are not all zero). A commit writes only the first
 *                 META_SIZE bytes of its meta page.
 *
 *   branch: `count` entries, each  child page id (4) | key length (2) | key bytes
 *           entry 0's key is empty: child i holds the keys k with key[i] <= k < key[i+1].
 *           Entry 0 stands for minus infinity and is never compared; every other entry's
 *           key is non-empty (it is greater than some key of the child before it, and the
 *           empty key is the smallest key there is), so an empty key after entry 0 is
 *           KV_CORRUPT. The empty *user* key is therefore always in the leftmost leaf.
 *           BRANCH_ENTRY = 4 + 2 = 6 bytes plus the key.
 *   leaf:   `count` entries in strictly increasing key order, each
 *           key length (2; 0 is the empty key, which can only be a leaf's first entry) |
 *           flags (1; bit 0 = value in overflow pages) | value length (4) |
 *           key bytes | value bytes, or, with the overflow flag, the first overflow page id (4)
 *           LEAF_ENTRY = 2 + 1 + 4 = 7 bytes plus the key plus the value (or 4).
 *   overflow: `count` bytes of the value, then `next` continues the chain.
 *   freelist: `count` page ids (4 bytes each), then `next` continues the chain. An empty
 *           freelist page in no chain is also the placeholder written to a free page that
 *           never held anything, so every page below the page count has a valid checksum.
 *
 * Limits (see FORMAT.md): an entry may use at most MAX_ENTRY = (pageSize - HEADER) / 4 bytes,
 * so any page holds at least four entries and a split always yields two pages that fit. A value
 * whose entry would pass MAX_ENTRY goes to overflow pages; maxKeyBytes = MAX_ENTRY - 7 - 4
 * (capped at 1024), so an entry with an overflow value always fits.
 */
import { corrupt } from '../errors.js';
import { crc32c, mask } from '../codec/crc32c.js';
import { getU64, setU64 } from '../codec/u64.js';
import { MAX_KEY_BYTES } from '../limits.js';

export const MAGIC = 'KVBTREE1';
export const VERSION = 1;
/** The data file's name. */
export const DATA_FILE = 'btree.db';
/** The suffix of the temporary name a new file is written under before it is renamed into place. */
export const CREATE_SUFFIX = '.new';

export const HEADER = 4 + 1 + 1 + 2 + 4 + 4;
export const META_SIZE = HEADER + 8 + 2 + 2 + 4 + 8 + 4 * 8 + 8 + 8;
/** Where the shutdown flag (shutdown.ts) lives: the byte after meta page 0's fields. */
export const STATE_OFFSET = META_SIZE;
/** 'C': the last session closed cleanly. Three bits from STATE_DIRTY. */
export const STATE_CLEAN = 0x43;
/** 'D': a session may have written to btree.db and has not closed cleanly. */
export const STATE_DIRTY = 0x44;
export const BRANCH_ENTRY = 4 + 2;
export const LEAF_ENTRY = 2 + 1 + 4;
/** Bytes a leaf entry stores in place of a value kept in overflow pages. */
export const OVERFLOW_REF = 4;

/** Page types, as stored in byte 4. */
export const PAGE_META = 1;
export const PAGE_BRANCH = 2;
export const PAGE_LEAF = 3;
export const PAGE_OVERFLOW = 4;
export const PAGE_FREELIST = 5;
export type PageKind = 'meta' | 'branch' | 'leaf' | 'overflow' | 'freelist';
const KINDS: Record<number, PageKind> = { 1: 'meta', 2: 'branch', 3: 'leaf', 4: 'overflow', 5: 'freelist' };

/** Leaf entry flag: the value is in an overflow chain. */
export const FLAG_OVERFLOW = 1;
/** Page ids 0 and 1 are the meta pages; the first data page is 2. */
export const FIRST_DATA_PAGE = 2;

/** The sizes that follow from a page size. */
export interface Geometry {
  pageSize: number;
  /** Bytes after the header: what entries may fill. */
  usable: number;
  /** The largest entry (leaf or branch) in bytes: a quarter of `usable`. */
  maxEntry: number;
  /** A non-root page below this many used bytes (header included) is underfull. */
  minFill: number;
  /** The longest key this page size allows. */
  maxKeyBytes: number;
  /** Page ids one freelist page holds. */
  idsPerFreelistPage: number;
  /** Value bytes one overflow page holds. */
  overflowBytes: number;
}

/** True when `n` is a page size the engine accepts: a power of two from 512 to 65536. */
export function validPageSize(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 512 && n <= 65536 && (n & (n - 1)) === 0;
}

/** The geometry of a page size. */
export function geometry(pageSize: number): Geometry {
  const usable = pageSize - HEADER;
  const maxEntry = Math.floor(usable / 4);
  return {
    pageSize,
    usable,
    maxEntry,
    minFill: HEADER + maxEntry,
    maxKeyBytes: Math.min(MAX_KEY_BYTES, maxEntry - LEAF_ENTRY - OVERFLOW_REF),
    idsPerFreelistPage: Math.floor(usable / 4),
    overflowBytes: usable,
  };
}

/** True when a value of `valueLength` bytes is stored in the leaf itself, not in overflow pages. */
export function isInline(g: Geometry, keyLength: number, valueLength: number): boolean {
  return LEAF_ENTRY + keyLength + valueLength <= g.maxEntry;
}

// ---- the page header -------------------------------------------------------------------

/** The decoded page header. */
export interface PageHeader {
  type: number;
  count: number;
  id: number;
  next: number;
}

/** Writes the header fields (not the checksum) into `page`. */
export function putHeader(dv: DataView, type: number, count: number, id: number, next: number): void {
  dv.setUint8(4, type);
  dv.setUint8(5, 0);
  dv.setUint16(6, count, true);
  dv.setUint32(8, id, true);
  dv.setUint32(12, next, true);
}

/** Seals a page: the masked CRC-32C of bytes [4, end) goes into bytes [0, 4). */
export function seal(page: Uint8Array, end: number): Uint8Array {
  new DataView(page.buffer, page.byteOffset, page.byteLength).setUint32(0, mask(crc32c(page, 4, end)), true);
  return page;
}

/**
 * Checks a page's checksum, type and id, and returns its header. Throws KV_CORRUPT naming
 * the file and the page's offset.
 */
export function checkPage(page: Uint8Array, id: number, pageSize: number, file: string, expect?: number): PageHeader {
  const at = id * pageSize;
  if (page.length < pageSize)
    throw corrupt(file, at, `page ${id} is cut short: ${page.length} of ${pageSize} bytes (the file ends early)`);
  const dv = new DataView(page.buffer, page.byteOffset, page.byteLength);
  const type = dv.getUint8(4);
  const end = type === PAGE_META ? META_SIZE : pageSize;
  const stored = dv.getUint32(0, true);
  const actual = mask(crc32c(page, 4, end));
  if (stored !== actual)
    throw corrupt(
      file,
      at,
      `page ${id}: checksum mismatch (stored ${stored.toString(16)}, computed ${actual.toString(16)})`,
    );
  if (!KINDS[type]) throw corrupt(file, at + 4, `page ${id}: unknown page type ${type}`);
  if (expect !== undefined && type !== expect) {
    throw corrupt(
      file,
      at + 4,
      `page ${id} is a ${KINDS[type]} page where a ${KINDS[expect] ?? expect} page was expected`,
    );
  }
  const pid = dv.getUint32(8, true);
  if (pid !== id) throw corrupt(file, at + 8, `page ${id} says it is page ${pid} (a misdirected write?)`);
  return { type, count: dv.getUint16(6, true), id, next: dv.getUint32(12, true) };
}

/** The kind name of a page type byte. */
export function kindOf(type: number): PageKind | undefined {
  return KINDS[type];
}

// ---- meta pages --------------------------------------------------------------------------

/** What a meta page records: one committed state of the tree. */
export interface Meta {
  pageSize: number;
  txid: number;
  root: number;
  height: number;
  freelist: number;
  freelistPages: number;
  pageCount: number;
  leafPages: number;
  branchPages: number;
  overflowPages: number;
  keyCount: number;
  liveBytes: number;
}

/** Encodes a meta page for slot `txid % 2`, a whole page long. */
export function encodeMeta(m: Meta): Uint8Array {
  const page = new Uint8Array(m.pageSize);
  const dv = new DataView(page.buffer);
  putHeader(dv, PAGE_META, 0, m.txid % 2, 0);
  for (let i = 0; i < 8; i++) page[16 + i] = MAGIC.charCodeAt(i);
  dv.setUint16(24, VERSION, true);
  dv.setUint16(26, 0, true);
  dv.setUint32(28, m.pageSize, true);
  setU64(dv, 32, m.txid);
  dv.setUint32(40, m.root, true);
  dv.setUint32(44, m.height, true);
  dv.setUint32(48, m.freelist, true);
  dv.setUint32(52, m.freelistPages, true);
  dv.setUint32(56, m.pageCount, true);
  dv.setUint32(60, m.leafPages, true);
  dv.setUint32(64, m.branchPages, true);
  dv.setUint32(68, m.overflowPages, true);
  setU64(dv, 72, m.keyCount);
  setU64(dv, 80, m.liveBytes);
  return seal(page, META_SIZE);
}

/**
 * Decodes meta slot `slot` from its first META_SIZE bytes. Throws KV_CORRUPT (naming the
 * file and offset) when the checksum, magic, version or a field is wrong; the caller then
 * falls back to the other meta page.
 */
export function decodeMeta(bytes: Uint8Array, slot: number, at: number, file: string): Meta {
  if (bytes.length < META_SIZE)
    throw corrupt(file, at, `meta page ${slot} is cut short: ${bytes.length} of ${META_SIZE} bytes`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stored = dv.getUint32(0, true);
  const actual = mask(crc32c(bytes, 4, META_SIZE));
  if (stored !== actual)
    throw corrupt(
      file,
      at,
      `meta page ${slot}: checksum mismatch (stored ${stored.toString(16)}, computed ${actual.toString(16)})`,
    );
  if (dv.getUint8(4) !== PAGE_META) throw corrupt(file, at + 4, `meta page ${slot} has page type ${dv.getUint8(4)}`);
  if (dv.getUint32(8, true) !== slot)
    throw corrupt(file, at + 8, `meta page ${slot} says it is page ${dv.getUint32(8, true)}`);
  for (let i = 0; i < 8; i++) {
    if (bytes[16 + i] !== MAGIC.charCodeAt(i))
      throw corrupt(file, at + 16 + i, `the magic number is not "${MAGIC}"; this is not a btree file`);
  }
  const version = dv.getUint16(24, true);
  if (version !== VERSION) throw corrupt(file, at + 24, `format version ${version} is not ${VERSION}`);
  const m: Meta = {
    pageSize: dv.getUint32(28, true),
    txid: getU64(dv, 32),
    root: dv.getUint32(40, true),
    height: dv.getUint32(44, true),
    freelist: dv.getUint32(48, true),
    freelistPages: dv.getUint32(52, true),
    pageCount: dv.getUint32(56, true),
    leafPages: dv.getUint32(60, true),
    branchPages: dv.getUint32(64, true),
    overflowPages: dv.getUint32(68, true),
    keyCount: getU64(dv, 72),
    liveBytes: getU64(dv, 80),
  };
  if (!validPageSize(m.pageSize))
    throw corrupt(file, at + 28, `meta page ${slot}: page size ${m.pageSize} is not a power of two from 512 to 65536`);
  if (m.txid % 2 !== slot)
    throw corrupt(file, at + 32, `meta page ${slot} holds txid ${m.txid}, which belongs in the other slot`);
  if (m.pageCount < FIRST_DATA_PAGE + 1)
    throw corrupt(file, at + 56, `meta page ${slot}: page count ${m.pageCount} is too small`);
  if (m.root < FIRST_DATA_PAGE || m.root >= m.pageCount)
    throw corrupt(file, at + 40, `meta page ${slot}: root page ${m.root} is outside the file's ${m.pageCount} pages`);
  if (m.height < 1 || m.height > 64)
    throw corrupt(file, at + 44, `meta page ${slot}: tree height ${m.height} is impossible`);
  if (m.freelist !== 0 && (m.freelist < FIRST_DATA_PAGE || m.freelist >= m.pageCount)) {
    throw corrupt(
      file,
      at + 48,
      `meta page ${slot}: freelist page ${m.freelist} is outside the file's ${m.pageCount} pages`,
    );
  }
  return m;
}

// ---- leaf and branch pages: tree-page.ts (encoding, checking, decoding); page-search.ts ------

export {
  type LeafValue,
  type TreePage,
  leafEntrySize,
  branchEntrySize,
  encodeTreePage,
  decodeTreePage,
} from './tree-page.js';

// ---- overflow and freelist pages ------------------------------------------------------------

/** Encodes one overflow page holding `data` (at most geometry.overflowBytes), chained to `next`. */
export function encodeOverflow(data: Uint8Array, id: number, next: number, pageSize: number): Uint8Array {
  const page = new Uint8Array(pageSize);
  putHeader(new DataView(page.buffer), PAGE_OVERFLOW, data.length, id, next);
  page.set(data, HEADER);
  return seal(page, pageSize);
}

/** The data of a checked overflow page. */
export function decodeOverflow(page: Uint8Array, h: PageHeader, pageSize: number, file: string): Uint8Array {
  if (HEADER + h.count > pageSize)
    throw corrupt(file, h.id * pageSize + 6, `overflow page ${h.id} claims ${h.count} bytes, more than a page holds`);
  return page.subarray(HEADER, HEADER + h.count);
}

/**
 * A placeholder for a free page that nothing was ever written to (allocated at the end of the
 * file and freed in the same transaction): an empty freelist page, in no chain. With it, every
 * page below the page count of a cleanly closed file holds a page with a valid checksum, so
 * a bit flip anywhere in the file, free pages included, can be detected (see FORMAT.md).
 */
export function encodeFreePage(id: number, pageSize: number): Uint8Array {
  return encodeFreelist([], id, 0, pageSize);
}

/** Encodes one freelist page holding `ids`, chained to `next`. */
export function encodeFreelist(ids: readonly number[], id: number, next: number, pageSize: number): Uint8Array {
  const page = new Uint8Array(pageSize);
  const dv = new DataView(page.buffer);
  putHeader(dv, PAGE_FREELIST, ids.length, id, next);
  for (let i = 0; i < ids.length; i++) dv.setUint32(HEADER + 4 * i, ids[i]!, true);
  return seal(page, pageSize);
}

/** The ids on a checked freelist page; each must be a data page below `pageCount`. */
export function decodeFreelist(
  page: Uint8Array,
  h: PageHeader,
  pageSize: number,
  pageCount: number,
  file: string,
): number[] {
  const at = h.id * pageSize;
  if (HEADER + 4 * h.count > pageSize)
    throw corrupt(file, at + 6, `freelist page ${h.id} claims ${h.count} ids, more than a page holds`);
  const dv = new DataView(page.buffer, page.byteOffset, page.byteLength);
  const ids: number[] = [];
  for (let i = 0; i < h.count; i++) {
    const id = dv.getUint32(HEADER + 4 * i, true);
    if (id < FIRST_DATA_PAGE || id >= pageCount)
      throw corrupt(file, at + HEADER + 4 * i, `freelist page ${h.id} lists page ${id}, outside the file`);
    ids.push(id);
  }
  return ids;
}
