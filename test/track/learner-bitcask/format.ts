/**
 * format.ts: a learner's Bitcask records and hint files, written from the track's pages
 * (lessons/build/bitcask/) without the reference engine's code. Little-endian throughout.
 *
 *   record: crc32c of bytes 4.. (4) | header crc32c of bytes 8..14 (4) | flags (1) | key length (2) | value length (4) | key | value
 *   hint:   data file size (4) | count (4) | entries: key length (2), record size (4), record offset (4), key | crc32c (4)
 */
import { KVError } from '../../../engines/index.js';
import { crc32c } from '../../../engines/codec/crc32c.js';

export const HEADER = 15;
export const TOMBSTONE = 1;
export const CONTINUES = 2;

/** One decoded record and where it ends. */
export interface Record {
  flags: number;
  key: Uint8Array;
  value: Uint8Array;
  offset: number;
  size: number;
}

/** Encodes one record. */
export function encodeRecord(flags: number, key: Uint8Array, value: Uint8Array): Uint8Array {
  const out = new Uint8Array(HEADER + key.length + value.length);
  const v = new DataView(out.buffer);
  v.setUint8(8, flags);
  v.setUint16(9, key.length, true);
  v.setUint32(11, value.length, true);
  out.set(key, HEADER);
  out.set(value, HEADER + key.length);
  v.setUint32(4, crc32c(out, 8, HEADER), true);
  v.setUint32(0, crc32c(out, 4), true);
  return out;
}

/** What reading a record at `offset` of `bytes` found: a record, a torn tail, or corruption. */
export type ReadResult = { kind: 'record'; record: Record } | { kind: 'torn' } | { kind: 'end' };

/** Reads the record at `offset`; throws KV_CORRUPT for a bad record with bytes after it. */
export function readRecord(bytes: Uint8Array, offset: number, file: string): ReadResult {
  if (offset === bytes.length) return { kind: 'end' };
  if (offset + HEADER > bytes.length) return { kind: 'torn' };
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // A whole header that fails its CRC was written and then damaged: the lengths cannot be trusted.
  if (crc32c(bytes, offset + 8, offset + HEADER) !== v.getUint32(offset + 4, true)) {
    throw new KVError('KV_CORRUPT', `${file}: the record header at offset ${offset} fails its checksum`, {
      file,
      offset,
    });
  }
  const klen = v.getUint16(offset + 9, true);
  const vlen = v.getUint32(offset + 11, true);
  const end = offset + HEADER + klen + vlen;
  if (end > bytes.length) return { kind: 'torn' };
  if (crc32c(bytes, offset + 4, end) !== v.getUint32(offset, true)) {
    if (end === bytes.length) return { kind: 'torn' };
    throw new KVError('KV_CORRUPT', `${file}: the record at offset ${offset} fails its checksum`, { file, offset });
  }
  const key = bytes.slice(offset + HEADER, offset + HEADER + klen);
  const value = bytes.slice(offset + HEADER + klen, end);
  return { kind: 'record', record: { flags: v.getUint8(offset + 8), key, value, offset, size: end - offset } };
}

/** One hint entry: where a key's record is in its data file. */
export interface HintEntry {
  key: Uint8Array;
  offset: number;
  size: number;
}

/** Encodes the hint of a data file of `dataSize` bytes. */
export function encodeHint(dataSize: number, entries: HintEntry[]): Uint8Array {
  const len = 8 + entries.reduce((n, e) => n + 10 + e.key.length, 0) + 4;
  const out = new Uint8Array(len);
  const v = new DataView(out.buffer);
  v.setUint32(0, dataSize, true);
  v.setUint32(4, entries.length, true);
  let p = 8;
  for (const e of entries) {
    v.setUint16(p, e.key.length, true);
    v.setUint32(p + 2, e.size, true);
    v.setUint32(p + 6, e.offset, true);
    out.set(e.key, p + 10);
    p += 10 + e.key.length;
  }
  v.setUint32(p, crc32c(out, 0, p), true);
  return out;
}

/** Decodes a hint, or undefined when it is damaged or not for a data file of `dataSize` bytes. */
export function decodeHint(bytes: Uint8Array, dataSize: number): HintEntry[] | undefined {
  if (bytes.length < 12) return undefined;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (crc32c(bytes, 0, bytes.length - 4) !== v.getUint32(bytes.length - 4, true)) return undefined;
  if (v.getUint32(0, true) !== dataSize) return undefined;
  const out: HintEntry[] = [];
  let p = 8;
  for (let i = v.getUint32(4, true); i > 0; i--) {
    if (p + 10 > bytes.length - 4) return undefined;
    const klen = v.getUint16(p, true);
    if (p + 10 + klen > bytes.length - 4) return undefined;
    out.push({
      key: bytes.slice(p + 10, p + 10 + klen),
      size: v.getUint32(p + 2, true),
      offset: v.getUint32(p + 6, true),
    });
    p += 10 + klen;
  }
  return out;
}
