/**
 * fields.ts: Bitcask's files split into fields with the engine's own decoders (format.ts:
 * records, hint entries, MANIFEST entries), each with its value as text for the legend.
 */
import { FLAG_TOMBSTONE, MANIFEST_NAME, MANIFEST_TMP, decodeRecord, hintFields, manifestFields, parseName, recordFields } from '../../../../engines/bitcask/format.js';
import { bytesText, readUintLE, type FieldSpan } from '../../adapter.js';

/** The decoded text of a field. */
function fieldText(name: string, b: Uint8Array, offset: number, length: number): string {
  const bytes = b.subarray(offset, offset + length);
  if (name.toLowerCase().includes('crc')) return '0x' + readUintLE(b, offset, 4).toString(16).padStart(8, '0') + ' (masked)';
  switch (name) {
    case 'flags': {
      const f = b[offset] ?? 0;
      const parts = [f & FLAG_TOMBSTONE ? 'tombstone' : 'put', ...(f & 2 ? ['batch continues'] : [])];
      return `${f} (${parts.join(', ')})`;
    }
    case 'magic':
    case 'key':
    case 'value':
      return bytesText(bytes);
    default:
      return String(readUintLE(b, offset, length));
  }
}

/** Fields of a data file: records until the first that does not decode (a torn tail stays unexplained). */
function dataFields(bytes: Uint8Array): FieldSpan[] {
  const out: FieldSpan[] = [];
  let at = 0;
  for (let record = 0; at < bytes.length; record++) {
    const r = decodeRecord(bytes, at);
    if (r.kind !== 'ok') break;
    for (const f of recordFields(at, r.record.key.length, r.record.value.length)) out.push({ ...f, record });
    at += r.record.size;
  }
  return out;
}

/** Fields of a hint file: header, entries, trailer checksum. */
function hintFileFields(bytes: Uint8Array): FieldSpan[] {
  const groups = hintFields(bytes);
  const out: FieldSpan[] = [];
  groups.forEach((g, i) => {
    for (const f of g) out.push(i === 0 ? { ...f } : { ...f, record: i - 1 });
  });
  if (bytes.length >= 28) out.push({ offset: bytes.length - 4, length: 4, name: 'crc' });
  return out;
}

/** Fields of the MANIFEST: header, one entry per sealed file, trailer checksum. */
function manifestFileFields(bytes: Uint8Array): FieldSpan[] {
  const out: FieldSpan[] = [];
  const groups = manifestFields(bytes);
  groups.forEach((g, i) => {
    const entry = i > 0 && !(g.length === 1 && g[0]!.name === 'crc');
    for (const f of g) out.push(entry ? { ...f, record: i - 1 } : { ...f });
  });
  return out;
}

/** The fields of one of the store's files. */
export function bitcaskFileFields(name: string, bytes: Uint8Array): FieldSpan[] {
  const parsed = parseName(name);
  let fields: FieldSpan[];
  if (parsed?.kind === 'data') fields = dataFields(bytes);
  else if (parsed?.kind === 'hint') fields = hintFileFields(bytes);
  else if (name === MANIFEST_NAME || name === MANIFEST_TMP) fields = manifestFileFields(bytes);
  else fields = [];
  return fields.map((f) => ({ ...f, text: fieldText(f.name, bytes, f.offset, f.length) }));
}

/** What the engine calls a file. */
export function bitcaskFileRole(name: string): string {
  const p = parseName(name);
  if (p?.kind === 'data') return 'data (log)';
  if (p?.kind === 'hint') return 'hint';
  if (name === MANIFEST_NAME) return 'manifest: the sealed files and their sizes';
  if (name === MANIFEST_TMP) return 'manifest being written';
  if (/merge/i.test(name)) return 'merge marker';
  return 'other';
}

