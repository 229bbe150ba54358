/**
 * format.ts: every byte layout of the lsm engine (after LevelDB's log_format.md and
 * table_format.md). All integers are little-endian; "varint" is LEB128 (codec/varint.ts).
 *
 * Files in the store directory (NNNNNN is a 6-digit file number from one counter):
 *   NNNNNN.log        write-ahead log: frames (codec/frame.ts), one per write or batch
 *   NNNNNN.sst        SSTable: sorted, immutable
 *   MANIFEST-NNNNNN   manifest: frames, one version edit each; the first is a full snapshot
 *   CURRENT           the name of the live manifest and a newline (replaced by rename)
 *   CURRENT.tmp       CURRENT being written (garbage after a crash)
 *
 * Log record (the payload of one frame; FRAME_HEADER = 4 length + 4 masked CRC-32C):
 *   offset  size  field
 *   0       8     sequence number of the first op, uint64 (two uint32 halves, low first)
 *   8       4     op count n, uint32
 *   12      ...   n ops: kind u8 (1 put, 0 delete) | key length varint (0 = the empty key) | key |
 *                 (put only) value length varint | value
 *   LOG_HEADER = 8 + 4. Op i of the record has sequence number first + i.
 *
 * Internal key (the key stored in a data block): user key | trailer, where
 *   trailer = seq * 256 + kind as a uint64 (two uint32 halves, low first); TRAILER = 8.
 *   The user key may be empty, so an internal key is at least TRAILER bytes (exactly
 *   TRAILER for the empty key); an index key, a table's smallest key and the compaction
 *   pointer may be the empty key too, and nothing gives a zero length any other meaning.
 *
 * SSTable:
 *   [data block][block trailer] ... [filter block][block trailer] [index block][block trailer] [footer]
 *
 *   block trailer: masked CRC-32C of the block's bytes, uint32; BLOCK_TRAILER = 4
 *
 *   data block (also the index block's format):
 *     entries: shared varint | unshared varint | value length varint | key[shared..] | value
 *              (`shared` bytes of the key are the same as the previous entry's key; an
 *               entry at a restart point has shared = 0 and its whole key)
 *     restarts: uint32 offset of each restart entry, then the restart count, uint32
 *   index block: one entry per data block, key = the block's last user key,
 *     value = block handle: offset varint | size varint (size excludes the trailer);
 *     every index entry is a restart point (interval 1), so lookup is a binary search.
 *   filter block: bloom filter bits | probe count u8 (see bloom.ts)
 *
 *   footer:
 *   offset  size  field
 *   0       8     index block offset, uint64 (two uint32 halves, low first)
 *   8       4     index block size, uint32
 *   12      8     filter block offset, uint64
 *   20      4     filter block size, uint32
 *   24      4     masked CRC-32C of footer bytes 0..24
 *   28      8     magic "LSMTBLv1"
 *   FOOTER = 8 + 4 + 8 + 4 + 4 + 8 = 36
 *
 * Version edit (the payload of one manifest frame): tagged fields, each tag a varint:
 *   1 log number varint          (logs numbered below it are no longer needed)
 *   2 next file number varint
 *   3 last sequence varint
 *   4 deleted file: level varint | file number varint
 *   5 added file: level | number | size | entries | tombstones | min seq | max seq (varints)
 *                 | smallest length varint | smallest | largest length varint | largest
 *   6 sealed log: log number varint | length varint (the log is complete: every byte synced,
 *                 never written again; recovery then treats any damage to it as corruption)
 *
 * Every decoder checks bounds and throws KV_CORRUPT naming the file and offset.
 *
 * The code: file names in names.ts, version edits in edit.ts (both re-exported here), the
 * rest below; blocks are built and read in block.ts (readEntry is the one reader of an
 * entry's three varints). The describers, which name every byte of a file for `kv dump` and
 * the hex views, are log-layout.ts (logs and manifests), table-layout.ts and layout.ts.
 */
import { corrupt } from '../errors.js';
import { crc32c, mask } from '../codec/crc32c.js';
import { getU64, setU64 } from '../codec/u64.js';
import { decodeVarint, putVarint, varintLength } from '../codec/varint.js';

export * from './names.js';
export * from './edit.js';

// ---- entries -------------------------------------------------------------------------

/** An entry kind: a tombstone (0) or a value (1), as LevelDB numbers them. */
export const KIND_DELETE = 0;
export const KIND_PUT = 1;
export type Kind = typeof KIND_DELETE | typeof KIND_PUT;

/** One versioned entry: a user key, its sequence number, and a value or a tombstone. */
export interface Entry {
  key: Uint8Array;
  seq: number;
  kind: Kind;
  /** The value (empty for a tombstone). */
  value: Uint8Array;
}

/** The largest sequence number a trailer can hold (2^53 - 1: a safe integer). */
export const MAX_SEQ = Number.MAX_SAFE_INTEGER;

// ---- log records -----------------------------------------------------------------------

export const LOG_HEADER = 8 + 4;

/** The payload length of the log record of a write (one op, or a whole batch). */
export function logRecordLength(ops: readonly Entry[]): number {
  let n = LOG_HEADER;
  for (const op of ops) {
    n += 1 + varintLength(op.key.length) + op.key.length;
    if (op.kind === KIND_PUT) n += varintLength(op.value.length) + op.value.length;
  }
  return n;
}

/** Writes the log record payload of a write into `out` at `at` (logRecordLength bytes); returns the end. */
export function encodeLogRecordInto(out: Uint8Array, at: number, firstSeq: number, ops: readonly Entry[]): number {
  const dv = new DataView(out.buffer, out.byteOffset + at, LOG_HEADER);
  setU64(dv, 0, firstSeq);
  dv.setUint32(8, ops.length, true);
  let o = at + LOG_HEADER;
  for (const op of ops) {
    out[o++] = op.kind;
    o = putVarint(out, o, op.key.length);
    out.set(op.key, o);
    o += op.key.length;
    if (op.kind === KIND_PUT) {
      o = putVarint(out, o, op.value.length);
      out.set(op.value, o);
      o += op.value.length;
    }
  }
  return o;
}

/** Encodes a write (one op, or a whole batch) as one log record payload. */
export function encodeLogRecord(firstSeq: number, ops: readonly Entry[]): Uint8Array {
  const out = new Uint8Array(logRecordLength(ops));
  encodeLogRecordInto(out, 0, firstSeq, ops);
  return out;
}

/** Decodes a log record payload found at `base` in `file`; entries are views into `p`. */
export function decodeLogRecord(p: Uint8Array, file: string, base: number): Entry[] {
  if (p.length < LOG_HEADER)
    throw corrupt(file, base, `a log record of ${p.length} bytes is shorter than its ${LOG_HEADER}-byte header`);
  const dv = new DataView(p.buffer, p.byteOffset, p.byteLength);
  const first = getU64(dv, 0);
  const count = dv.getUint32(8, true);
  if (!Number.isSafeInteger(first + count)) throw corrupt(file, base, `sequence number ${first} is out of range`);
  const ops: Entry[] = [];
  let o = LOG_HEADER;
  for (let i = 0; i < count; i++) {
    if (o >= p.length) throw corrupt(file, base + o, `log record ends after ${i} of ${count} ops`);
    const kind = p[o]!;
    if (kind !== KIND_PUT && kind !== KIND_DELETE) throw corrupt(file, base + o, `op ${i} has unknown kind ${kind}`);
    const kl = decodeVarint(p, o + 1);
    if (!kl || kl.next + kl.value > p.length) throw corrupt(file, base + o + 1, `op ${i} has a bad key length`);
    const key = p.subarray(kl.next, kl.next + kl.value);
    o = kl.next + kl.value;
    let value: Uint8Array = EMPTY;
    if (kind === KIND_PUT) {
      const vl = decodeVarint(p, o);
      if (!vl || vl.next + vl.value > p.length) throw corrupt(file, base + o, `op ${i} has a bad value length`);
      value = p.subarray(vl.next, vl.next + vl.value);
      o = vl.next + vl.value;
    }
    ops.push({ key, seq: first + i, kind: kind as Kind, value });
  }
  if (o !== p.length) throw corrupt(file, base + o, `${p.length - o} stray bytes after the last op of a log record`);
  return ops;
}

export const EMPTY: Uint8Array = new Uint8Array(0);

// ---- internal keys -------------------------------------------------------------------

export const TRAILER = 8;

/** The internal key: user key then the 8-byte (seq, kind) trailer. */
export function encodeInternalKey(key: Uint8Array, seq: number, kind: Kind): Uint8Array {
  const out = new Uint8Array(key.length + TRAILER);
  out.set(key, 0);
  setTrailer(out.subarray(key.length), seq, kind);
  return out;
}

/** Writes the 8-byte trailer seq * 256 + kind (uint64 LE, two uint32 halves) at the start of `out`. */
export function setTrailer(out: Uint8Array, seq: number, kind: Kind): void {
  // seq * 256 + kind, split so that no intermediate exceeds 2^53.
  const low = (seq % 0x100_0000) * 256 + kind;
  const high = Math.floor(seq / 0x100_0000);
  out[0] = low & 0xff;
  out[1] = (low >>> 8) & 0xff;
  out[2] = (low >>> 16) & 0xff;
  out[3] = (low >>> 24) & 0xff;
  out[4] = high & 0xff;
  out[5] = (high >>> 8) & 0xff;
  out[6] = (high >>> 16) & 0xff;
  out[7] = (high >>> 24) & 0xff;
}

/** Splits an internal key (a view, not copied) into user key, seq and kind. */
export function decodeInternalKey(
  ik: Uint8Array,
  file: string,
  offset: number,
): { key: Uint8Array; seq: number; kind: Kind } {
  if (ik.length < TRAILER)
    throw corrupt(file, offset, `an internal key of ${ik.length} bytes has no room for its ${TRAILER}-byte trailer`);
  const dv = new DataView(ik.buffer, ik.byteOffset, ik.byteLength);
  const at = ik.length - TRAILER;
  const low = dv.getUint32(at, true);
  const high = dv.getUint32(at + 4, true);
  const kind = low & 0xff;
  if (kind !== KIND_PUT && kind !== KIND_DELETE)
    throw corrupt(file, offset, `entry kind ${kind} is neither put nor delete`);
  const seq = high * 0x100_0000 + (low >>> 8);
  if (!Number.isSafeInteger(seq)) throw corrupt(file, offset, `sequence number is out of range`);
  return { key: ik.subarray(0, at), seq, kind: kind as Kind };
}

// ---- blocks ----------------------------------------------------------------------------

export const BLOCK_TRAILER = 4;
export const RESTART_BYTES = 4;

/** The trailer of a block: the masked CRC-32C of its bytes. */
export function blockTrailer(block: Uint8Array): Uint8Array {
  const out = new Uint8Array(BLOCK_TRAILER);
  new DataView(out.buffer).setUint32(0, mask(crc32c(block)), true);
  return out;
}

/** Checks a block read with its trailer; returns the block bytes (a view) or throws. */
export function verifyBlock(withTrailer: Uint8Array, file: string, offset: number, what: string): Uint8Array {
  if (withTrailer.length < BLOCK_TRAILER) throw corrupt(file, offset, `the ${what} block is cut short`);
  const n = withTrailer.length - BLOCK_TRAILER;
  const block = withTrailer.subarray(0, n);
  const stored = new DataView(withTrailer.buffer, withTrailer.byteOffset + n, 4).getUint32(0, true);
  const actual = mask(crc32c(block));
  if (stored !== actual) {
    throw corrupt(
      file,
      offset,
      `the ${what} block's checksum does not match (stored ${stored.toString(16)}, computed ${actual.toString(16)})`,
    );
  }
  return block;
}

/** Where a block lies in its file (size excludes the trailer). */
export interface BlockHandle {
  offset: number;
  size: number;
}

/** Encodes a block handle as two varints. */
export function encodeHandle(h: BlockHandle): Uint8Array {
  const out = new Uint8Array(varintLength(h.offset) + varintLength(h.size));
  putVarint(out, putVarint(out, 0, h.offset), h.size);
  return out;
}

/** Decodes a block handle that must lie within a file of `fileSize` bytes. */
export function decodeHandle(b: Uint8Array, fileSize: number, file: string, offset: number): BlockHandle {
  const o = decodeVarint(b, 0);
  const s = o && decodeVarint(b, o.next);
  if (!o || !s || s.next !== b.length) throw corrupt(file, offset, 'a block handle is malformed');
  if (o.value + s.value + BLOCK_TRAILER > fileSize)
    throw corrupt(file, offset, `a block handle points past the end of the file`);
  return { offset: o.value, size: s.value };
}

// ---- footer ----------------------------------------------------------------------------

export const TABLE_MAGIC = 'LSMTBLv1';
export const FOOTER = 8 + 4 + 8 + 4 + 4 + 8;

/** The two handles a footer holds. */
export interface Footer {
  index: BlockHandle;
  filter: BlockHandle;
}

/** Encodes a table footer. */
export function encodeFooter(f: Footer): Uint8Array {
  const out = new Uint8Array(FOOTER);
  const dv = new DataView(out.buffer);
  setU64(dv, 0, f.index.offset);
  dv.setUint32(8, f.index.size, true);
  setU64(dv, 12, f.filter.offset);
  dv.setUint32(20, f.filter.size, true);
  dv.setUint32(24, mask(crc32c(out, 0, 24)), true);
  for (let i = 0; i < 8; i++) out[28 + i] = TABLE_MAGIC.charCodeAt(i);
  return out;
}

/** Decodes and checks a footer read from the last FOOTER bytes of a file of `fileSize` bytes. */
export function decodeFooter(b: Uint8Array, fileSize: number, file: string): Footer {
  const at = fileSize - FOOTER;
  if (b.length !== FOOTER || at < 0)
    throw corrupt(file, 0, `the file is ${fileSize} bytes, too short for a ${FOOTER}-byte footer`);
  for (let i = 0; i < 8; i++) {
    if (b[28 + i] !== TABLE_MAGIC.charCodeAt(i))
      throw corrupt(file, at + 28, `the magic number is not "${TABLE_MAGIC}"; this is not an SSTable`);
  }
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  if (dv.getUint32(24, true) !== mask(crc32c(b, 0, 24)))
    throw corrupt(file, at + 24, `the footer's checksum does not match`);
  const index = { offset: getU64(dv, 0), size: dv.getUint32(8, true) };
  const filter = { offset: getU64(dv, 12), size: dv.getUint32(20, true) };
  for (const [h, name] of [
    [index, 'index'],
    [filter, 'filter'],
  ] as const) {
    if (h.offset + h.size + BLOCK_TRAILER > at)
      throw corrupt(file, at, `the ${name} block handle points past the footer`);
  }
  return { index, filter };
}
