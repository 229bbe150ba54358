/**
 * format.ts: the bitcask files, byte by byte.
 *
 * Data file `NNNNNN.data` (NNNNNN = the file id, six or more decimal digits): records, one
 * after another, with no file header. Only the active file is ever appended to; every other
 * file is sealed, and the MANIFEST (below) holds its exact size.
 *
 *   offset  size  field
 *   0       4     CRC-32C (masked) of bytes 4 .. end of record, uint32 LE
 *   4       4     header CRC: CRC-32C (masked) of bytes 8 .. 22, uint32 LE
 *   8       8     sequence number, uint64 LE (two uint32 halves, low first; < 2^53)
 *   16      1     flags: bit 0 tombstone (a delete), bit 1 batch-continues; others zero
 *   17      2     key length k, uint16 LE (0 .. 65535; the store allows 0 .. 1024: 0 is the empty key)
 *   19      4     value length v, uint32 LE (0 for a tombstone)
 *   23      k     key
 *   23+k    v     value
 *
 * RECORD_HEADER = 4 + 4 + 8 + 1 + 2 + 4 = 23. The header CRC lets recovery trust the two
 * lengths before it uses them: a record that runs past the end of the file with a good
 * header is a torn append, while a flipped length bit is corruption, not a "torn tail". A batch of n ops is n records written in one
 * append: the first n-1 carry the batch-continues flag, the last does not. Recovery applies
 * a batch only once it reads the record that closes it, so a batch torn by a crash is
 * dropped whole. The keydir points at the value (offset 23+k of its record); a get reads the
 * whole record in one read so it can check the CRC and the key before returning the value.
 *
 * Hint file `NNNNNN.hint`, written by a merge beside each data file it produces: the keydir
 * entries of that file, so that open can skip reading the data file.
 *
 *   offset  size  field
 *   0       8     magic "BCHINT01" (ASCII)
 *   8       4     data file id, uint32 LE
 *   12      8     data file size in bytes, uint64 LE (the hint is valid only for that size)
 *   20      4     entry count, uint32 LE
 *   24      ...   entries
 *   end-4   4     CRC-32C (masked) of every byte before it, uint32 LE
 *
 *   entry:  0  8  sequence number, uint64 LE
 *           8  2  key length k, uint16 LE
 *           10 4  value length, uint32 LE
 *           14 8  record offset in the data file, uint64 LE
 *           22 k  key
 *
 * HINT_HEADER = 8 + 4 + 8 + 4 = 24, HINT_ENTRY = 8 + 2 + 4 + 8 = 22, HINT_TRAILER = 4.
 *
 * MANIFEST: the list of data files the store consists of, replaced whole and atomically
 * (written to MANIFEST.tmp, fsynced, renamed over MANIFEST, directory fsynced) whenever the
 * set of files changes: a new active file (first write after open, rollover), a merge's
 * commit, and close, which seals the active file. A sealed file is immutable, fully synced,
 * and must be exactly its recorded size; a listed file that is missing, shorter or longer
 * is KV_CORRUPT. A data or hint file the MANIFEST does not list is a crash's leftover (an
 * uncommitted merge's output, a committed merge's input, a file created just before the
 * MANIFEST naming it) and open removes it.
 *
 *   offset  size  field
 *   0       8     magic "BCMANI01" (ASCII)
 *   8       4     last id: the largest data file id ever used, uint32 LE
 *   12      4     active file id, uint32 LE (0: none; the active file is the only unsealed one)
 *   16      4     hinted through: every sealed file with an id up to this one has a hint
 *                 file beside it (a merge's outputs, which always hold the lowest ids), uint32 LE
 *   20      4     sealed file count n, uint32 LE
 *   24      12n   sealed files, in increasing id order
 *   end-4   4     CRC-32C (masked) of every byte before it, uint32 LE
 *
 *   sealed file:  0  4  data file id, uint32 LE
 *                 4  8  its exact size in bytes, uint64 LE
 *
 * MANIFEST_HEADER = 8 + 4 + 4 + 4 + 4 = 24, MANIFEST_ENTRY = 4 + 8 = 12, MANIFEST_TRAILER = 4.
 *
 * Merge marker (an earlier format; no longer written, still recognised so tools can name
 * it): an empty file `MERGE-started-NNNNNN` / `MERGE-committed-NNNNNN`.
 *
 * FORMAT.md explains the choices.
 */
import { crc32c, mask } from '../codec/crc32c.js';
import { corrupt } from '../errors.js';

export const RECORD_HEADER = 4 + 4 + 8 + 1 + 2 + 4;
/** The bytes the header CRC covers: seq, flags, key length, value length. */
const FIELDS_START = 8;
export const HINT_MAGIC = 'BCHINT01';
export const HINT_HEADER = 8 + 4 + 8 + 4;
export const HINT_ENTRY = 8 + 2 + 4 + 8;
export const HINT_TRAILER = 4;

/** Record flag: this record is a tombstone (the key was deleted). */
export const FLAG_TOMBSTONE = 1;
/** Record flag: more records of the same batch follow this one. */
export const FLAG_BATCH_CONTINUES = 2;
/** The largest key length the uint16 field can hold. */
export const MAX_FORMAT_KEY = 0xffff;


/** A data file's name for its id, e.g. 3 -> "000003.data". */
export function dataName(id: number): string {
  return `${String(id).padStart(6, '0')}.data`;
}

/** A hint file's name for its data file id, e.g. 3 -> "000003.hint". */
export function hintName(id: number): string {
  return `${String(id).padStart(6, '0')}.hint`;
}

/** The id and kind of a data or hint file name, or undefined for any other name. */
export function parseName(name: string): { id: number; kind: 'data' | 'hint' } | undefined {
  const m = /^(\d{6,})\.(data|hint)$/.exec(name);
  if (!m) return undefined;
  const id = Number(m[1]);
  return Number.isSafeInteger(id) && id > 0 && id <= 0xffffffff ? { id, kind: m[2] as 'data' | 'hint' } : undefined;
}

// ---- little helpers for 64-bit fields ----------------------------------------------------

/** Writes a safe integer as uint64 LE (two uint32 halves, low first). */
function setU64(dv: DataView, at: number, n: number): void {
  dv.setUint32(at, n % 0x1_0000_0000, true);
  dv.setUint32(at + 4, Math.floor(n / 0x1_0000_0000), true);
}

/** Reads a uint64 LE; values above 2^53 come back unsafe, and callers reject them. */
function getU64(dv: DataView, at: number): number {
  return dv.getUint32(at, true) + dv.getUint32(at + 4, true) * 0x1_0000_0000;
}

/** A DataView over exactly the bytes of `b`. */
function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

// ---- data records ------------------------------------------------------------------------

/** One decoded record. `key` and `value` are views into the buffer it was read from. */
export interface DataRecord {
  seq: number;
  flags: number;
  key: Uint8Array;
  value: Uint8Array;
  /** Offset of the record in its file, and its total size in bytes. */
  offset: number;
  size: number;
}

/** The total size of a record with a k-byte key and a v-byte value. */
export function recordSize(keyLength: number, valueLength: number): number {
  return RECORD_HEADER + keyLength + valueLength;
}

/** Encodes one record into `out` at `at` (which must have room) and returns the offset after it. */
export function encodeRecordInto(out: Uint8Array, at: number, seq: number, flags: number, key: Uint8Array, value: Uint8Array): number {
  const dv = view(out);
  setU64(dv, at + 8, seq);
  dv.setUint8(at + 16, flags);
  dv.setUint16(at + 17, key.length, true);
  dv.setUint32(at + 19, value.length, true);
  out.set(key, at + RECORD_HEADER);
  out.set(value, at + RECORD_HEADER + key.length);
  const end = at + RECORD_HEADER + key.length + value.length;
  // First the header CRC over the fields, then the record CRC over everything after itself.
  dv.setUint32(at + 4, mask(crc32c(out, at + FIELDS_START, at + RECORD_HEADER)), true);
  dv.setUint32(at, mask(crc32c(out, at + 4, end)), true);
  return end;
}

/** Encodes one record as its own array. */
export function encodeRecord(seq: number, flags: number, key: Uint8Array, value: Uint8Array): Uint8Array {
  const out = new Uint8Array(recordSize(key.length, value.length));
  encodeRecordInto(out, 0, seq, flags, key, value);
  return out;
}

/** What reading the record at an offset found. */
export type RecordResult =
  | { kind: 'ok'; record: DataRecord }
  /** The file ends inside the record: the tail of an interrupted append. */
  | { kind: 'torn'; reason: string }
  /** The bytes are all there but wrong: checksum or structure. `size` is set when the header checked out. */
  | { kind: 'corrupt'; reason: string; size?: number };

/**
 * Reads the record at `buf[at]`, never past `end`. `base` is the file offset of `buf[0]`
 * (so a record read on its own still reports its file offset).
 */
export function decodeRecord(buf: Uint8Array, at: number, end = buf.length, base = 0): RecordResult {
  if (at + RECORD_HEADER > end) return { kind: 'torn', reason: `only ${end - at} bytes of a ${RECORD_HEADER}-byte record header` };
  const dv = view(buf);
  // The header CRC first: only then are the lengths worth believing.
  const storedHeader = dv.getUint32(at + 4, true);
  const actualHeader = mask(crc32c(buf, at + FIELDS_START, at + RECORD_HEADER));
  if (storedHeader !== actualHeader) return { kind: 'corrupt', reason: `header checksum mismatch (stored ${hex8(storedHeader)}, computed ${hex8(actualHeader)})` };
  const keyLength = dv.getUint16(at + 17, true);
  const valueLength = dv.getUint32(at + 19, true);
  const size = RECORD_HEADER + keyLength + valueLength;
  if (at + size > end) return { kind: 'torn', reason: `a ${size}-byte record runs past the end of the file` };
  const stored = dv.getUint32(at, true);
  const actual = mask(crc32c(buf, at + 4, at + size));
  if (stored !== actual) return { kind: 'corrupt', reason: `record checksum mismatch (stored ${hex8(stored)}, computed ${hex8(actual)})`, size };
  // The checksums matched; still check the structure, since a file can be crafted.
  const seq = getU64(dv, at + 8);
  const flags = dv.getUint8(at + 16);
  if (!Number.isSafeInteger(seq)) return { kind: 'corrupt', reason: `sequence number is over 2^53` };
  if ((flags & ~(FLAG_TOMBSTONE | FLAG_BATCH_CONTINUES)) !== 0) return { kind: 'corrupt', reason: `unknown flags 0x${flags.toString(16)}` };
  if (flags & FLAG_TOMBSTONE && valueLength !== 0) return { kind: 'corrupt', reason: 'a tombstone with a value' };
  const key = buf.subarray(at + RECORD_HEADER, at + RECORD_HEADER + keyLength);
  const value = buf.subarray(at + RECORD_HEADER + keyLength, at + size);
  return { kind: 'ok', record: { seq, flags, key, value, offset: base + at, size } };
}

/** One field of a record, a hint entry or a file header, for the annotated hex view. */
export interface Field {
  offset: number;
  length: number;
  name: 'crc' | 'headerCrc' | 'seq' | 'flags' | 'keyLength' | 'valueLength' | 'key' | 'value' | 'magic' | 'fileId' | 'dataSize' | 'count' | 'recordOffset' | 'lastId' | 'activeId' | 'hintedThrough';
}

/** The fields of a record at file offset `at` with the given key and value lengths. */
export function recordFields(at: number, keyLength: number, valueLength: number): Field[] {
  return [
    { offset: at, length: 4, name: 'crc' },
    { offset: at + 4, length: 4, name: 'headerCrc' },
    { offset: at + 8, length: 8, name: 'seq' },
    { offset: at + 16, length: 1, name: 'flags' },
    { offset: at + 17, length: 2, name: 'keyLength' },
    { offset: at + 19, length: 4, name: 'valueLength' },
    { offset: at + RECORD_HEADER, length: keyLength, name: 'key' },
    { offset: at + RECORD_HEADER + keyLength, length: valueLength, name: 'value' },
  ];
}

// ---- hint files --------------------------------------------------------------------------

/** One hint entry: where a live record of the data file is. */
export interface HintEntry {
  seq: number;
  key: Uint8Array;
  valueLength: number;
  recordOffset: number;
}

/** Encodes a whole hint file for data file `id` of `dataSize` bytes. */
export function encodeHint(id: number, dataSize: number, entries: readonly HintEntry[]): Uint8Array {
  let n = HINT_HEADER + HINT_TRAILER;
  for (const e of entries) n += HINT_ENTRY + e.key.length;
  const out = new Uint8Array(n);
  const dv = view(out);
  for (let i = 0; i < 8; i++) out[i] = HINT_MAGIC.charCodeAt(i);
  dv.setUint32(8, id, true);
  setU64(dv, 12, dataSize);
  dv.setUint32(20, entries.length, true);
  let o = HINT_HEADER;
  for (const e of entries) {
    setU64(dv, o, e.seq);
    dv.setUint16(o + 8, e.key.length, true);
    dv.setUint32(o + 10, e.valueLength, true);
    setU64(dv, o + 14, e.recordOffset);
    out.set(e.key, o + HINT_ENTRY);
    o += HINT_ENTRY + e.key.length;
  }
  // The trailer covers every byte before it.
  dv.setUint32(o, mask(crc32c(out, 0, o)), true);
  return out;
}

/**
 * Decodes and checks a hint file for data file `id` whose current size is `dataSize`.
 * Returns the entries, or a reason the hint cannot be trusted (then open scans the data
 * file instead: a bad hint is never an error, only a slower open). Never reads out of bounds.
 */
export function decodeHint(bytes: Uint8Array, id: number, dataSize: number): { entries: HintEntry[] } | { invalid: string } {
  if (bytes.length < HINT_HEADER + HINT_TRAILER) return { invalid: `${bytes.length} bytes is shorter than a hint header and trailer` };
  for (let i = 0; i < 8; i++) if (bytes[i] !== HINT_MAGIC.charCodeAt(i)) return { invalid: `the magic number is not "${HINT_MAGIC}"` };
  const dv = view(bytes);
  const end = bytes.length - HINT_TRAILER;
  const stored = dv.getUint32(end, true);
  const actual = mask(crc32c(bytes, 0, end));
  if (stored !== actual) return { invalid: `checksum mismatch (stored ${hex8(stored)}, computed ${hex8(actual)})` };
  if (dv.getUint32(8, true) !== id) return { invalid: `it names data file ${dv.getUint32(8, true)}, not ${id}` };
  const size = getU64(dv, 12);
  if (size !== dataSize) return { invalid: `it describes a data file of ${size} bytes, but the file has ${dataSize}` };
  const count = dv.getUint32(20, true);
  const entries: HintEntry[] = [];
  let o = HINT_HEADER;
  for (let i = 0; i < count; i++) {
    if (o + HINT_ENTRY > end) return { invalid: `entry ${i} runs past the end` };
    const seq = getU64(dv, o);
    const keyLength = dv.getUint16(o + 8, true);
    const valueLength = dv.getUint32(o + 10, true);
    const recordOffset = getU64(dv, o + 14);
    if (o + HINT_ENTRY + keyLength > end) return { invalid: `entry ${i}'s key runs past the end` };
    if (!Number.isSafeInteger(seq)) return { invalid: `entry ${i} has a sequence number over 2^53` };
    if (recordOffset + recordSize(keyLength, valueLength) > dataSize) return { invalid: `entry ${i} points past the end of the data file` };
    entries.push({ seq, key: bytes.subarray(o + HINT_ENTRY, o + HINT_ENTRY + keyLength), valueLength, recordOffset });
    o += HINT_ENTRY + keyLength;
  }
  if (o !== end) return { invalid: `${end - o} bytes after the last of ${count} entries` };
  return { entries };
}

/** The fields of a hint file, header then entries (at most `maxEntries`), for the hex view. */
export function hintFields(bytes: Uint8Array, maxEntries = Infinity): Field[][] {
  const out: Field[][] = [];
  if (bytes.length < HINT_HEADER) return out;
  out.push([
    { offset: 0, length: 8, name: 'magic' },
    { offset: 8, length: 4, name: 'fileId' },
    { offset: 12, length: 8, name: 'dataSize' },
    { offset: 20, length: 4, name: 'count' },
  ]);
  const dv = view(bytes);
  const end = bytes.length - HINT_TRAILER;
  for (let o = HINT_HEADER, i = 0; o + HINT_ENTRY <= end && i < maxEntries; i++) {
    const keyLength = dv.getUint16(o + 8, true);
    if (o + HINT_ENTRY + keyLength > end) break;
    out.push([
      { offset: o, length: 8, name: 'seq' },
      { offset: o + 8, length: 2, name: 'keyLength' },
      { offset: o + 10, length: 4, name: 'valueLength' },
      { offset: o + 14, length: 8, name: 'recordOffset' },
      { offset: o + HINT_ENTRY, length: keyLength, name: 'key' },
    ]);
    o += HINT_ENTRY + keyLength;
  }
  return out;
}

// ---- the MANIFEST ------------------------------------------------------------------------

/** The MANIFEST's name, and the temporary name a new one is written under before the rename. */
export const MANIFEST_NAME = 'MANIFEST';
export const MANIFEST_TMP = 'MANIFEST.tmp';
export const MANIFEST_MAGIC = 'BCMANI01';
export const MANIFEST_HEADER = 8 + 4 + 4 + 4 + 4;
export const MANIFEST_ENTRY = 4 + 8;
export const MANIFEST_TRAILER = 4;

/** One sealed data file as the MANIFEST lists it. */
export interface SealedFile {
  id: number;
  /** Its exact size in bytes. */
  size: number;
  /** True when a merge wrote a hint file beside it (stored as "hinted through" in the header). */
  hint: boolean;
}

/** The decoded MANIFEST. */
export interface Manifest {
  /** The largest data file id ever used: new files take ids above it. */
  lastId: number;
  /** The active (unsealed) data file's id, or 0 when every file is sealed. */
  active: number;
  /** Every sealed data file, by increasing id. */
  sealed: SealedFile[];
}

/**
 * Encodes a MANIFEST (its sealed files are written in increasing id order). The files with
 * hints must be the lowest ids (a merge's outputs): the format stores only the last of them.
 */
export function encodeManifest(m: Manifest): Uint8Array {
  const sealed = [...m.sealed].sort((a, b) => a.id - b.id);
  let hintedThrough = 0;
  for (const f of sealed) if (f.hint) hintedThrough = f.id;
  const out = new Uint8Array(MANIFEST_HEADER + sealed.length * MANIFEST_ENTRY + MANIFEST_TRAILER);
  const dv = view(out);
  for (let i = 0; i < 8; i++) out[i] = MANIFEST_MAGIC.charCodeAt(i);
  dv.setUint32(8, m.lastId, true);
  dv.setUint32(12, m.active, true);
  dv.setUint32(16, hintedThrough, true);
  dv.setUint32(20, sealed.length, true);
  let o = MANIFEST_HEADER;
  for (const f of sealed) {
    dv.setUint32(o, f.id, true);
    setU64(dv, o + 4, f.size);
    o += MANIFEST_ENTRY;
  }
  // The trailer covers every byte before it.
  dv.setUint32(o, mask(crc32c(out, 0, o)), true);
  return out;
}

/**
 * Decodes and checks a MANIFEST read from `path`. Any flaw is KV_CORRUPT naming the path
 * and the offset of the bad field: a store whose file list cannot be trusted is not opened.
 */
export function decodeManifest(bytes: Uint8Array, path: string): Manifest {
  if (bytes.length < MANIFEST_HEADER + MANIFEST_TRAILER) throw corrupt(path, bytes.length, `${bytes.length} bytes is shorter than a MANIFEST header and trailer`);
  for (let i = 0; i < 8; i++) if (bytes[i] !== MANIFEST_MAGIC.charCodeAt(i)) throw corrupt(path, 0, `the magic number is not "${MANIFEST_MAGIC}"`);
  const dv = view(bytes);
  const end = bytes.length - MANIFEST_TRAILER;
  const stored = dv.getUint32(end, true);
  const actual = mask(crc32c(bytes, 0, end));
  if (stored !== actual) throw corrupt(path, end, `checksum mismatch (stored ${hex8(stored)}, computed ${hex8(actual)})`);
  const lastId = dv.getUint32(8, true);
  const active = dv.getUint32(12, true);
  const hintedThrough = dv.getUint32(16, true);
  const count = dv.getUint32(20, true);
  if (MANIFEST_HEADER + count * MANIFEST_ENTRY !== end) throw corrupt(path, 20, `${count} sealed files do not fill the ${end - MANIFEST_HEADER} bytes of entries`);
  if (active > lastId) throw corrupt(path, 12, `active file ${active} is above the last id ${lastId}`);
  if (hintedThrough > lastId) throw corrupt(path, 16, `hinted-through id ${hintedThrough} is above the last id ${lastId}`);
  const sealed: SealedFile[] = [];
  let prev = 0;
  for (let i = 0, o = MANIFEST_HEADER; i < count; i++, o += MANIFEST_ENTRY) {
    const id = dv.getUint32(o, true);
    const size = getU64(dv, o + 4);
    if (id <= prev || id > lastId || id === active) throw corrupt(path, o, `sealed file id ${id} is out of order, repeated, the active file or above the last id`);
    if (!Number.isSafeInteger(size)) throw corrupt(path, o + 4, 'a file size over 2^53');
    sealed.push({ id, size, hint: id <= hintedThrough });
    prev = id;
  }
  return { lastId, active, sealed };
}

/**
 * The fields of a MANIFEST for the hex view: the header, then one group per sealed file
 * (fileId, dataSize) as far as the bytes go, then the trailer (crc). Never reads past the end.
 */
export function manifestFields(bytes: Uint8Array): Field[][] {
  const out: Field[][] = [];
  if (bytes.length < MANIFEST_HEADER) return out;
  out.push([
    { offset: 0, length: 8, name: 'magic' },
    { offset: 8, length: 4, name: 'lastId' },
    { offset: 12, length: 4, name: 'activeId' },
    { offset: 16, length: 4, name: 'hintedThrough' },
    { offset: 20, length: 4, name: 'count' },
  ]);
  const end = bytes.length - MANIFEST_TRAILER;
  for (let o = MANIFEST_HEADER; o + MANIFEST_ENTRY <= end; o += MANIFEST_ENTRY) {
    out.push([
      { offset: o, length: 4, name: 'fileId' },
      { offset: o + 4, length: 8, name: 'dataSize' },
    ]);
  }
  if (end >= MANIFEST_HEADER) out.push([{ offset: end, length: MANIFEST_TRAILER, name: 'crc' }]);
  return out;
}

// ---- the merge marker --------------------------------------------------------------------

/** A merge marker's state: outputs being written, or the merge committed. */
export type MergeState = 'started' | 'committed';

/** The marker's name for a state and last input id, e.g. "MERGE-started-000003". */
export function mergeMarkerName(state: MergeState, lastInput: number): string {
  return `MERGE-${state}-${String(lastInput).padStart(6, '0')}`;
}

/** The state and last input id a marker name says, or undefined for any other name. */
export function parseMergeMarker(name: string): { state: MergeState; lastInput: number } | undefined {
  const m = /^MERGE-(started|committed)-(\d{6,})$/.exec(name);
  return m ? { state: m[1] as MergeState, lastInput: Number(m[2]) } : undefined;
}

/** A uint32 as 8 hex digits. */
function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}
