/**
 * recovery.ts: opening an lsm store (LevelDB's DB::Recover, VersionSet::Recover).
 *
 *   1. CURRENT names the manifest; replaying its edits gives the live tables, the log number,
 *      the next file number and the last sequence (a torn last edit never committed);
 *   2. every log at or above the log number is replayed, oldest first, into one fresh
 *      memtable; a torn tail is cut off for good, and a sealed log (complete at close) must be
 *      whole at exactly its sealed length;
 *   3. a new log is started and a fresh manifest (a snapshot of the recovered version, with
 *      the replayed logs sealed at their lengths) is written, and CURRENT switched to it;
 *   4. every file of ours that nothing references is deleted (tables not in the version,
 *      logs below the log number, other manifests, CURRENT.tmp).
 * A directory with no CURRENT is a new store (or a first open a crash interrupted, which can
 * have left only an empty log, a manifest and CURRENT.tmp); one with tables or a written log
 * but no CURRENT is KV_CORRUPT: the engine never starts a new store over data.
 */
import { corrupt } from '../errors.js';
import { FRAME_HEADER } from '../codec/frame.js';
import { readWhole, type FileSystem } from '../storage/fs.js';
import { join } from '../storage/path.js';
import type { TraceListener } from '../registry-types.js';
import { CURRENT, decodeLogRecord, logName, parseName, tableName, type VersionEdit } from './format.js';
import { ManifestWriter, readCurrent, readManifest } from './manifest.js';
import { Memtable } from './memtable.js';
import { Version } from './version.js';
import { LogWriter, readFrames } from './wal.js';

/** Where a store's files are, and who listens. */
export interface LsmFiles {
  fs: FileSystem;
  dir: string;
  trace: TraceListener | undefined;
  /** The log buffer's size (settings.ts); 0 or absent writes each record at once. */
  logBufferBytes?: number;
}

/** What open recovers: the state a store starts from. */
export interface Recovered {
  tree: Version;
  /** Logs numbered below this are no longer needed (their memtables are in tables). */
  logNumber: number;
  nextFile: number;
  lastSeq: number;
  /** The memtable the logs were replayed into, on the new log. */
  mem: Memtable;
  log: LogWriter;
  manifest: ManifestWriter;
}

/** A version edit that describes the whole state (a new manifest's first record). */
export function snapshotEdit(s: Pick<Recovered, 'tree' | 'logNumber' | 'nextFile' | 'lastSeq'>): VersionEdit {
  return { logNumber: s.logNumber, nextFile: s.nextFile, lastSeq: s.lastSeq, deleted: [], added: s.tree.files() };
}

/** Creates log file `n` (empty), traced, and returns its writer. */
export function startLog(f: LsmFiles, n: number): LogWriter {
  const h = f.fs.open(join(f.dir, logName(n)), { create: true, truncate: true });
  const log = new LogWriter(h, n, f.logBufferBytes ?? 0);
  f.trace?.({ type: 'lsm.log.new', file: logName(n) });
  return log;
}

/**
 * Opens the store in `f.dir` (see the header comment); `remove` deletes a file of the store
 * (traced with its reason). On failure every file recovery opened is closed again.
 */
export function recoverLsm(f: LsmFiles, remove: (name: string, reason: string) => void): Recovered {
  const opened: Partial<Recovered> = {};
  try {
    const current = readCurrent(f.fs, f.dir);
    return current === undefined ? create(f, remove, opened) : recover(f, current, remove, opened);
  } catch (e) {
    const quiet = (close: (() => void) | undefined): void => {
      try {
        close?.();
      } catch {
        // The first error is the one to report.
      }
    };
    quiet(opened.log && (() => opened.log!.close()));
    quiet(opened.manifest && (() => opened.manifest!.close()));
    throw e;
  }
}

/** Recovers a store whose CURRENT names `current` (steps 1 to 4). */
function recover(
  f: LsmFiles,
  current: string,
  remove: (name: string, reason: string) => void,
  opened: Partial<Recovered>,
): Recovered {
  const { fs, dir, trace } = f;
  trace?.({ type: 'lsm.recover', step: 'current', file: CURRENT, detail: `CURRENT names ${current}` });
  // Step 1: the manifest gives the live tables and the counters.
  const st = readManifest(fs, dir, current);
  const tree = st.version;
  let logNumber = st.logNumber;
  let nextFile = st.nextFile;
  const tables = tree.files();
  trace?.({
    type: 'lsm.recover',
    step: 'manifest',
    file: current,
    detail: `${st.edits} edits: ${tables.length} tables, log number ${st.logNumber}${st.tornAt !== undefined ? `; dropped a torn edit at byte ${st.tornAt}` : ''}`,
  });
  for (const { file } of tables) {
    const name = tableName(file.number);
    if (!fs.exists(join(dir, name))) throw corrupt(name, 0, `the manifest lists this table, but the file is missing`);
  }
  // File numbers must not be reused, even those of garbage about to be deleted.
  const names = fs.list(dir);
  for (const name of names) {
    const p = parseName(name);
    if (p && p.number >= nextFile) nextFile = p.number + 1;
  }
  const newLog = nextFile++;
  const manifestNumber = nextFile++;
  // Step 2: replay every log still needed, oldest first, into one memtable. The log the
  // manifest names always exists, and so does every log it says is sealed (complete).
  const mem = new Memtable(newLog);
  const seq = { last: st.lastSeq };
  const logs = names
    .map((name) => ({ name, p: parseName(name) }))
    .filter((x) => x.p?.kind === 'log' && x.p.number >= logNumber)
    .sort((a, b) => a.p!.number - b.p!.number);
  const present = new Set(logs.map((l) => l.p!.number));
  for (const n of [logNumber, ...[...st.sealed.keys()].filter((n) => n >= logNumber)]) {
    if (!present.has(n)) throw corrupt(logName(n), 0, `the manifest needs this log, but the file is missing`);
  }
  const sealed: { number: number; bytes: number }[] = [];
  for (const { name, p } of logs)
    sealed.push({ number: p!.number, bytes: replayLog(f, name, mem, seq, st.sealed.get(p!.number)) });
  // Step 3: a fresh manifest. If nothing was replayed, the old logs are no longer needed;
  // otherwise they are sealed at their (possibly cut) lengths.
  if (mem.count === 0) logNumber = newLog;
  opened.log = startLog(f, newLog);
  const snapshot = snapshotEdit({ tree, logNumber, nextFile, lastSeq: seq.last });
  snapshot.sealed = sealed.filter((l) => l.number >= logNumber);
  const manifest = (opened.manifest = ManifestWriter.create(fs, dir, manifestNumber, snapshot));
  trace?.({
    type: 'lsm.recover',
    step: 'manifest',
    file: manifest.name,
    detail: `wrote a new manifest; CURRENT now names it (was ${current})`,
  });
  // Step 4: delete what nothing references.
  deleteUnreferenced(f, tree, logNumber, manifest.number, remove);
  trace?.({
    type: 'lsm.recover',
    step: 'done',
    detail: `${tables.length} tables, ${mem.count} keys in the memtable, last sequence ${seq.last}`,
  });
  return { tree, logNumber, nextFile, lastSeq: seq.last, mem, log: opened.log, manifest };
}

/** Initializes an empty directory (or one a crash left before its first CURRENT). */
function create(f: LsmFiles, remove: (name: string, reason: string) => void, opened: Partial<Recovered>): Recovered {
  const { fs, dir, trace } = f;
  // Nothing can have been acknowledged before CURRENT existed: a crashed first open leaves
  // at most an empty log, a manifest and CURRENT.tmp. Tables or a written log mean CURRENT
  // was lost, and deleting them would destroy data.
  for (const name of fs.list(dir)) {
    const p = parseName(name);
    if (p?.kind === 'table' || (p?.kind === 'log' && fs.fileSize(join(dir, name)) > 0)) {
      throw corrupt(
        CURRENT,
        0,
        `CURRENT is missing, but the directory holds ${name}; refusing to start a new store over it`,
      );
    }
  }
  for (const name of fs.list(dir)) {
    if (parseName(name)) remove(name, 'recovery: no CURRENT, left by an interrupted first open');
  }
  trace?.({ type: 'lsm.recover', step: 'new', detail: 'no CURRENT file: a new store' });
  let nextFile = 1;
  const log = nextFile++;
  const manifestNumber = nextFile++;
  const tree = new Version();
  const mem = new Memtable(log);
  opened.log = startLog(f, log);
  // Writes the manifest and CURRENT, and fsyncs the directory (which also covers the log).
  const manifest = (opened.manifest = ManifestWriter.create(
    fs,
    dir,
    manifestNumber,
    snapshotEdit({ tree, logNumber: log, nextFile, lastSeq: 0 }),
  ));
  trace?.({ type: 'lsm.recover', step: 'done', detail: `created ${manifest.name} and ${logName(log)}` });
  return { tree, logNumber: log, nextFile, lastSeq: 0, mem, log: opened.log, manifest };
}

/**
 * Replays one log into the memtable, raising `seq.last` to its newest sequence number;
 * returns its length after any torn tail is cut. A sealed log (`sealedAt` bytes, all synced)
 * must be exactly that long and whole.
 */
function replayLog(f: LsmFiles, name: string, mem: Memtable, seq: { last: number }, sealedAt?: number): number {
  const bytes = readWhole(f.fs, join(f.dir, name));
  if (sealedAt !== undefined && bytes.length !== sealedAt) {
    throw corrupt(
      name,
      Math.min(bytes.length, sealedAt),
      `the log was sealed at ${sealedAt} bytes but holds ${bytes.length}`,
    );
  }
  const { records, tornAt, reason } = readFrames(bytes, name);
  if (sealedAt !== undefined && tornAt !== undefined)
    throw corrupt(name, tornAt, `a sealed log has a bad record: ${reason}`);
  let ops = 0;
  for (const r of records) {
    for (const e of decodeLogRecord(r.payload, name, r.offset + FRAME_HEADER)) {
      mem.insert(e.key, e.seq, e.kind, e.value);
      if (e.seq > seq.last) seq.last = e.seq;
      ops++;
    }
  }
  f.trace?.({
    type: 'lsm.recover',
    step: 'log',
    file: name,
    detail: `replayed ${records.length} records (${ops} ops) into the memtable`,
  });
  if (tornAt !== undefined) {
    // Cut the tail off for good, so a later recovery (or a check) sees a clean log.
    const h = f.fs.open(join(f.dir, name));
    try {
      h.truncate(tornAt);
      h.sync();
    } finally {
      h.close();
    }
    f.trace?.({
      type: 'lsm.recover',
      step: 'torn',
      file: name,
      detail: `cut a torn tail at byte ${tornAt} (${bytes.length - tornAt} bytes): ${reason}`,
    });
  }
  return tornAt ?? bytes.length;
}

/** Removes every file of ours that the version, the logs from `logNumber` and the manifest do not need. */
function deleteUnreferenced(
  f: LsmFiles,
  tree: Version,
  logNumber: number,
  manifestNumber: number,
  remove: (name: string, reason: string) => void,
): void {
  const live = new Set(tree.files().map((x) => x.file.number));
  for (const name of f.fs.list(f.dir)) {
    const p = parseName(name);
    if (!p) continue;
    const garbage =
      (p.kind === 'log' && p.number < logNumber) ||
      (p.kind === 'table' && !live.has(p.number)) ||
      (p.kind === 'manifest' && p.number !== manifestNumber) ||
      p.kind === 'temp';
    if (garbage) remove(name, 'recovery: unreferenced');
  }
}
