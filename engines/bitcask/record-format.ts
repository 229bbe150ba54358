/**
 * record-format.ts: a bitcask data file's bytes: records, one after another, no file header
 * (the byte table is in format.ts). encodeRecord and decodeRecord are what the store writes
 * and reads; describeDataFile walks a whole file with decodeRecord and names every field
 * (recordFields gives the offsets), for `kv dump`, inspect() and the site.
 */
import { crc32c, mask } from '../codec/crc32c.js';
import { getU64, setU64 } from '../codec/u64.js';
import { dataView as view } from '../bytes.js';
import { crcNote, fieldGroup, hex8, malformed, span, type Group, type SpanKind, shown } from '../layout.js';

export const RECORD_HEADER = 4 + 4 + 8 + 1 + 2 + 4;
/** The bytes the header CRC covers: seq, flags, key length, value length. */
const FIELDS_START = 8;

/** Record flag: this record is a tombstone (the key was deleted). */
export const FLAG_TOMBSTONE = 1;
/** Record flag: more records of the same batch follow this one. */
export const FLAG_BATCH_CONTINUES = 2;
/** The largest key length the uint16 field can hold. */
export const MAX_FORMAT_KEY = 0xffff;

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
export function encodeRecordInto(
  out: Uint8Array,
  at: number,
  seq: number,
  flags: number,
  key: Uint8Array,
  value: Uint8Array,
): number {
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
  if (at + RECORD_HEADER > end)
    return { kind: 'torn', reason: `only ${end - at} bytes of a ${RECORD_HEADER}-byte record header` };
  const dv = view(buf);
  // The header CRC first: only then are the lengths worth believing.
  const storedHeader = dv.getUint32(at + 4, true);
  const actualHeader = mask(crc32c(buf, at + FIELDS_START, at + RECORD_HEADER));
  if (storedHeader !== actualHeader)
    return {
      kind: 'corrupt',
      reason: `header checksum mismatch (stored ${hex8(storedHeader)}, computed ${hex8(actualHeader)})`,
    };
  const keyLength = dv.getUint16(at + 17, true);
  const valueLength = dv.getUint32(at + 19, true);
  const size = RECORD_HEADER + keyLength + valueLength;
  if (at + size > end) return { kind: 'torn', reason: `a ${size}-byte record runs past the end of the file` };
  const stored = dv.getUint32(at, true);
  const actual = mask(crc32c(buf, at + 4, at + size));
  if (stored !== actual)
    return {
      kind: 'corrupt',
      reason: `record checksum mismatch (stored ${hex8(stored)}, computed ${hex8(actual)})`,
      size,
    };
  // The checksums matched; still check the structure, since a file can be crafted.
  const seq = getU64(dv, at + 8);
  const flags = dv.getUint8(at + 16);
  if (!Number.isSafeInteger(seq)) return { kind: 'corrupt', reason: `sequence number is over 2^53` };
  if ((flags & ~(FLAG_TOMBSTONE | FLAG_BATCH_CONTINUES)) !== 0)
    return { kind: 'corrupt', reason: `unknown flags 0x${flags.toString(16)}` };
  if (flags & FLAG_TOMBSTONE && valueLength !== 0) return { kind: 'corrupt', reason: 'a tombstone with a value' };
  const key = buf.subarray(at + RECORD_HEADER, at + RECORD_HEADER + keyLength);
  const value = buf.subarray(at + RECORD_HEADER + keyLength, at + size);
  return { kind: 'ok', record: { seq, flags, key, value, offset: base + at, size } };
}

/** One field of a record, a hint entry or a file header: where it is and its name (format.ts's table). */
export interface Field {
  offset: number;
  length: number;
  name:
    | 'crc'
    | 'headerCrc'
    | 'seq'
    | 'flags'
    | 'keyLength'
    | 'valueLength'
    | 'key'
    | 'value'
    | 'magic'
    | 'fileId'
    | 'dataSize'
    | 'count'
    | 'recordOffset'
    | 'lastId'
    | 'activeId'
    | 'hintedThrough';
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

/** The kind of each field a record, a hint or the MANIFEST has. */
export const FIELD_KINDS: Record<Field['name'], SpanKind> = {
  crc: 'crc',
  headerCrc: 'crc',
  seq: 'seq',
  flags: 'flag',
  keyLength: 'length',
  valueLength: 'length',
  key: 'key',
  value: 'value',
  magic: 'header',
  fileId: 'pointer',
  dataSize: 'length',
  count: 'length',
  recordOffset: 'pointer',
  lastId: 'seq',
  activeId: 'pointer',
  hintedThrough: 'pointer',
};

/** The flags byte in words. */
export function flagWords(flags: number): string {
  const w: string[] = [];
  if (flags & FLAG_TOMBSTONE) w.push('tombstone');
  if (flags & FLAG_BATCH_CONTINUES) w.push('batch continues');
  return w.length ? w.join(', ') : 'put';
}

/**
 * A data file as spans: one group per record, as decodeRecord reads it, until the first
 * record that does not decode (a torn append, or damage), which is one malformed group to
 * the end of the file. Never throws.
 */
export function describeDataFile(bytes: Uint8Array): Group[] {
  const out: Group[] = [];
  let o = 0;
  let batch = false;
  while (o < bytes.length) {
    const r = decodeRecord(bytes, o);
    if (r.kind !== 'ok') {
      out.push(malformed(o, bytes.length, `${r.kind === 'torn' ? 'a torn record' : 'a corrupt record'}: ${r.reason}`));
      break;
    }
    const rec = r.record;
    const end = o + rec.size;
    const dv = view(bytes);
    const [crc, headerCrc, seq, flags, keyLength, valueLength, key, value] = recordFields(
      o,
      rec.key.length,
      rec.value.length,
    );
    const stored = dv.getUint32(o, true);
    const storedHeader = dv.getUint32(o + 4, true);
    const computed = mask(crc32c(bytes, o + 4, end));
    const computedHeader = mask(crc32c(bytes, o + FIELDS_START, o + RECORD_HEADER));
    const tomb = (rec.flags & FLAG_TOMBSTONE) !== 0;
    const at = (f: Field, extra: Parameters<typeof span>[4]) =>
      span(f.offset, f.length, f.name, FIELD_KINDS[f.name], extra);
    const spans = [
      at(crc!, { value: stored, computed, note: crcNote(stored, computed) }),
      at(headerCrc!, { value: storedHeader, computed: computedHeader, note: crcNote(storedHeader, computedHeader) }),
      at(seq!, { value: rec.seq }),
      at(flags!, { value: rec.flags, note: flagWords(rec.flags) }),
      at(keyLength!, { value: rec.key.length }),
      at(valueLength!, { value: rec.value.length }),
      at(key!, { value: rec.key }),
      at(value!, { value: rec.value }),
    ];
    const what = tomb ? `delete key=${shown(rec.key)}` : `put key=${shown(rec.key)} value=${shown(rec.value)}`;
    const continues = (rec.flags & FLAG_BATCH_CONTINUES) !== 0;
    const part = continues ? ' (batch continues)' : batch ? ' (ends a batch)' : '';
    out.push(fieldGroup(tomb ? 'tombstone' : 'record', `seq ${rec.seq} ${what}${part}`, spans));
    batch = continues;
    o = end;
  }
  return out;
}
