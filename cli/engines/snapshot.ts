/**
 * snapshot.ts: `dump` and `check` for the snapshot engine, using engines/snapshot/format.ts.
 *
 * The store is one file, snapshot.db (header, sorted records, CRC-32C), plus at most a
 * snapshot.db.tmp that a crash left in the middle of a save (open removes it). dump shows
 * the header, each record and the trailer; check runs the engine's own decoder, which
 * verifies the magic, the version, the body length, the checksum, and that keys are in
 * strictly increasing order.
 */
import { crc32c } from '../../engines/codec/crc32c.js';
import { LIVE_FILE, TEMP_FILE, HEADER, TRAILER, MAGIC, decodeSnapshot, snapshotFields, type Field } from '../../engines/snapshot/format.js';
import type { FileSystem } from '../../engines/storage/fs.js';
import { showBytes } from '../literal.js';
import type { HexField } from '../hexdump.js';
import { attempt, foreignFile, plural, readFile, storeFiles } from './files.js';
import type { CheckReport, DumpFile, DumpItem, DumpReport, EngineTools } from './types.js';

/** Text for a key or value in a dump line, cut at 40 characters. */
function short(b: Uint8Array): string {
  const s = showBytes(b);
  return s.length > 40 ? s.slice(0, 39) + '…' : s;
}

/** Reads a uint32 LE (the count and the trailer). */
function u32(bytes: Uint8Array, at: number): number {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(at, true);
}

/** The label of one field, with its decoded value. */
function label(bytes: Uint8Array, f: Field): string {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const raw = bytes.subarray(f.offset, f.offset + f.length);
  switch (f.name) {
    case 'magic':
      return `magic ${JSON.stringify(String.fromCharCode(...raw))}`;
    case 'version':
      return `version ${dv.getUint16(f.offset, true)}`;
    case 'reserved':
      return 'reserved';
    case 'count':
      return `record count ${dv.getUint32(f.offset, true)}`;
    case 'bodyLength':
      return `body length ${dv.getUint32(f.offset, true) + dv.getUint32(f.offset + 4, true) * 0x1_0000_0000}`;
    case 'keyLength':
    case 'valueLength':
      return `${f.name === 'keyLength' ? 'key' : 'value'} length (varint) ${decodeLength(raw)}`;
    case 'key':
      return `key ${short(raw)}`;
    case 'value':
      return `value ${short(raw)}`;
    case 'crc': {
      const stored = dv.getUint32(f.offset, true);
      const actual = crc32c(bytes, 0, f.offset);
      return `CRC-32C ${stored.toString(16).padStart(8, '0')} (${stored === actual ? 'matches' : `computed ${actual.toString(16).padStart(8, '0')}: MISMATCH`})`;
    }
  }
}

/** The value of a little varint that snapshotFields already found well-formed. */
function decodeLength(raw: Uint8Array): number {
  let n = 0;
  for (let i = raw.length - 1; i >= 0; i--) n = n * 128 + (raw[i]! & 0x7f);
  return n;
}

/** Groups a file's fields into items: the header, each record, the trailer. */
function items(bytes: Uint8Array): DumpItem[] {
  const fields = snapshotFields(bytes);
  const out: DumpItem[] = [];
  const hex = (f: Field): HexField => ({ offset: f.offset, length: f.length, label: label(bytes, f) });
  // The header: the five fields before the first record.
  const head = fields.filter((f) => f.record === undefined && f.name !== 'crc');
  if (head.length) {
    const valid = String.fromCharCode(...bytes.subarray(0, 8)) === MAGIC;
    out.push({
      offset: 0,
      length: HEADER,
      kind: 'header',
      summary: `${valid ? 'magic ok' : 'BAD MAGIC'}, version ${bytes[8]! | (bytes[9]! << 8)}, ${u32(bytes, 12)} records, body ${u32(bytes, 16) + u32(bytes, 20) * 0x1_0000_0000} bytes`,
      fields: head.map(hex),
    });
  }
  // The records, four fields each.
  for (let r = 0; ; r++) {
    const fs = fields.filter((f) => f.record === r);
    if (fs.length === 0) break;
    const key = fs.find((f) => f.name === 'key')!;
    const value = fs.find((f) => f.name === 'value')!;
    const start = fs[0]!.offset;
    const end = value.offset + value.length;
    out.push({
      offset: start,
      length: end - start,
      kind: 'record',
      summary: `#${r} key=${short(bytes.subarray(key.offset, key.offset + key.length))} value=${short(bytes.subarray(value.offset, value.offset + value.length))} (${key.length}+${value.length} bytes)`,
      fields: fs.map(hex),
    });
  }
  // Bytes between the last record and the trailer that did not parse as a record.
  const lastEnd = out.length ? out[out.length - 1]!.offset + out[out.length - 1]!.length : 0;
  const trailerAt = bytes.length >= HEADER + TRAILER ? bytes.length - TRAILER : bytes.length;
  if (lastEnd < trailerAt) out.push({ offset: lastEnd, length: trailerAt - lastEnd, kind: 'unparsed', summary: `${trailerAt - lastEnd} bytes that do not parse as records` });
  const crc = fields.find((f) => f.name === 'crc');
  if (crc) out.push({ offset: crc.offset, length: TRAILER, kind: 'trailer', summary: label(bytes, crc), fields: [hex(crc)] });
  return out;
}

/** Decodes one snapshot file (live or temporary). */
function dumpSnapshotFile(name: string, bytes: Uint8Array): DumpFile {
  const file: DumpFile = { name, size: bytes.length, role: name === LIVE_FILE ? 'snapshot' : 'temporary snapshot', items: items(bytes), notes: [], bytes };
  if (name === TEMP_FILE) file.notes.push('a save that a crash interrupted before its rename left this file; the next open removes it');
  const r = attempt(name, 0, () => decodeSnapshot(bytes, name));
  if (!r.ok) file.problem = r.problem;
  else file.notes.push(`${plural(r.value.length, 'record')} decoded and verified`);
  return file;
}

/** Decodes every file in the store. */
function dump(fs: FileSystem, dir: string): DumpReport {
  const files = storeFiles(fs, dir).map((name) => {
    const bytes = readFile(fs, dir, name);
    return name === LIVE_FILE || name === TEMP_FILE ? dumpSnapshotFile(name, bytes) : foreignFile(name, bytes);
  });
  return { engine: 'snapshot', dir, files };
}

/** Verifies the live snapshot with the engine's own decoder. */
function check(fs: FileSystem, dir: string): CheckReport {
  const report: CheckReport = { engine: 'snapshot', dir, sound: true, checked: [], notes: [] };
  const names = storeFiles(fs, dir);
  for (const name of names) {
    if (name === TEMP_FILE) report.notes.push(`${TEMP_FILE}: left by an interrupted save; not read, and removed by the next open`);
    else if (name !== LIVE_FILE) report.notes.push(`${name}: not a file of the snapshot engine; ignored`);
  }
  if (!names.includes(LIVE_FILE)) {
    report.checked.push(`no ${LIVE_FILE}: nothing has been saved yet, so the store opens empty`);
    return report;
  }
  const bytes = readFile(fs, dir, LIVE_FILE);
  const r = attempt(LIVE_FILE, 0, () => decodeSnapshot(bytes, LIVE_FILE));
  if (!r.ok) {
    report.sound = false;
    report.problem = r.problem;
    return report;
  }
  report.checked.push(`${LIVE_FILE}: magic, version and body length ok (${bytes.length} bytes)`);
  report.checked.push(`${LIVE_FILE}: CRC-32C over header and body matches`);
  report.checked.push(`${LIVE_FILE}: ${plural(r.value.length, 'record')}, keys in strictly increasing order`);
  return report;
}

/** The snapshot engine's CLI module. */
export const snapshotTools: EngineTools = { engine: 'snapshot', dump, check };
