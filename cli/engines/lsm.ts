/**
 * lsm.ts: `dump` and `check` for the LSM engine, using the engine's describers
 * (engines/lsm/layout.ts, log-layout.ts, table-layout.ts), its recovery readers (wal.ts,
 * manifest.ts) and its checker (engines/lsm/check.ts).
 *
 * The store: write-ahead logs `NNNNNN.log` (checksummed frames, one per write or batch),
 * SSTables `NNNNNN.sst` (data blocks, a bloom filter, an index, a footer), the manifest
 * `MANIFEST-NNNNNN` (frames of version edits) and CURRENT, which names the live manifest.
 *
 * dump prints every file as the describers name its bytes, and says what a bad tail means
 * (readFrames decides, as recovery would: a torn append at the end of the newest log or of
 * the manifest, or damage). check runs checkLsmDir, which holds a closed store to be exact
 * (every checksum, every table against the manifest, levels 1+ disjoint, a key in two levels
 * newer in the upper one, no torn tail, no leftover file), and prints what it found file by
 * file; when it finds a problem that the next open repairs (a crash's torn tail, a file
 * recovery deletes), it says so in a note.
 */
import { CURRENT, parseName } from '../../engines/lsm/format.js';
import { describeCurrentFile } from '../../engines/lsm/layout.js';
import { describeLogFile, describeManifestFile } from '../../engines/lsm/log-layout.js';
import { describeTableFile } from '../../engines/lsm/table-layout.js';
import { readCurrent, readManifest, type ManifestState } from '../../engines/lsm/manifest.js';
import { readFrames } from '../../engines/lsm/wal.js';
import { checkLsmDir } from '../../engines/lsm/check.js';
import { firstMalformed, type Group } from '../../engines/layout.js';
import type { FileSystem } from '../../engines/storage/fs.js';
import { attempt, foreignFile, plural, readFile, storeFiles } from './files.js';
import { itemsOf } from './items.js';
import type { CheckReport, DumpFile, DumpReport, EngineTools, Problem } from './types.js';

/**
 * What a bad last frame means. A frame cut short is a torn append. A whole last frame whose
 * checksum fails is, to the engine, the same thing (a crash can land sectors out of order),
 * so open drops it too; but it may also be damage to a synced write, and the note says so.
 */
function tornNote(at: number, reason: string): string {
  if (/checksum/.test(reason)) {
    return `the last record, at offset ${at}, fails its checksum (${reason}): a torn append that reached the disk out of order, or damage to a written record; the engine cannot tell them apart, and the next open drops it`;
  }
  return `a torn tail from offset ${at} (${reason}): a crash cut the last append short; the next open drops it`;
}

/** The groups of `groups` whose unit is `unit`. */
function count(groups: readonly Group[], unit: string): number {
  return groups.filter((g) => g.unit === unit).length;
}

/**
 * The problem or note for a log-shaped file whose describer stopped at a malformed span:
 * a payload the decoder refuses is a problem; a bad frame is what recovery's readFrames says
 * (a torn tail it drops, a note when `mayTear`, else damage).
 */
function badTail(
  file: DumpFile,
  groups: readonly Group[],
  bytes: Uint8Array,
  synced: boolean,
  mayTear: boolean,
  tornText: (at: number, reason: string) => string,
): void {
  const bad = firstMalformed(groups);
  if (!bad) return;
  const reason = bad.note ?? 'does not decode';
  const frame = groups.find((g) => g.offset <= bad.offset && bad.offset < g.offset + Math.max(1, g.length));
  if (frame?.unit === 'frame') {
    file.problem ??= { file: file.name, offset: bad.offset, what: reason };
    return;
  }
  const r = attempt(file.name, bad.offset, () => readFrames(bytes, file.name, synced));
  if (!r.ok) file.problem ??= r.problem;
  else if (!mayTear)
    file.problem ??= {
      file: file.name,
      offset: bad.offset,
      what: `a bad record at the end of a log that is not the newest (${reason}): damage, not a torn append`,
    };
  else file.notes.push(tornText(bad.offset, reason));
}

/** A write-ahead log as the engine describes it: one item per frame, the ops of a batch as children. */
function dumpLog(name: string, bytes: Uint8Array, live: boolean, newest: boolean): DumpFile {
  const groups = describeLogFile(bytes);
  const file: DumpFile = {
    name,
    size: bytes.length,
    role: live ? 'write-ahead log' : 'old write-ahead log (garbage)',
    items: itemsOf(groups),
    notes: [],
    bytes,
  };
  badTail(file, groups, bytes, false, newest || !live, tornNote);
  file.notes.push(`${plural(count(groups, 'record'), 'record')} with good checksums`);
  if (!live) file.notes.push('every write in it is in a table now: the next open removes it');
  return file;
}

/** A manifest as the engine describes it: one item per version edit, every tag named. */
function dumpManifest(name: string, bytes: Uint8Array, live: boolean): DumpFile {
  const groups = describeManifestFile(bytes);
  const file: DumpFile = {
    name,
    size: bytes.length,
    role: live ? 'manifest (live)' : 'manifest (old, garbage)',
    items: itemsOf(groups),
    notes: [],
    bytes,
  };
  badTail(
    file,
    groups,
    bytes,
    true,
    true,
    (at) => `a torn last edit from offset ${at}: a change that never committed; the next open ignores it`,
  );
  if (!live) file.notes.push('CURRENT does not name it: the next open removes it');
  return file;
}

/** A table as the engine describes it: data blocks with their entries, filter, index, footer. */
function dumpTable(name: string, bytes: Uint8Array, level: number | undefined): DumpFile {
  const role = level === undefined ? 'sstable (not in the manifest: garbage)' : `sstable, level ${level}`;
  const groups = describeTableFile(bytes);
  const file: DumpFile = { name, size: bytes.length, role, items: itemsOf(groups), notes: [], bytes };
  const bad = firstMalformed(groups);
  if (bad) file.problem = { file: name, offset: bad.offset, what: bad.note ?? 'does not decode' };
  else {
    const blocks = groups.filter((g) => g.unit === 'block');
    const entries = blocks.reduce((n, b) => n + count(b.children ?? [], 'entry'), 0);
    file.notes.push(
      `${plural(blocks.length, 'data block')}, ${plural(entries, 'entry', 'entries')}, every checksum ok`,
    );
  }
  if (level === undefined) file.notes.push('the manifest does not list it: the next open removes it');
  return file;
}

/** Reads CURRENT and the manifest it names (undefined when there is no CURRENT), or a problem. */
function manifestOf(
  fs: FileSystem,
  dir: string,
): { ok: true; name?: string; state?: ManifestState } | { ok: false; problem: Problem } {
  const cur = attempt(CURRENT, 0, () => readCurrent(fs, dir));
  if (!cur.ok) return cur;
  if (cur.value === undefined) return { ok: true };
  const name = cur.value;
  const st = attempt(name, 0, () => readManifest(fs, dir, name));
  if (!st.ok) return st;
  return { ok: true, name, state: st.value };
}

/** Decodes every file in the store. */
function dump(fs: FileSystem, dir: string): DumpReport {
  const m = manifestOf(fs, dir);
  const levels = new Map<number, number>();
  if (m.ok && m.state) for (const { level, file } of m.state.version.files()) levels.set(file.number, level);
  const logFloor = m.ok && m.state ? m.state.logNumber : 0;
  const logs = storeFiles(fs, dir)
    .map(parseName)
    .filter((p) => p?.kind === 'log')
    .map((p) => p!.number);
  const newestLog = logs.length ? Math.max(...logs) : 0;
  const files = storeFiles(fs, dir).map((name): DumpFile => {
    const bytes = readFile(fs, dir, name);
    const p = parseName(name);
    if (!p) return foreignFile(name, bytes);
    if (p.kind === 'log') return dumpLog(name, bytes, p.number >= logFloor, p.number === newestLog);
    if (p.kind === 'table') return dumpTable(name, bytes, levels.get(p.number));
    if (p.kind === 'manifest') return dumpManifest(name, bytes, m.ok && m.name === name);
    // CURRENT and CURRENT.tmp: the name of a manifest and a newline.
    const file: DumpFile = {
      name,
      size: bytes.length,
      role: p.kind === 'current' ? 'names the live manifest' : 'CURRENT being written (garbage)',
      items: itemsOf(describeCurrentFile(bytes)),
      notes: [],
      bytes,
    };
    if (p.kind === 'current' && !m.ok) file.problem = m.problem;
    if (p.kind === 'temp') file.notes.push('a crash interrupted switching manifests: the next open removes it');
    return file;
  });
  return { engine: 'lsm', dir, files };
}

/** Runs the engine's checker, then says what it verified, file by file. */
function check(fs: FileSystem, dir: string): CheckReport {
  const report: CheckReport = { engine: 'lsm', dir, sound: true, checked: [], notes: [] };
  const names = storeFiles(fs, dir);
  for (const n of names) if (!parseName(n)) report.notes.push(`${n}: not a file of the lsm engine; ignored`);
  const r = attempt(dir, 0, () => checkLsmDir(fs, dir));
  if (!r.ok) {
    explain(names, r.problem, report);
    return { ...report, sound: false, problem: r.problem };
  }
  const c = r.value;
  if (!c.manifest) {
    report.checked.push('no CURRENT: a new store, which opens empty');
    return report;
  }
  const m = c.manifest;
  report.checked.push(`CURRENT names ${m.name}`);
  const perLevel = m.tablesPerLevel
    .map((n, i) => (n ? `L${i} ${n}` : ''))
    .filter(Boolean)
    .join(', ');
  report.checked.push(
    `${m.name}: ${plural(m.edits, 'edit')} replayed, every one whole; ${plural(c.tables, 'live table')}${perLevel ? ` (${perLevel})` : ''}; log ${m.logNumber}, next file ${m.nextFile}, last seq ${m.lastSeq}`,
  );
  for (const t of c.tableFacts) {
    report.checked.push(
      `${t.name} (L${t.level}): ${plural(t.blocks, 'data block')}, ${plural(t.entries, 'entry', 'entries')} in strictly increasing key order, every checksum ok, index and bloom filter agree, matches the manifest`,
    );
  }
  m.tablesPerLevel.forEach((n, l) => {
    if (l > 0 && n > 0) report.checked.push(`level ${l}: ${plural(n, 'table')} in key order, no two overlapping`);
  });
  if (c.tables > 1) report.checked.push('across levels: every key found in two levels is newer in the upper one');
  for (const l of c.logFacts)
    report.checked.push(`${l.name}: ${plural(l.records, 'record')} (${plural(l.ops, 'op')}), every frame checksum ok`);
  return report;
}

/** Adds a note when the checker's problem is one the next open repairs (a crash's leftovers). */
function explain(names: string[], p: Problem, report: CheckReport): void {
  const logs = names
    .map(parseName)
    .filter((x) => x?.kind === 'log')
    .map((x) => x!.number);
  const newest = logs.length ? Math.max(...logs) : -1;
  const q = parseName(p.file);
  if (q?.kind === 'log' && q.number === newest && /torn record/.test(p.what)) {
    report.notes.push(
      `a crash mid-append leaves this: the next open cuts ${p.file} at offset ${p.offset}, and the store is sound again${/checksum/.test(p.what) ? ' (unless this record was damaged after it was written: the engine cannot tell the two apart at the end of the newest log)' : ''}`,
    );
  } else if (q?.kind === 'log' && /torn record/.test(p.what)) {
    report.notes.push(
      `${p.file} is not the newest log, so no crash can have torn it: this is damage to written records, not a crash's torn tail`,
    );
  } else if (/recovery should have deleted|does not list|old manifest|temporary file|no CURRENT/.test(p.what)) {
    report.notes.push('a crash left this behind: the next open deletes it, and the store is sound again');
  } else if (/manifest ends in a torn edit/.test(p.what)) {
    report.notes.push(
      'a crash interrupted the last manifest edit: the next open ignores it (the change never committed)',
    );
  }
}

/** The lsm engine's CLI module. */
export const lsmTools: EngineTools = { engine: 'lsm', dump, check };
