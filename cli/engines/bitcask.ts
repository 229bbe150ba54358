/**
 * bitcask.ts: `dump` and `check` for the bitcask engine, using engines/bitcask/format.ts and
 * the engine's own checker (engines/bitcask/check.ts).
 *
 * The store is a set of data files `NNNNNN.data` (CRC-checked records, appended only), hint
 * files `NNNNNN.hint` that a merge writes beside its outputs, the MANIFEST listing the data
 * files with their sizes (and a MANIFEST.tmp while it is being replaced), and, from an
 * earlier format, only mid-merge or after
 * a crash in one, an empty merge marker file `MERGE-started-NNNNNN` or `MERGE-committed-NNNNNN`. dump walks every record and hint entry with its offset;
 * check runs checkBitcaskDir (every record's CRC, no unfinished batch, every hint agreeing
 * with its data file record by record, no leftover marker).
 */
import { crc32c, mask } from '../../engines/codec/crc32c.js';
import { checkBitcaskDir } from '../../engines/bitcask/check.js';
import {
  FLAG_BATCH_CONTINUES,
  FLAG_TOMBSTONE,
  HINT_TRAILER,
  MANIFEST_NAME,
  MANIFEST_TMP,
  dataName,
  decodeManifest,
  manifestFields,
  decodeHint,
  decodeRecord,
  hintFields,
  parseMergeMarker,
  parseName,
  recordFields,
  type Field,
} from '../../engines/bitcask/format.js';
import type { FileSystem } from '../../engines/storage/fs.js';
import { join } from '../../engines/storage/path.js';
import { showBytes } from '../literal.js';
import type { HexField } from '../hexdump.js';
import { attempt, baseName, foreignFile, plural, readFile, storeFiles } from './files.js';
import type { CheckReport, DumpFile, DumpReport, EngineTools } from './types.js';

/** Text for a key or value in a dump line, cut at 40 characters. */
function short(b: Uint8Array): string {
  const s = showBytes(b);
  return s.length > 40 ? s.slice(0, 39) + '…' : s;
}

/** A DataView over exactly `b`. */
function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

/** A uint64 LE stored as two uint32 halves. */
function u64(dv: DataView, at: number): number {
  return dv.getUint32(at, true) + dv.getUint32(at + 4, true) * 0x1_0000_0000;
}

/** 8 hex digits. */
function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

/** The flags byte as words. */
function flagWords(flags: number): string {
  const w: string[] = [];
  if (flags & FLAG_TOMBSTONE) w.push('tombstone');
  if (flags & FLAG_BATCH_CONTINUES) w.push('batch continues');
  return w.length ? w.join(', ') : 'put';
}

/** The label of one field of a record, hint or marker, with its decoded value. */
function label(bytes: Uint8Array, f: Field, verified = false): string {
  const dv = view(bytes);
  const raw = bytes.subarray(f.offset, f.offset + f.length);
  switch (f.name as string) {
    case 'lastId':
      return `last data file id ${dv.getUint32(f.offset, true)}`;
    case 'activeId': {
      const id = dv.getUint32(f.offset, true);
      return `active file ${id}${id ? ` (${dataName(id)})` : ' (none)'}`;
    }
    case 'hintedThrough': {
      const id = dv.getUint32(f.offset, true);
      return `files with hints: ids up to ${id}`;
    }
    case 'crc':
      return `CRC-32C (masked) ${hex8(dv.getUint32(f.offset, true))}${verified ? ' (matches)' : ''}`;
    case 'headerCrc':
      return `header CRC-32C (masked) ${hex8(dv.getUint32(f.offset, true))}${verified ? ' (matches)' : ''}`;
    case 'seq':
      return `sequence ${u64(dv, f.offset)}`;
    case 'flags':
      return `flags 0x${raw[0]!.toString(16).padStart(2, '0')} (${flagWords(raw[0]!)})`;
    case 'keyLength':
      return `key length ${dv.getUint16(f.offset, true)}`;
    case 'valueLength':
      return `value length ${dv.getUint32(f.offset, true)}`;
    case 'key':
      return `key ${short(raw)}`;
    case 'value':
      return `value ${short(raw)}`;
    case 'magic':
      return `magic ${JSON.stringify(String.fromCharCode(...raw))}`;
    case 'fileId':
      return `data file id ${dv.getUint32(f.offset, true)}`;
    case 'dataSize':
      return `data file size ${u64(dv, f.offset)}`;
    case 'size':
      return `size ${u64(dv, f.offset)}`;
    case 'count':
      return `count ${dv.getUint32(f.offset, true)}`;
    case 'recordOffset':
      return `record offset ${u64(dv, f.offset)}`;
    default:
      return String(f.name);
  }
}

/** Decodes a data file record by record; stops at a torn or corrupt one. */
function dumpData(name: string, bytes: Uint8Array, newest: boolean): DumpFile {
  const file: DumpFile = { name, size: bytes.length, role: newest ? 'data file (newest)' : 'data file', items: [], notes: [], bytes };
  let o = 0;
  let open = false;
  while (o < bytes.length) {
    const r = decodeRecord(bytes, o);
    if (r.kind !== 'ok') {
      file.items.push({ offset: o, length: bytes.length - o, kind: r.kind, summary: `${bytes.length - o} bytes: ${r.reason}` });
      if (r.kind === 'torn' && newest) file.notes.push(`the file ends in a torn record (a crash mid-append): the next open cuts it off at offset ${o}`);
      else file.problem = { file: name, offset: o, what: r.reason };
      return file;
    }
    const rec = r.record;
    // decodeRecord verified both checksums, so the labels can say they match.
    const fields: HexField[] = recordFields(o, rec.key.length, rec.value.length).map((f) => ({ offset: f.offset, length: f.length, label: label(bytes, f, true) }));
    const tomb = (rec.flags & FLAG_TOMBSTONE) !== 0;
    const what = tomb ? `delete key=${short(rec.key)}` : `put key=${short(rec.key)} value=${short(rec.value)}`;
    const batch = rec.flags & FLAG_BATCH_CONTINUES ? ' (batch continues)' : open ? ' (ends a batch)' : '';
    file.items.push({ offset: o, length: rec.size, kind: tomb ? 'tombstone' : 'record', summary: `seq ${rec.seq} ${what}${batch}`, fields });
    open = (rec.flags & FLAG_BATCH_CONTINUES) !== 0;
    o += rec.size;
  }
  if (open) file.notes.push('the file ends inside a batch: the next open drops that unfinished batch');
  file.notes.push(`${plural(file.items.length, 'record')}, each with a good CRC-32C`);
  return file;
}

/** Decodes a hint file: header, entries, trailer; says whether open would trust it. */
function dumpHint(name: string, bytes: Uint8Array, id: number, dataSize: number | undefined): DumpFile {
  const file: DumpFile = { name, size: bytes.length, role: 'hint file', items: [], notes: [], bytes };
  const groups = hintFields(bytes);
  groups.forEach((fs, i) => {
    const start = fs[0]!.offset;
    const end = fs[fs.length - 1]!.offset + fs[fs.length - 1]!.length;
    const fields = fs.map((f) => ({ offset: f.offset, length: f.length, label: label(bytes, f) }));
    if (i === 0) {
      const dv = view(bytes);
      file.items.push({ offset: 0, length: end, kind: 'header', summary: `for ${dataName(dv.getUint32(8, true))} of ${u64(dv, 12)} bytes, ${dv.getUint32(20, true)} entries`, fields });
    } else {
      const dv = view(bytes);
      const key = fs.find((f) => f.name === 'key')!;
      const summary = `seq ${u64(dv, start)} key=${short(bytes.subarray(key.offset, key.offset + key.length))} at record offset ${u64(dv, start + 14)} (value ${plural(dv.getUint32(start + 10, true), 'byte')})`;
      file.items.push({ offset: start, length: end - start, kind: 'hint', summary, fields });
    }
  });
  if (bytes.length >= HINT_TRAILER) {
    const at = bytes.length - HINT_TRAILER;
    const ok = view(bytes).getUint32(at, true) === mask(crc32c(bytes, 0, at));
    const f: HexField = { offset: at, length: HINT_TRAILER, label: `CRC-32C (masked) ${hex8(view(bytes).getUint32(at, true))}${ok ? ' (matches)' : ' MISMATCH'}` };
    file.items.push({ offset: at, length: HINT_TRAILER, kind: 'trailer', summary: f.label, fields: [f] });
  }
  if (dataSize === undefined) {
    file.notes.push(`its data file ${dataName(id)} is missing: the next open removes this hint`);
  } else {
    const h = decodeHint(bytes, id, dataSize);
    if ('invalid' in h) file.notes.push(`open would not trust this hint (${h.invalid}) and would read ${dataName(id)} instead`);
    else file.notes.push(`valid for ${dataName(id)}: open loads these ${h.entries.length} entries and reads no byte of the data file`);
  }
  return file;
}

/** A merge marker: an empty file whose name is its whole content. */
function dumpMarker(name: string, bytes: Uint8Array, m: { state: string; lastInput: number }): DumpFile {
  const file: DumpFile = { name, size: bytes.length, role: 'merge marker', items: [], notes: [], bytes };
  if (bytes.length) file.items.push({ offset: 0, length: bytes.length, kind: 'bytes', summary: `${plural(bytes.length, 'byte')} (a marker is empty: its name says everything)` });
  file.notes.push(`a merge of the files up to ${dataName(m.lastInput)} ${m.state === 'committed' ? 'committed' : 'started'} and a crash interrupted it: the next open ${m.state === 'committed' ? 'finishes it (removes the inputs)' : 'undoes it (removes the outputs)'}`);
  return file;
}

/** Decodes the MANIFEST (or MANIFEST.tmp) with the engine's decoder and field map. */
function dumpManifest(name: string, bytes: Uint8Array): DumpFile {
  const file: DumpFile = { name, size: bytes.length, role: name === MANIFEST_NAME ? 'the list of data files' : 'a MANIFEST being written', items: [], notes: [], bytes };
  if (name === MANIFEST_TMP) file.notes.push('a crash interrupted replacing the MANIFEST: the next open removes this file');
  const r = attempt(name, 0, () => decodeManifest(bytes, name));
  if (!r.ok) {
    if (name === MANIFEST_NAME) file.problem = r.problem;
    if (bytes.length) file.items.push({ offset: 0, length: bytes.length, kind: 'bytes', summary: `${plural(bytes.length, 'byte')} that do not decode: ${r.problem.what}` });
    return file;
  }
  const m = r.value;
  const groups = manifestFields(bytes);
  groups.forEach((fs, i) => {
    const start = fs[0]!.offset;
    const end = fs[fs.length - 1]!.offset + fs[fs.length - 1]!.length;
    const fields = fs.map((f) => ({ offset: f.offset, length: f.length, label: label(bytes, f, true) }));
    let kind = 'sealed';
    let summary = '';
    if (i === 0) {
      kind = 'header';
      summary = `last id ${m.lastId}, active ${m.active ? dataName(m.active) : 'none'}, ${plural(m.sealed.length, 'sealed file')}`;
    } else if (i === groups.length - 1 && (fs[0]!.name as string) === 'crc') {
      kind = 'trailer';
      summary = fields[0]!.label;
    } else {
      const f = m.sealed[i - 1];
      summary = f ? `${dataName(f.id)}: ${plural(f.size, 'byte')}${f.hint ? ', with a hint file' : ''}` : fields.map((x) => x.label).join(', ');
    }
    file.items.push({ offset: start, length: end - start, kind, summary, fields });
  });
  return file;
}

/** Decodes every file in the store. */
function dump(fs: FileSystem, dir: string): DumpReport {
  const names = storeFiles(fs, dir);
  // The MANIFEST says which data files belong to the store, which is active, and their sizes.
  const manifest = names.includes(MANIFEST_NAME) ? attempt(MANIFEST_NAME, 0, () => decodeManifest(readFile(fs, dir, MANIFEST_NAME), MANIFEST_NAME)) : undefined;
  const m = manifest?.ok ? manifest.value : undefined;
  const dataIds = names.map(parseName).filter((p) => p?.kind === 'data').map((p) => p!.id);
  const newest = m ? m.active : dataIds.length ? Math.max(...dataIds) : 0;
  const files = names.map((name) => {
    const bytes = readFile(fs, dir, name);
    const p = parseName(name);
    if (name === MANIFEST_NAME || name === MANIFEST_TMP) return dumpManifest(name, bytes);
    if (p?.kind === 'data') {
      const file = dumpData(name, bytes, p.id === newest);
      if (m) {
        const sealed = m.sealed.find((f) => f.id === p.id);
        if (sealed) {
          file.role = 'data file (sealed)';
          if (sealed.size !== bytes.length) file.problem ??= { file: name, offset: Math.min(sealed.size, bytes.length), what: `the MANIFEST says this sealed file is ${sealed.size} bytes, but it is ${bytes.length}` };
        } else if (p.id === m.active) file.role = 'data file (active)';
        else {
          file.role = 'data file (not in the MANIFEST)';
          file.notes.push("the MANIFEST does not list it: a crash's leftover, which the next open removes");
        }
      }
      return file;
    }
    if (p?.kind === 'hint') return dumpHint(name, bytes, p.id, names.includes(dataName(p.id)) ? fs.fileSize(join(dir, dataName(p.id))) : undefined);
    const marker = parseMergeMarker(name);
    if (marker) return dumpMarker(name, bytes, marker);
    return foreignFile(name, bytes);
  });
  return { engine: 'bitcask', dir, files };
}

/** Runs the engine's checker, then says what it verified, file by file. */
function check(fs: FileSystem, dir: string): CheckReport {
  const report: CheckReport = { engine: 'bitcask', dir, sound: true, checked: [], notes: [] };
  const names = storeFiles(fs, dir);
  for (const n of names) if (!parseName(n) && !parseMergeMarker(n) && n !== MANIFEST_NAME && n !== MANIFEST_TMP) report.notes.push(`${n}: not a file of the bitcask engine; ignored`);
  const r = attempt(dir, 0, () => checkBitcaskDir(fs, dir));
  if (!r.ok) {
    report.sound = false;
    report.problem = r.problem;
    explain(fs, dir, names, report);
    return report;
  }
  const data = names.filter((n) => parseName(n)?.kind === 'data');
  if (data.length === 0) report.checked.push('no data files: nothing has been written yet, so the store opens empty');
  for (const n of data) {
    const { records, tombstones } = countRecords(readFile(fs, dir, n));
    report.checked.push(`${n}: ${plural(records, 'record')} (${plural(tombstones, 'tombstone')}), every CRC-32C ok, no unfinished batch`);
    const hint = n.replace(/\.data$/, '.hint');
    if (names.includes(hint)) report.checked.push(`${hint}: valid for ${n}, every entry matches the record it points at`);
  }
  report.checked.push(`${plural(r.value, 'record')} in all; no merge marker left behind`);
  if (names.includes(MANIFEST_NAME)) {
    const m = attempt(MANIFEST_NAME, 0, () => decodeManifest(readFile(fs, dir, MANIFEST_NAME), MANIFEST_NAME));
    if (!m.ok) return { ...report, sound: false, problem: m.problem };
    for (const f of m.value.sealed) {
      const name = dataName(f.id);
      if (!names.includes(name)) return { ...report, sound: false, problem: { file: MANIFEST_NAME, offset: 0, what: `it lists ${name}, which is missing` } };
      const size = fs.fileSize(join(dir, name));
      if (size !== f.size) return { ...report, sound: false, problem: { file: name, offset: Math.min(size, f.size), what: `the MANIFEST says this sealed file is ${f.size} bytes, but it is ${size}` } };
    }
    report.checked.push(`${MANIFEST_NAME}: checksum ok; ${plural(m.value.sealed.length, 'sealed file')}, each present at exactly its listed size; active ${m.value.active ? dataName(m.value.active) : 'none'}`);
  }
  return report;
}

/** Counts the records and tombstones of a data file the checker already verified. */
function countRecords(bytes: Uint8Array): { records: number; tombstones: number } {
  let records = 0;
  let tombstones = 0;
  for (let o = 0; o < bytes.length; ) {
    const r = decodeRecord(bytes, o);
    if (r.kind !== 'ok') break;
    records++;
    if (r.record.flags & FLAG_TOMBSTONE) tombstones++;
    o += r.record.size;
  }
  return { records, tombstones };
}

/** Adds a note when the problem is one that the next open repairs (a crash's leftovers). */
function explain(fs: FileSystem, dir: string, names: string[], report: CheckReport): void {
  const p = report.problem!;
  // Only the active file (the MANIFEST says which; else the newest) can end in a torn append.
  const m = names.includes(MANIFEST_NAME) ? attempt(MANIFEST_NAME, 0, () => decodeManifest(readFile(fs, dir, MANIFEST_NAME), MANIFEST_NAME)) : undefined;
  const ids = names.map(parseName).filter((x) => x?.kind === 'data').map((x) => x!.id);
  const activeId = m?.ok ? m.value.active : ids.length ? Math.max(...ids) : 0;
  const active = activeId ? dataName(activeId) : '';
  const file = baseName(p.file);
  if (file === active && names.includes(active)) {
    const r = decodeRecord(readFile(fs, dir, active), p.offset);
    if (r.kind === 'torn' || p.what.includes('inside a batch')) {
      report.notes.push(`this is what a crash mid-append leaves: the next open cuts ${active} at offset ${p.offset} and the store is sound again`);
    }
  }
  if (parseMergeMarker(file) || file === MANIFEST_TMP || /is not listed in the MANIFEST/.test(p.what)) {
    report.notes.push(`${file} is a crash's leftover: the next open removes it, and the store is sound again`);
  }
}

/** The bitcask engine's CLI module. */
export const bitcaskTools: EngineTools = { engine: 'bitcask', dump, check };
