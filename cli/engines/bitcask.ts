/**
 * bitcask.ts: `dump` and `check` for the bitcask engine, using engines/bitcask/format.ts and
 * the engine's own checker (engines/bitcask/check.ts).
 *
 * The store is a set of data files `NNNNNN.data` (CRC-checked records, appended only), hint
 * files `NNNNNN.hint` that a merge writes beside its outputs, the MANIFEST listing the data
 * files with their sizes (and a MANIFEST.tmp while it is being replaced), and, from an
 * earlier format, only mid-merge or after a crash in one, an empty merge marker file
 * `MERGE-started-NNNNNN` or `MERGE-committed-NNNNNN`. dump prints every file as the engine's
 * describers (describeDataFile, describeHintFile, describeManifestFile, describeMarker) name
 * its bytes; check runs checkBitcaskDir (every record's CRC, no unfinished batch, every hint
 * agreeing with its data file record by record, no leftover marker).
 */
import { checkBitcaskDir } from '../../engines/bitcask/check.js';
import {
  FLAG_BATCH_CONTINUES,
  FLAG_TOMBSTONE,
  MANIFEST_NAME,
  MANIFEST_TMP,
  dataName,
  decodeHint,
  decodeManifest,
  decodeRecord,
  describeDataFile,
  describeHintFile,
  describeManifestFile,
  describeMarker,
  parseMergeMarker,
  parseName,
} from '../../engines/bitcask/format.js';
import { firstMalformed, type Group } from '../../engines/layout.js';
import type { FileSystem } from '../../engines/storage/fs.js';
import { join } from '../../engines/storage/path.js';
import { attempt, baseName, foreignFile, plural, readFile, storeFiles } from './files.js';
import { itemsOf } from './items.js';
import type { CheckReport, DumpFile, DumpReport, EngineTools } from './types.js';

/** The record groups of a data file's layout and the flags of each. */
function records(groups: readonly Group[]): { flags: number }[] {
  return groups
    .filter((g) => g.unit === 'record' || g.unit === 'tombstone')
    .map((g) => ({ flags: Number(g.spans.find((s) => s.name === 'flags')!.value) }));
}

/** A data file as the engine describes it, record by record; says what a bad tail means. */
function dumpData(name: string, bytes: Uint8Array, newest: boolean): DumpFile {
  const groups = describeDataFile(bytes);
  const file: DumpFile = {
    name,
    size: bytes.length,
    role: newest ? 'data file (newest)' : 'data file',
    items: itemsOf(groups),
    notes: [],
    bytes,
  };
  const bad = firstMalformed(groups);
  if (bad) {
    const r = decodeRecord(bytes, bad.offset);
    const reason = r.kind === 'ok' ? 'the record does not decode' : r.reason;
    if (r.kind === 'torn' && newest)
      file.notes.push(
        `the file ends in a torn record (a crash mid-append): the next open cuts it off at offset ${bad.offset}`,
      );
    else file.problem = { file: name, offset: bad.offset, what: reason };
    return file;
  }
  const recs = records(groups);
  if (recs.length && recs[recs.length - 1]!.flags & FLAG_BATCH_CONTINUES)
    file.notes.push('the file ends inside a batch: the next open drops that unfinished batch');
  file.notes.push(`${plural(recs.length, 'record')}, each with a good CRC-32C`);
  return file;
}

/** A hint file as the engine describes it; says whether open would trust it. */
function dumpHint(name: string, bytes: Uint8Array, id: number, dataSize: number | undefined): DumpFile {
  const file: DumpFile = {
    name,
    size: bytes.length,
    role: 'hint file',
    items: itemsOf(describeHintFile(bytes)),
    notes: [],
    bytes,
  };
  if (dataSize === undefined) {
    file.notes.push(`its data file ${dataName(id)} is missing: the next open removes this hint`);
  } else {
    const h = decodeHint(bytes, id, dataSize);
    if ('invalid' in h)
      file.notes.push(`open would not trust this hint (${h.invalid}) and would read ${dataName(id)} instead`);
    else
      file.notes.push(
        `valid for ${dataName(id)}: open loads these ${h.entries.length} entries and reads no byte of the data file`,
      );
  }
  return file;
}

/** A merge marker: an empty file whose name is its whole content. */
function dumpMarker(name: string, bytes: Uint8Array, m: { state: string; lastInput: number }): DumpFile {
  const file: DumpFile = {
    name,
    size: bytes.length,
    role: 'merge marker',
    items: itemsOf(describeMarker(bytes)),
    notes: [],
    bytes,
  };
  file.notes.push(
    `a merge of the files up to ${dataName(m.lastInput)} ${m.state === 'committed' ? 'committed' : 'started'} and a crash interrupted it: the next open ${m.state === 'committed' ? 'finishes it (removes the inputs)' : 'undoes it (removes the outputs)'}`,
  );
  return file;
}

/** The MANIFEST (or MANIFEST.tmp) as the engine describes it, and whether its decoder accepts it. */
function dumpManifest(name: string, bytes: Uint8Array): DumpFile {
  const file: DumpFile = {
    name,
    size: bytes.length,
    role: name === MANIFEST_NAME ? 'the list of data files' : 'a MANIFEST being written',
    items: itemsOf(describeManifestFile(bytes)),
    notes: [],
    bytes,
  };
  if (name === MANIFEST_TMP)
    file.notes.push('a crash interrupted replacing the MANIFEST: the next open removes this file');
  const r = attempt(name, 0, () => decodeManifest(bytes, name));
  if (!r.ok && name === MANIFEST_NAME) file.problem = r.problem;
  return file;
}

/** Decodes every file in the store. */
function dump(fs: FileSystem, dir: string): DumpReport {
  const names = storeFiles(fs, dir);
  // The MANIFEST says which data files belong to the store, which is active, and their sizes.
  const manifest = names.includes(MANIFEST_NAME)
    ? attempt(MANIFEST_NAME, 0, () => decodeManifest(readFile(fs, dir, MANIFEST_NAME), MANIFEST_NAME))
    : undefined;
  const m = manifest?.ok ? manifest.value : undefined;
  const dataIds = names
    .map(parseName)
    .filter((p) => p?.kind === 'data')
    .map((p) => p!.id);
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
          if (sealed.size !== bytes.length)
            file.problem ??= {
              file: name,
              offset: Math.min(sealed.size, bytes.length),
              what: `the MANIFEST says this sealed file is ${sealed.size} bytes, but it is ${bytes.length}`,
            };
        } else if (p.id === m.active) file.role = 'data file (active)';
        else {
          file.role = 'data file (not in the MANIFEST)';
          file.notes.push("the MANIFEST does not list it: a crash's leftover, which the next open removes");
        }
      }
      return file;
    }
    if (p?.kind === 'hint')
      return dumpHint(
        name,
        bytes,
        p.id,
        names.includes(dataName(p.id)) ? fs.fileSize(join(dir, dataName(p.id))) : undefined,
      );
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
  for (const n of names)
    if (!parseName(n) && !parseMergeMarker(n) && n !== MANIFEST_NAME && n !== MANIFEST_TMP)
      report.notes.push(`${n}: not a file of the bitcask engine; ignored`);
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
    report.checked.push(
      `${n}: ${plural(records, 'record')} (${plural(tombstones, 'tombstone')}), every CRC-32C ok, no unfinished batch`,
    );
    const hint = n.replace(/\.data$/, '.hint');
    if (names.includes(hint))
      report.checked.push(`${hint}: valid for ${n}, every entry matches the record it points at`);
  }
  report.checked.push(`${plural(r.value, 'record')} in all; no merge marker left behind`);
  if (names.includes(MANIFEST_NAME)) {
    const m = attempt(MANIFEST_NAME, 0, () => decodeManifest(readFile(fs, dir, MANIFEST_NAME), MANIFEST_NAME));
    if (!m.ok) return { ...report, sound: false, problem: m.problem };
    for (const f of m.value.sealed) {
      const name = dataName(f.id);
      if (!names.includes(name))
        return {
          ...report,
          sound: false,
          problem: { file: MANIFEST_NAME, offset: 0, what: `it lists ${name}, which is missing` },
        };
      const size = fs.fileSize(join(dir, name));
      if (size !== f.size)
        return {
          ...report,
          sound: false,
          problem: {
            file: name,
            offset: Math.min(size, f.size),
            what: `the MANIFEST says this sealed file is ${f.size} bytes, but it is ${size}`,
          },
        };
    }
    report.checked.push(
      `${MANIFEST_NAME}: checksum ok; ${plural(m.value.sealed.length, 'sealed file')}, each present at exactly its listed size; active ${m.value.active ? dataName(m.value.active) : 'none'}`,
    );
  }
  return report;
}

/** Counts the records and tombstones of a data file the checker already verified. */
function countRecords(bytes: Uint8Array): { records: number; tombstones: number } {
  const recs = records(describeDataFile(bytes));
  return { records: recs.length, tombstones: recs.filter((r) => r.flags & FLAG_TOMBSTONE).length };
}

/** Adds a note when the problem is one that the next open repairs (a crash's leftovers). */
function explain(fs: FileSystem, dir: string, names: string[], report: CheckReport): void {
  const p = report.problem!;
  // Only the active file (the MANIFEST says which; else the newest) can end in a torn append.
  const m = names.includes(MANIFEST_NAME)
    ? attempt(MANIFEST_NAME, 0, () => decodeManifest(readFile(fs, dir, MANIFEST_NAME), MANIFEST_NAME))
    : undefined;
  const ids = names
    .map(parseName)
    .filter((x) => x?.kind === 'data')
    .map((x) => x!.id);
  const activeId = m?.ok ? m.value.active : ids.length ? Math.max(...ids) : 0;
  const active = activeId ? dataName(activeId) : '';
  const file = baseName(p.file);
  if (file === active && names.includes(active)) {
    const r = decodeRecord(readFile(fs, dir, active), p.offset);
    if (r.kind === 'torn' || p.what.includes('inside a batch')) {
      report.notes.push(
        `this is what a crash mid-append leaves: the next open cuts ${active} at offset ${p.offset} and the store is sound again`,
      );
    }
  }
  if (parseMergeMarker(file) || file === MANIFEST_TMP || /is not listed in the MANIFEST/.test(p.what)) {
    report.notes.push(`${file} is a crash's leftover: the next open removes it, and the store is sound again`);
  }
}

/** The bitcask engine's CLI module. */
export const bitcaskTools: EngineTools = { engine: 'bitcask', dump, check };
