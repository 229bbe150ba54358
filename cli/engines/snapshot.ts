/**
 * snapshot.ts: `dump` and `check` for the snapshot engine, using engines/snapshot/format.ts.
 *
 * The store is one file, snapshot.db (header, sorted records, CRC-32C), plus at most a
 * snapshot.db.tmp that a crash left in the middle of a save (open removes it). dump shows
 * the header, each record and the trailer as the engine's describer (describeSnapshot)
 * names them; check runs the engine's own decoder, which
 * verifies the magic, the version, the body length, the checksum, and that keys are in
 * strictly increasing order.
 */
import { LIVE_FILE, TEMP_FILE, decodeSnapshot, describeSnapshot } from '../../engines/snapshot/format.js';
import type { FileSystem } from '../../engines/storage/fs.js';
import { attempt, foreignFile, plural, readFile, storeFiles } from './files.js';
import { itemsOf } from './items.js';
import type { CheckReport, DumpFile, DumpReport, EngineTools } from './types.js';

/** Decodes one snapshot file (live or temporary). */
function dumpSnapshotFile(name: string, bytes: Uint8Array): DumpFile {
  const file: DumpFile = {
    name,
    size: bytes.length,
    role: name === LIVE_FILE ? 'snapshot' : 'temporary snapshot',
    items: itemsOf(describeSnapshot(bytes)),
    notes: [],
    bytes,
  };
  if (name === TEMP_FILE)
    file.notes.push('a save that a crash interrupted before its rename left this file; the next open removes it');
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
    if (name === TEMP_FILE)
      report.notes.push(`${TEMP_FILE}: left by an interrupted save; not read, and removed by the next open`);
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
