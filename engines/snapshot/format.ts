/**
 * format.ts: the snapshot file, the whole map written in one go.
 *
 *   offset  size  field
 *   0       8     magic "KVSNAPv1" (ASCII)
 *   8       2     format version, uint16 LE (1)
 *   10      2     reserved, zero
 *   12      4     record count, uint32 LE
 *   16      8     body length in bytes, uint64 LE (stored as two uint32 LE halves, low first)
 *   24      ...   body: `count` records, keys in strictly increasing bytewise order
 *   24+len  4     CRC-32C of every byte before it (header and body), uint32 LE
 *
 *   record: key length (varint) | value length (varint) | key bytes | value bytes
 *           (a key length of 0 is the empty key, which sorts first; 0 means nothing else)
 *
 * HEADER = 8 + 2 + 2 + 4 + 8 = 24 and TRAILER = 4. The file is only ever written whole, to
 * a temporary name, then renamed over the live one (see store.ts), so a reader sees either
 * the old snapshot or the new one, never a mix. FORMAT.md explains the choices.
 */
import { corrupt } from '../errors.js';
import { compareBytes } from '../bytes.js';
import { crc32c } from '../codec/crc32c.js';
import { decodeVarint, putVarint, varintLength } from '../codec/varint.js';

export const MAGIC = 'KVSNAPv1';
export const VERSION = 1;
export const HEADER = 8 + 2 + 2 + 4 + 8;
export const TRAILER = 4;
/** The live snapshot file and the temporary name a save writes first. */
export const LIVE_FILE = 'snapshot.db';
export const TEMP_FILE = 'snapshot.db.tmp';

/** One field of the file, for the annotated hex view and the dump command. */
export interface Field {
  offset: number;
  length: number;
  name: 'magic' | 'version' | 'reserved' | 'count' | 'bodyLength' | 'keyLength' | 'valueLength' | 'key' | 'value' | 'crc';
  /** For record fields: which record (0-based). */
  record?: number;
}

/** Encodes sorted pairs as a whole snapshot file. Pairs must be in strictly increasing key order. */
export function encodeSnapshot(pairs: readonly (readonly [Uint8Array, Uint8Array])[]): Uint8Array {
  // Size the body first, so the file is built in one array.
  let body = 0;
  for (const [k, v] of pairs) body += varintLength(k.length) + varintLength(v.length) + k.length + v.length;
  const out = new Uint8Array(HEADER + body + TRAILER);
  const dv = new DataView(out.buffer);
  for (let i = 0; i < 8; i++) out[i] = MAGIC.charCodeAt(i);
  dv.setUint16(8, VERSION, true);
  dv.setUint16(10, 0, true);
  dv.setUint32(12, pairs.length, true);
  dv.setUint32(16, body % 0x1_0000_0000, true);
  dv.setUint32(20, Math.floor(body / 0x1_0000_0000), true);
  // The records, each length-prefixed.
  let o = HEADER;
  for (const [k, v] of pairs) {
    o = putVarint(out, o, k.length);
    o = putVarint(out, o, v.length);
    out.set(k, o);
    o += k.length;
    out.set(v, o);
    o += v.length;
  }
  // The trailer checksum covers everything before it.
  dv.setUint32(o, crc32c(out, 0, o), true);
  return out;
}

/**
 * Decodes and verifies a whole snapshot file. Throws KV_CORRUPT naming `file` and the offset
 * of the first problem; never reads out of bounds. Returned arrays are views into `bytes`.
 */
export function decodeSnapshot(bytes: Uint8Array, file: string): [Uint8Array, Uint8Array][] {
  if (bytes.length < HEADER + TRAILER) throw corrupt(file, 0, `the file is ${bytes.length} bytes, shorter than a header and trailer (${HEADER + TRAILER})`);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < 8; i++) {
    if (bytes[i] !== MAGIC.charCodeAt(i)) throw corrupt(file, i, `the magic number is not "${MAGIC}"; this is not a snapshot file`);
  }
  const version = dv.getUint16(8, true);
  if (version !== VERSION) throw corrupt(file, 8, `format version ${version} is not ${VERSION}`);
  const count = dv.getUint32(12, true);
  const body = dv.getUint32(16, true) + dv.getUint32(20, true) * 0x1_0000_0000;
  if (HEADER + body + TRAILER !== bytes.length) {
    throw corrupt(file, 16, `the header says the body is ${body} bytes, but the file holds ${bytes.length - HEADER - TRAILER}`);
  }
  const end = HEADER + body;
  const stored = dv.getUint32(end, true);
  const actual = crc32c(bytes, 0, end);
  if (stored !== actual) throw corrupt(file, end, `checksum mismatch: stored ${stored.toString(16)}, computed ${actual.toString(16)}`);
  // The checksum matched; still parse defensively, since a file can be crafted.
  const pairs: [Uint8Array, Uint8Array][] = [];
  let o = HEADER;
  for (let i = 0; i < count; i++) {
    const kl = decodeVarint(bytes, o, end);
    if (!kl) throw corrupt(file, o, `record ${i}: bad key length`);
    const vl = decodeVarint(bytes, kl.next, end);
    if (!vl) throw corrupt(file, kl.next, `record ${i}: bad value length`);
    const ks = vl.next;
    if (ks + kl.value + vl.value > end) throw corrupt(file, o, `record ${i} runs past the end of the body`);
    const key = bytes.subarray(ks, ks + kl.value);
    const value = bytes.subarray(ks + kl.value, ks + kl.value + vl.value);
    if (pairs.length > 0 && compareBytes(pairs[pairs.length - 1]![0], key) >= 0) {
      throw corrupt(file, ks, `record ${i}: keys are not in increasing order`);
    }
    pairs.push([key, value]);
    o = ks + kl.value + vl.value;
  }
  if (o !== end) throw corrupt(file, o, `${end - o} bytes after the last of ${count} records`);
  return pairs;
}

/**
 * The fields of a snapshot file, offset by offset, for the hex view: at most `maxRecords`
 * records, stopping at the first malformed one.
 */
export function snapshotFields(bytes: Uint8Array, maxRecords = Infinity): Field[] {
  const fields: Field[] = [];
  if (bytes.length < HEADER) return fields;
  fields.push({ offset: 0, length: 8, name: 'magic' }, { offset: 8, length: 2, name: 'version' }, { offset: 10, length: 2, name: 'reserved' });
  fields.push({ offset: 12, length: 4, name: 'count' }, { offset: 16, length: 8, name: 'bodyLength' });
  const end = Math.max(HEADER, bytes.length - TRAILER);
  let o = HEADER;
  for (let record = 0; o < end && record < maxRecords; record++) {
    const kl = decodeVarint(bytes, o, end);
    if (!kl) break;
    const vl = decodeVarint(bytes, kl.next, end);
    if (!vl) break;
    if (vl.next + kl.value + vl.value > end) break;
    fields.push({ offset: o, length: kl.next - o, name: 'keyLength', record });
    fields.push({ offset: kl.next, length: vl.next - kl.next, name: 'valueLength', record });
    fields.push({ offset: vl.next, length: kl.value, name: 'key', record });
    fields.push({ offset: vl.next + kl.value, length: vl.value, name: 'value', record });
    o = vl.next + kl.value + vl.value;
  }
  if (bytes.length >= HEADER + TRAILER) fields.push({ offset: bytes.length - TRAILER, length: TRAILER, name: 'crc' });
  return fields;
}
