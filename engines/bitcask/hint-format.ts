/**
 * hint-format.ts: a bitcask hint file's bytes (the byte table is in format.ts): a header
 * naming its data file and that file's size, one entry per live record, a checksum.
 * encodeHint is what a merge writes, decodeHint what open trusts or refuses, and
 * describeHintFile the same walk as named spans, for `kv dump`, inspect() and the site.
 */
import { crc32c, mask } from '../codec/crc32c.js';
import { getU64, setU64 } from '../codec/u64.js';
import { dataView as view, display } from '../bytes.js';
import { ByteReader, crcNote, fieldGroup, hex8, malformed, span, type Group } from '../layout.js';
import { dataName } from './names.js';
import { FIELD_KINDS, recordSize, type Field } from './record-format.js';

export const HINT_MAGIC = 'BCHINT01';
export const HINT_HEADER = 8 + 4 + 8 + 4;
export const HINT_ENTRY = 8 + 2 + 4 + 8;
export const HINT_TRAILER = 4;

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
export function decodeHint(
  bytes: Uint8Array,
  id: number,
  dataSize: number,
): { entries: HintEntry[] } | { invalid: string } {
  if (bytes.length < HINT_HEADER + HINT_TRAILER)
    return { invalid: `${bytes.length} bytes is shorter than a hint header and trailer` };
  for (let i = 0; i < 8; i++)
    if (bytes[i] !== HINT_MAGIC.charCodeAt(i)) return { invalid: `the magic number is not "${HINT_MAGIC}"` };
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
    if (recordOffset + recordSize(keyLength, valueLength) > dataSize)
      return { invalid: `entry ${i} points past the end of the data file` };
    entries.push({ seq, key: bytes.subarray(o + HINT_ENTRY, o + HINT_ENTRY + keyLength), valueLength, recordOffset });
    o += HINT_ENTRY + keyLength;
  }
  if (o !== end) return { invalid: `${end - o} bytes after the last of ${count} entries` };
  return { entries };
}

/** A span of field `name` at `offset`, of the kind the bitcask table gives it. */
function at(offset: number, length: number, name: Field['name'], extra: Parameters<typeof span>[4] = {}) {
  return span(offset, length, name, FIELD_KINDS[name], extra);
}

/**
 * A hint file as spans: the header, one group per entry (its record offset a pointer into
 * the data file the header names), the trailer. A wrong magic, an entry that runs past the
 * end or bytes after the last entry become one malformed group, and the walk of the entries
 * stops there. Never throws.
 */
export function describeHintFile(bytes: Uint8Array): Group[] {
  const r = new ByteReader(bytes);
  if (bytes.length === 0) return [];
  if (bytes.length < HINT_HEADER)
    return [malformed(0, bytes.length, `${bytes.length} bytes, shorter than the ${HINT_HEADER}-byte hint header`)];
  // Step 1: the header names the data file every entry points into.
  const magic = r.ascii(0, 8)!;
  const id = r.u32(8)!;
  const size = r.u64(12)!;
  const count = r.u32(20)!;
  const out: Group[] = [
    fieldGroup('header', `for ${dataName(id)} of ${size} bytes, ${count} entries`, [
      at(0, 8, 'magic', {
        value: magic,
        ...(magic === HINT_MAGIC ? {} : { note: `not "${HINT_MAGIC}": not a hint file` }),
      }),
      at(8, 4, 'fileId', { value: id, target: { file: dataName(id) } }),
      at(12, 8, 'dataSize', { value: size }),
      at(20, 4, 'count', { value: count }),
    ]),
  ];
  if (magic !== HINT_MAGIC) return [...out, malformed(HINT_HEADER, bytes.length, 'this is not a hint file')];
  if (bytes.length < HINT_HEADER + HINT_TRAILER)
    return [...out, malformed(HINT_HEADER, bytes.length, 'no room for the trailer')];
  // Step 2: the entries, each checked to fit before the trailer.
  const end = bytes.length - HINT_TRAILER;
  let o = HINT_HEADER;
  for (let i = 0; i < count || o < end; i++) {
    if (i >= count) {
      out.push(malformed(o, end, `${end - o} bytes after the last of ${count} entries`));
      break;
    }
    const keyLength = r.u16(o + 8);
    if (o + HINT_ENTRY > end || keyLength === undefined || o + HINT_ENTRY + keyLength > end) {
      out.push(malformed(o, end, `entry ${i} of ${count} runs past the end`));
      break;
    }
    const seq = r.u64(o)!;
    const valueLength = r.u32(o + 10)!;
    const recordOffset = r.u64(o + 14)!;
    const key = bytes.subarray(o + HINT_ENTRY, o + HINT_ENTRY + keyLength);
    out.push(
      fieldGroup(
        'hint',
        `seq ${seq} key=${display(key, 40)} at record offset ${recordOffset} (value ${valueLength} byte${valueLength === 1 ? '' : 's'})`,
        [
          at(o, 8, 'seq', { value: seq }),
          at(o + 8, 2, 'keyLength', { value: keyLength }),
          at(o + 10, 4, 'valueLength', { value: valueLength }),
          at(o + 14, 8, 'recordOffset', { value: recordOffset, target: { file: dataName(id), offset: recordOffset } }),
          at(o + HINT_ENTRY, keyLength, 'key', { value: key }),
        ],
      ),
    );
    o += HINT_ENTRY + keyLength;
  }
  // Step 3: the trailer covers every byte before it.
  const stored = r.u32(end)!;
  const computed = mask(crc32c(bytes, 0, end));
  const note = crcNote(stored, computed);
  out.push(
    fieldGroup('trailer', `CRC-32C (masked) ${hex8(stored)} (${note})`, [
      at(end, HINT_TRAILER, 'crc', { value: stored, computed, note }),
    ]),
  );
  return out;
}

/** The fields of a hint file, header then entries (at most `maxEntries`), for inspect() and the site. */
export function hintFields(bytes: Uint8Array, maxEntries = Infinity): Field[][] {
  const out: Field[][] = [];
  for (const g of describeHintFile(bytes)) {
    if (g.unit !== 'header' && g.unit !== 'hint') continue;
    if (g.unit === 'hint' && out.length > maxEntries) break;
    out.push(g.spans.map((s) => ({ offset: s.offset, length: s.length, name: s.name as Field['name'] })));
  }
  return out;
}
