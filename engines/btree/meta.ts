/**
 * meta.ts: the two meta pages of btree.db, read and chosen between. The one place that decides
 * which commit a file holds: open (recovery.ts), inspect(), the describer (layout.ts), the
 * `kv` checker, and the site use it.
 *
 * Commits take turns: txid t goes to slot t % 2, so a commit overwrites the slot that held
 * txid t - 2 while the other slot keeps t - 1. A crash can tear only that one write (88
 * bytes): the slot then holds the new meta page's first bytes and the old one's last bytes,
 * and fails its checksum. Open takes the valid slot with the higher txid and decides what a
 * damaged slot is:
 *
 *   - after a clean close (shutdown flag 'C', shutdown.ts) nothing was in flight: damage;
 *   - after a crash, a torn write when its bytes are what a tear of the next commit over the
 *     slot's previous content leaves: the bytes both of them share (page header, magic,
 *     version, page size) intact, and the txid a byte-wise splice of the new txid and the old
 *     one. Anything else (all zeros, another page's bytes, a txid no tear writes) is damage.
 *
 * What cannot be told apart: after a crash, a bit flipped in the variable fields (root, counts)
 * of a meta page whose commit had completed looks exactly like a tear of that commit, since a
 * tear can differ from the whole page in a single bit too. Open then falls back to the
 * previous commit, as LMDB and bbolt do; the store opens, which a torn commit point demands.
 */
import { corrupt, KVError } from '../errors.js';
import { join, normalize } from '../storage/path.js';
import type { FileSystem } from '../storage/fs.js';
import { DATA_FILE, META_SIZE, STATE_CLEAN, STATE_OFFSET, decodeMeta, encodeMeta, type Meta } from './format.js';

/** One meta slot as the file holds it. */
export interface MetaSlot {
  slot: 0 | 1;
  /** Its byte offset in the file. */
  offset: number;
  /** Its first META_SIZE bytes (fewer if the file ends early). */
  bytes: Uint8Array;
  /** The decoded page, when it is valid. */
  meta?: Meta;
  /** Why it is not valid. */
  error?: KVError;
  /** The offset of a non-zero byte after its fields (and page 0's flag), which nothing ever writes. */
  strayByte?: number;
}

/** The commit a file holds, or why open refuses it. */
export type MetaChoice =
  | { ok: true; meta: Meta; slots: MetaSlot[]; /** Slots taken for torn writes (after a crash). */ torn: number[] }
  | { ok: false; error: KVError; slots: MetaSlot[] };

/** Reads and decodes both meta pages of a file with pages of `pageSize` bytes. */
export function readMetaSlots(
  read: (offset: number, length: number) => Uint8Array,
  pageSize: number,
  path: string,
): MetaSlot[] {
  return ([0, 1] as const).map((slot) => {
    const offset = slot * pageSize;
    const page = read(offset, pageSize);
    const out: MetaSlot = { slot, offset, bytes: page.subarray(0, META_SIZE) };
    // The bytes after the meta fields (and page 0's flag) are never written, crash or not.
    const from = slot === 0 ? STATE_OFFSET + 1 : META_SIZE;
    const stray = page.subarray(from).findIndex((b) => b !== 0);
    if (stray >= 0) out.strayByte = offset + from + stray;
    try {
      const m = decodeMeta(out.bytes, slot, offset, path);
      if (m.pageSize !== pageSize)
        throw corrupt(path, offset + 28, `meta page ${slot} says the page size is ${m.pageSize}, not ${pageSize}`);
      out.meta = m;
    } catch (e) {
      if (!(e instanceof KVError) || e.code !== 'KV_CORRUPT') throw e;
      out.error = e;
    }
    return out;
  });
}

/**
 * The current commit: the valid slot with the higher txid. `crashed` (the shutdown flag says
 * dirty) lets a damaged slot pass as a torn write when its bytes can be one; otherwise, or
 * when no slot is valid, or when an unused byte is set, open refuses the file.
 */
export function currentMeta(slots: MetaSlot[], crashed: boolean, path: string): MetaChoice {
  const stray = slots.find((s) => s.strayByte !== undefined);
  if (stray)
    return {
      ok: false,
      slots,
      error: corrupt(path, stray.strayByte!, `meta page ${stray.slot}: its unused bytes must be zero`),
    };
  const valid = slots.filter((s) => s.meta).map((s) => s.meta!);
  const damaged = slots.filter((s) => s.error);
  // btree.db only ever appears whole (create renames it into place after a sync), so a file
  // with no valid meta page is damaged, not an interrupted create.
  if (valid.length === 0) return { ok: false, slots, error: damaged[0]!.error! };
  // After a clean close both meta pages are valid: a damaged one is damage.
  if (!crashed && damaged.length > 0)
    return {
      ok: false,
      slots,
      error: explained(damaged[0]!, path, 'the store was closed cleanly, so no write was in flight: damage'),
    };
  const meta = newestMeta(slots)!;
  for (const d of damaged) {
    if (!tornWriteOf(d.bytes, meta)) {
      return { ok: false, slots, error: explained(d, path, 'its bytes are not what a torn commit leaves: damage') };
    }
  }
  return { ok: true, meta, slots, torn: damaged.map((d) => d.slot) };
}

/** A damaged slot's error, with why open does not fall back past it. */
function explained(d: MetaSlot, path: string, why: string): KVError {
  const e = d.error!;
  return corrupt(path, e.offset ?? d.offset, `${e.message.replace(/^.* at byte offset \d+: /, '')} (${why})`);
}

/** The valid meta page with the higher txid, if any. */
export function newestMeta(slots: MetaSlot[]): Meta | undefined {
  let best: Meta | undefined;
  for (const { meta } of slots) if (meta && (!best || meta.txid > best.txid)) best = meta;
  return best;
}

/**
 * True when `bytes` (a damaged slot) can be a torn write of commit best.txid + 1 over the slot's
 * previous content, commit best.txid - 1: the first t bytes new, the rest old, for some t.
 */
export function tornWriteOf(bytes: Uint8Array, best: Meta): boolean {
  // A new file holds txids 0 and 1, and the first commit (2) goes to slot 0: with the
  // current commit at txid 0, nothing can have been in flight over slot 1.
  if (bytes.length < META_SIZE || best.txid < 1) return false;
  const next = encodeMeta({ ...best, txid: best.txid + 1 });
  // Bytes 4..32 (page header, magic, version, page size) are the same in the old and the new page.
  for (let i = 4; i < 32; i++) if (bytes[i] !== next[i]) return false;
  // The txid (bytes 32..40, little-endian): new bytes up to the tear, old bytes after it.
  const prev = encodeMeta({ ...best, txid: best.txid - 1 });
  let newPrefix = 32;
  while (newPrefix < 40 && bytes[newPrefix] === next[newPrefix]) newPrefix++;
  let oldSuffix = 40;
  while (oldSuffix > 32 && bytes[oldSuffix - 1] === prev[oldSuffix - 1]) oldSuffix--;
  return oldSuffix <= newPrefix;
}

/** The page sizes tried when meta page 0 is unreadable, to find meta page 1. */
const PAGE_SIZES = [512, 1024, 2048, 4096, 8192, 16384, 32768, 65536];

/**
 * The page size of an existing store's file (from whichever meta page is readable), or
 * undefined for a new or unreadable one. Only reads (open calls it before taking the lock).
 */
export function filePageSize(fs: FileSystem, dir: string): number | undefined {
  const path = join(normalize(dir), DATA_FILE);
  if (!fs.exists(path)) return undefined;
  const f = fs.open(path);
  try {
    return pageSizeOf((at, n) => f.read(at, n), path);
  } finally {
    f.close();
  }
}

/** The page size meta page 0 (or else meta page 1) gives, read through `read`. */
export function pageSizeOf(read: (offset: number, length: number) => Uint8Array, path: string): number | undefined {
  const tryMeta = (slot: number, at: number): Meta | undefined => {
    try {
      return decodeMeta(read(at, META_SIZE), slot, at, path);
    } catch {
      return undefined;
    }
  };
  const m0 = tryMeta(0, 0);
  if (m0) return m0.pageSize;
  for (const p of PAGE_SIZES) if (tryMeta(1, p)?.pageSize === p) return p;
  return undefined;
}

/** A file's meta pages as open reads them, for tools that look at a file without opening it. */
export interface MetaReading {
  /** The page size a meta page gives. */
  pageSize: number;
  slots: MetaSlot[];
  /** True unless the shutdown flag says the last session closed cleanly. */
  crashed: boolean;
  /** The valid meta page with the higher txid: the commit open takes, if it takes the file. */
  newest: Meta;
  /** Whether open takes the file (the newest commit) or refuses it, and why. */
  choice: MetaChoice;
}

/**
 * Reads the meta pages of a file through `read` and chooses between them with open's rules;
 * when no meta page gives a page size (then no page of the file can be found), the error
 * meta page 0 gives.
 */
export function readCommit(
  read: (offset: number, length: number) => Uint8Array,
  path: string,
): MetaReading | { error: KVError } {
  const pageSize = pageSizeOf(read, path);
  const slots = pageSize === undefined ? [] : readMetaSlots(read, pageSize, path);
  const newest = newestMeta(slots);
  if (pageSize === undefined || !newest) {
    try {
      decodeMeta(read(0, META_SIZE), 0, 0, path);
    } catch (e) {
      if (e instanceof KVError) return { error: e };
      throw e;
    }
    return { error: corrupt(path, 0, 'no meta page gives a usable page size') };
  }
  const crashed = read(STATE_OFFSET, 1)[0] !== STATE_CLEAN;
  return { pageSize, slots, crashed, newest, choice: currentMeta(slots, crashed, path) };
}
