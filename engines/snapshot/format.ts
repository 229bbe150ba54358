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
 *
 * Three readings of the same bytes live here: decodeSnapshot (open: verify, then load),
 * describeSnapshot (the same walk as named spans, for `kv dump` and the hex views; it never
 * throws) and snapshotFields (describeSnapshot cut down to offsets and names, for inspect()).
 */
import { corrupt } from '../errors.js';
import { compareBytes } from '../bytes.js';
import { crc32c } from '../codec/crc32c.js';
import { decodeVarint, putVarint, varintLength } from '../codec/varint.js';
import { ByteReader, crcNote, fieldGroup, hex8, malformed, span, type Group, type Span, shown } from '../layout.js';

export const MAGIC = 'KVSNAPv1';
export const VERSION = 1;
export const HEADER = 8 + 2 + 2 + 4 + 8;
export const TRAILER = 4;
/** The live snapshot file and the temporary name a save writes first. */
export const LIVE_FILE = 'snapshot.db';
export const TEMP_FILE = 'snapshot.db.tmp';

/** Copies `src` into `dst` at `o` and returns the offset after it (a loop for short arrays, cheaper than set() there). */
function copyInto(dst: Uint8Array, o: number, src: Uint8Array): number {
  const n = src.length;
  if (n > 48) dst.set(src, o);
  else for (let i = 0; i < n; i++) dst[o + i] = src[i]!;
  return o + n;
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
    o = copyInto(out, o, k);
    o = copyInto(out, o, v);
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
  if (bytes.length < HEADER + TRAILER)
    throw corrupt(
      file,
      0,
      `the file is ${bytes.length} bytes, shorter than a header and trailer (${HEADER + TRAILER})`,
    );
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < 8; i++) {
    if (bytes[i] !== MAGIC.charCodeAt(i))
      throw corrupt(file, i, `the magic number is not "${MAGIC}"; this is not a snapshot file`);
  }
  const version = dv.getUint16(8, true);
  if (version !== VERSION) throw corrupt(file, 8, `format version ${version} is not ${VERSION}`);
  const count = dv.getUint32(12, true);
  const body = dv.getUint32(16, true) + dv.getUint32(20, true) * 0x1_0000_0000;
  if (HEADER + body + TRAILER !== bytes.length) {
    throw corrupt(
      file,
      16,
      `the header says the body is ${body} bytes, but the file holds ${bytes.length - HEADER - TRAILER}`,
    );
  }
  const end = HEADER + body;
  const stored = dv.getUint32(end, true);
  const actual = crc32c(bytes, 0, end);
  if (stored !== actual)
    throw corrupt(file, end, `checksum mismatch: stored ${stored.toString(16)}, computed ${actual.toString(16)}`);
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
 * The file as spans: the header, one group per record, the trailer. Bytes that do not decode
 * (a wrong magic or version, a body length the file does not match, a record that runs past
 * the body, keys out of order) become one malformed group, and the walk of the body stops
 * there; the trailer is still shown when the file has one where the header says.
 */
export function describeSnapshot(bytes: Uint8Array): Group[] {
  const r = new ByteReader(bytes);
  if (bytes.length === 0) return [];
  if (bytes.length < HEADER)
    return [malformed(0, bytes.length, `${bytes.length} bytes, shorter than the ${HEADER}-byte header`)];
  // Step 1: the header. Its body length says where the trailer is.
  const magic = r.ascii(0, 8)!;
  const version = r.u16(8)!;
  const count = r.u32(12)!;
  const body = r.u64(16)!;
  const header = fieldGroup(
    'header',
    `${magic === MAGIC ? 'magic ok' : 'BAD MAGIC'}, version ${version}, ${count} records, body ${body} bytes`,
    [
      span(0, 8, 'magic', 'header', {
        value: magic,
        ...(magic === MAGIC ? {} : { note: `not "${MAGIC}": not a snapshot file` }),
      }),
      span(8, 2, 'version', 'header', { value: version }),
      span(10, 2, 'reserved', 'unused', { value: r.u16(10)! }),
      span(12, 4, 'count', 'length', { value: count }),
      span(16, 8, 'bodyLength', 'length', { value: body }),
    ],
  );
  const out: Group[] = [header];
  if (magic !== MAGIC || version !== VERSION) {
    out.push(
      malformed(
        HEADER,
        bytes.length,
        magic !== MAGIC ? 'this is not a snapshot file' : `format version ${version} is not ${VERSION}`,
      ),
    );
    return out;
  }
  const end = Math.min(HEADER + body, bytes.length);
  // Step 2: the records, each checked to fit the body and to follow the key before it.
  let o = HEADER;
  let prev: Uint8Array | undefined;
  let i = 0;
  let stopped = false;
  for (; o < end; i++) {
    if (i === count) {
      out.push(malformed(o, end, `${end - o} bytes after the last of ${count} records`));
      stopped = true;
      break;
    }
    const kl = decodeVarint(bytes, o, end);
    const vl = kl && decodeVarint(bytes, kl.next, end);
    if (!kl || !vl || vl.next + kl.value + vl.value > end) {
      out.push(malformed(o, end, `record ${i} runs past the end of the body`));
      stopped = true;
      break;
    }
    const key = bytes.subarray(vl.next, vl.next + kl.value);
    const value = bytes.subarray(vl.next + kl.value, vl.next + kl.value + vl.value);
    if (prev && compareBytes(prev, key) >= 0) {
      out.push(malformed(o, end, `record ${i}: its key does not follow the key before it`));
      stopped = true;
      break;
    }
    out.push(
      fieldGroup('record', `#${i} key=${shown(key)} value=${shown(value)} (${key.length}+${value.length} bytes)`, [
        span(o, kl.next - o, 'keyLength', 'length', { value: kl.value }),
        span(kl.next, vl.next - kl.next, 'valueLength', 'length', { value: vl.value }),
        span(vl.next, key.length, 'key', 'key', { value: key }),
        span(vl.next + key.length, value.length, 'value', 'value', { value }),
      ]),
    );
    prev = key;
    o = vl.next + key.length + value.length;
  }
  if (!stopped && i < count && end === HEADER + body)
    out.push(malformed(end, end, `the header says ${count} records, the body holds ${i}`));
  // Step 3: the trailer, where the header says the body ends.
  if (HEADER + body + TRAILER > bytes.length) {
    const short = `the file ends ${HEADER + body + TRAILER - bytes.length} bytes before the header says it does`;
    if (end < bytes.length) out.push(malformed(end, bytes.length, `a trailer cut short: ${short}`));
    else if (!stopped) out.push(malformed(bytes.length, bytes.length, short));
    return out;
  }
  const stored = r.u32(end)!;
  const computed = crc32c(bytes, 0, end);
  const crc = span(end, TRAILER, 'crc', 'crc', { value: stored, computed, note: crcNote(stored, computed) });
  out.push(fieldGroup('trailer', `CRC-32C ${hex8(stored)} (${crc.note})`, [crc]));
  if (end + TRAILER < bytes.length) out.push(malformed(end + TRAILER, bytes.length, 'bytes after the trailer'));
  return out;
}

/** A file of a snapshot store as spans, by its name (the live file or the temporary one); undefined for any other name. */
export function describeSnapshotFile(name: string, bytes: Uint8Array): Group[] | undefined {
  return name === LIVE_FILE || name === TEMP_FILE ? describeSnapshot(bytes) : undefined;
}

/** One field of the file, for inspect()'s strip and the site's hex view: a span's offset and name. */
export interface Field {
  offset: number;
  length: number;
  name:
    'magic' | 'version' | 'reserved' | 'count' | 'bodyLength' | 'keyLength' | 'valueLength' | 'key' | 'value' | 'crc';
  /** For record fields: which record (0-based). */
  record?: number;
}

/**
 * The fields of a snapshot file, offset by offset (describeSnapshot without kinds and values):
 * at most `maxRecords` records, none of a malformed part.
 */
export function snapshotFields(bytes: Uint8Array, maxRecords = Infinity): Field[] {
  const fields: Field[] = [];
  let record = 0;
  const take = (s: Span, r?: number): void => {
    fields.push({
      offset: s.offset,
      length: s.length,
      name: s.name as Field['name'],
      ...(r === undefined ? {} : { record: r }),
    });
  };
  for (const g of describeSnapshot(bytes)) {
    if (g.unit === 'record') {
      if (record < maxRecords) for (const s of g.spans) take(s, record);
      record++;
    } else if (g.unit !== 'malformed') for (const s of g.spans) take(s);
  }
  return fields;
}
