/**
 * store.ts: the lsm engine, a log-structured merge tree after LevelDB (doc/impl.md).
 *
 * Writes. A put, delete or batch gets the next sequence number(s), is appended to the
 * write-ahead log as one record, then inserted into the memtable (a skiplist). Nothing else
 * is written. sync() fsyncs the log.
 *
 * Flush. When the memtable reaches memtableBytes it is frozen (the immutable memtable), a new
 * memtable and a new log start, and the frozen one is written as a level-0 SSTable:
 *   1. create the new log; freeze the memtable;
 *   2. write the table, fsync it, fsync the directory (the new table and new log exist);
 *   3. append an edit {add table at L0, log number = new log} to the manifest and fsync it:
 *      the commit point, after which the old log is no longer needed;
 *   4. remove the old log.
 * A crash before 3 leaves the old version and the old log, which recovery replays; the new
 * table is unreferenced and recovery deletes it. A crash after 3 leaves the new version.
 * Flushes run synchronously, so the immutable memtable exists (and is searched) only while
 * one runs; LevelDB flushes it on a background thread while writes go to the new memtable.
 *
 * Compaction (compaction.ts) commits the same way: output tables fsynced, then one manifest
 * edit that deletes the inputs and adds the outputs, then the inputs are removed.
 *
 * How the pause is bounded. Flushes and compactions run synchronously inside the write that
 * fills the memtable (there are no background threads here). That write pays for one flush
 * (memtableBytes of data), then for compaction jobs, most urgent level first, until every
 * level is within its target, at most MAX_JOBS_PER_PAUSE (16) of them. Each job is bounded:
 * a level-0 job reads the level-0 tables (about l0CompactionTrigger memtables) and the
 * level-1 tables they overlap; a deeper job reads one table and the tables of the next level
 * it overlaps, which cutting outputs at 10 * targetFileBytes of grandparent overlap keeps to
 * about a dozen tables; a "trivial move" reads nothing. In steady state one flush needs about
 * one job per level it overflows, so most pauses run zero or one job; if 16 are not enough,
 * the next full memtable continues. Every other write pays only a log append and a skiplist
 * insert. compact() has no bound: it runs until the whole tree is merged down.
 *
 * Reads. A get looks in the memtable, the immutable memtable, the level-0 tables newest
 * first, then in each deeper level the one table whose key range holds the key (binary
 * search); the first entry found (a value or a tombstone) is the answer. Each table is
 * skipped if the key is outside its range, then asked its bloom filter, then its index; at
 * most one data block per table is read. A scan merges every source with one merging iterator.
 *
 * Recovery (open): read CURRENT and replay the manifest; replay every log numbered at or
 * above the manifest's log number into a fresh memtable (cutting off a torn tail); write a new
 * manifest and switch CURRENT to it; start a new log; delete only files nothing references.
 * close() fsyncs the log and seals it in the manifest (complete at its length), so the next
 * open treats any damage to it as corruption rather than as a torn tail.
 *
 * stats() counts live keys and bytes with a merge over everything (read around the I/O
 * counters and traces, and cached until the next write): exact, but it costs a full scan.
 */
import { wholeOption } from '../options.js';
import { compareBytes, display } from '../bytes.js';
import { corrupt } from '../errors.js';
import type { StoreOptions } from '../kv.js';
import { BaseStore, type ByteOp, type EngineStats } from '../store.js';
import { aboveLower, belowUpper, type Bounds } from '../range.js';
import { readWhole } from '../storage/fs.js';
import { join } from '../storage/path.js';
import { FRAME_HEADER } from '../codec/frame.js';
import { BlockCache } from './block-cache.js';
import { keyRange, pickCompaction, planFor, runCompaction, type CompactionOptions, type CompactionPlan } from './compaction.js';
import {
  CURRENT,
  EMPTY,
  KIND_DELETE,
  KIND_PUT,
  LEVELS,
  decodeLogRecord,
  encodeLogRecord,
  logName,
  parseName,
  tableName,
  type Entry,
  type FileMeta,
  type VersionEdit,
} from './format.js';
import type { LsmInspect, LsmMemtableInspect } from './inspect.js';
import { ManifestWriter, readCurrent, readManifest } from './manifest.js';
import { Memtable } from './memtable.js';
import { MergingIterator, firstWithLargestAtLeast, levelEntries } from './merge.js';
import { TableReader } from './table-reader.js';
import { TableWriter } from './table-writer.js';
import { Version, maxBytesForLevel, scores } from './version.js';
import { readFrames } from './wal.js';
import { LogWriter } from './wal.js';

/** The tuning, with defaults filled in. */
interface Settings extends CompactionOptions {
  memtableBytes: number;
  blockBytes: number;
  bloomBitsPerKey: number;
  blockCacheBytes: number;
}

const MiB = 1024 * 1024;

/** The most compaction jobs one write runs (a bound on its pause; normally one or two run). */
const MAX_JOBS_PER_PAUSE = 16;
/** No level is excluded from picking. */
const NONE: ReadonlySet<number> = new Set();

/** Reads and checks the lsm tuning options. */
function settings(o: StoreOptions): Settings {
  const int = (name: keyof StoreOptions, def: number, min: number): number => wholeOption(name, o[name], min, def);
  return {
    memtableBytes: int('memtableBytes', 4 * MiB, 1),
    blockBytes: int('blockBytes', 4096, 1),
    bloomBitsPerKey: int('bloomBitsPerKey', 10, 1),
    l0CompactionTrigger: int('l0CompactionTrigger', 4, 1),
    levelSizeMultiplier: int('levelSizeMultiplier', 10, 2),
    level1Bytes: int('level1Bytes', 10 * MiB, 1),
    targetFileBytes: int('targetFileBytes', 2 * MiB, 1),
    blockCacheBytes: int('blockCacheBytes', 8 * MiB, 0),
  };
}

/** Counters kept since open, reported by stats(). */
interface Counters {
  userBytes: number;
  logBytes: number;
  flushes: number;
  flushBytes: number;
  compactions: number;
  trivialMoves: number;
  compactionBytesRead: number;
  compactionBytesWritten: number;
  /** Bloom checks of tables since deleted (live tables keep their own counts). */
  bloomChecks: number;
  bloomNo: number;
  bloomFalse: number;
}

/** The LSM-tree engine. */
export class LsmStore extends BaseStore {
  private readonly o: Settings;
  private mem!: Memtable;
  /** The memtable being flushed (only during a flush). */
  private imm: Memtable | undefined;
  private log!: LogWriter;
  private manifest!: ManifestWriter;
  private tree = new Version();
  /** Logs numbered below this are no longer needed (their memtables are in tables). */
  private logNumber = 0;
  private nextFile = 1;
  private lastSeq = 0;
  private readonly readers = new Map<number, TableReader>();
  private readonly cache: BlockCache;
  /** Per level: the largest key of its last compaction (the round-robin pointer). */
  private readonly pointers: (Uint8Array | undefined)[] = [];
  private readonly n: Counters = {
    userBytes: 0, logBytes: 0, flushes: 0, flushBytes: 0, compactions: 0, trivialMoves: 0,
    compactionBytesRead: 0, compactionBytesWritten: 0, bloomChecks: 0, bloomNo: 0, bloomFalse: 0,
  };
  /** Bumped by every change; the cached live-key count is valid while it matches. */
  private changes = 0;
  private live: { at: number; keys: number; bytes: number } | undefined;

  /** Opens (creating or recovering) an lsm store in options.dir. */
  constructor(options: StoreOptions) {
    super('lsm', options);
    this.o = settings(options);
    this.cache = new BlockCache(this.o.blockCacheBytes);
    this.opening(() => this.recover());
  }

  // ---- recovery ------------------------------------------------------------------------

  /** Opens the store: replays the manifest and the logs, then cleans up. */
  private recover(): void {
    const current = readCurrent(this.fs, this.dir);
    if (current === undefined) return this.create();
    this.trace?.({ type: 'lsm.recover', step: 'current', file: CURRENT, detail: `CURRENT names ${current}` });
    // Step 1: the manifest gives the live tables and the counters.
    const st = readManifest(this.fs, this.dir, current);
    this.tree = st.version;
    this.logNumber = st.logNumber;
    this.nextFile = st.nextFile;
    this.lastSeq = st.lastSeq;
    const tables = this.tree.files();
    this.trace?.({
      type: 'lsm.recover', step: 'manifest', file: current,
      detail: `${st.edits} edits: ${tables.length} tables, log number ${st.logNumber}${st.tornAt !== undefined ? `; dropped a torn edit at byte ${st.tornAt}` : ''}`,
    });
    for (const { file } of tables) {
      const name = tableName(file.number);
      if (!this.fs.exists(join(this.dir, name))) throw corrupt(name, 0, `the manifest lists this table, but the file is missing`);
    }
    // File numbers must not be reused, even those of garbage about to be deleted.
    const names = this.fs.list(this.dir);
    for (const name of names) {
      const p = parseName(name);
      if (p && p.number >= this.nextFile) this.nextFile = p.number + 1;
    }
    const newLog = this.nextFile++;
    const manifestNumber = this.nextFile++;
    // Step 2: replay every log still needed, oldest first, into one memtable. The log the
    // manifest names always exists, and so does every log it says is sealed (complete).
    this.mem = new Memtable(newLog);
    const logs = names
      .map((name) => ({ name, p: parseName(name) }))
      .filter((x) => x.p?.kind === 'log' && x.p.number >= this.logNumber)
      .sort((a, b) => a.p!.number - b.p!.number);
    const present = new Set(logs.map((l) => l.p!.number));
    for (const n of [this.logNumber, ...[...st.sealed.keys()].filter((n) => n >= this.logNumber)]) {
      if (!present.has(n)) throw corrupt(logName(n), 0, `the manifest needs this log, but the file is missing`);
    }
    const sealed: { number: number; bytes: number }[] = [];
    for (const { name, p } of logs) sealed.push({ number: p!.number, bytes: this.replayLog(name, st.sealed.get(p!.number)) });
    // Step 3: a fresh manifest. If nothing was replayed, the old logs are no longer needed;
    // otherwise they are sealed at their (possibly cut) lengths.
    if (this.mem.count === 0) this.logNumber = newLog;
    this.openLog(newLog);
    const old = current;
    const snapshot = this.snapshotEdit();
    snapshot.sealed = sealed.filter((l) => l.number >= this.logNumber);
    this.manifest = ManifestWriter.create(this.fs, this.dir, manifestNumber, snapshot);
    this.trace?.({ type: 'lsm.recover', step: 'manifest', file: this.manifest.name, detail: `wrote a new manifest; CURRENT now names it (was ${old})` });
    // Step 4: delete what nothing references.
    this.deleteUnreferenced('recovery: unreferenced');
    this.trace?.({
      type: 'lsm.recover', step: 'done',
      detail: `${tables.length} tables, ${this.mem.count} keys in the memtable, last sequence ${this.lastSeq}`,
    });
    if (this.mem.bytes >= this.o.memtableBytes) this.makeRoom();
  }

  /** Initializes an empty directory (or one a crash left before its first CURRENT). */
  private create(): void {
    // Nothing can have been acknowledged before CURRENT existed: a crashed first open leaves
    // at most an empty log, a manifest and CURRENT.tmp. Tables or a written log mean CURRENT
    // was lost, and deleting them would destroy data.
    for (const name of this.fs.list(this.dir)) {
      const p = parseName(name);
      if (p?.kind === 'table' || (p?.kind === 'log' && this.fs.fileSize(join(this.dir, name)) > 0)) {
        throw corrupt(CURRENT, 0, `CURRENT is missing, but the directory holds ${name}; refusing to start a new store over it`);
      }
    }
    for (const name of this.fs.list(this.dir)) {
      if (parseName(name)) this.deleteFile(name, 'recovery: no CURRENT, left by an interrupted first open');
    }
    this.trace?.({ type: 'lsm.recover', step: 'new', detail: 'no CURRENT file: a new store' });
    const log = this.nextFile++;
    const manifestNumber = this.nextFile++;
    this.logNumber = log;
    this.mem = new Memtable(log);
    this.openLog(log);
    // Writes the manifest and CURRENT, and fsyncs the directory (which also covers the log).
    this.manifest = ManifestWriter.create(this.fs, this.dir, manifestNumber, this.snapshotEdit());
    this.trace?.({ type: 'lsm.recover', step: 'done', detail: `created ${this.manifest.name} and ${logName(log)}` });
  }

  /**
   * Replays one log into the memtable; returns its length after any torn tail is cut. A
   * sealed log (`sealedAt` bytes, all synced) must be exactly that long and whole.
   */
  private replayLog(name: string, sealedAt?: number): number {
    const bytes = readWhole(this.fs, join(this.dir, name));
    if (sealedAt !== undefined && bytes.length !== sealedAt) {
      throw corrupt(name, Math.min(bytes.length, sealedAt), `the log was sealed at ${sealedAt} bytes but holds ${bytes.length}`);
    }
    const { records, tornAt, reason } = readFrames(bytes, name);
    if (sealedAt !== undefined && tornAt !== undefined) throw corrupt(name, tornAt, `a sealed log has a bad record: ${reason}`);
    let ops = 0;
    for (const r of records) {
      for (const e of decodeLogRecord(r.payload, name, r.offset + FRAME_HEADER)) {
        this.mem.insert(e.key, e.seq, e.kind, e.value);
        if (e.seq > this.lastSeq) this.lastSeq = e.seq;
        ops++;
      }
    }
    this.trace?.({ type: 'lsm.recover', step: 'log', file: name, detail: `replayed ${records.length} records (${ops} ops) into the memtable` });
    if (tornAt !== undefined) {
      // Cut the tail off for good, so a later recovery (or a check) sees a clean log.
      const h = this.fs.open(join(this.dir, name));
      try {
        h.truncate(tornAt);
        h.sync();
      } finally {
        h.close();
      }
      this.trace?.({ type: 'lsm.recover', step: 'torn', file: name, detail: `cut a torn tail at byte ${tornAt} (${bytes.length - tornAt} bytes): ${reason}` });
    }
    return tornAt ?? bytes.length;
  }

  /** Removes every file of ours that the current version and logs do not need. */
  private deleteUnreferenced(reason: string): void {
    const live = new Set(this.tree.files().map((f) => f.file.number));
    for (const name of this.fs.list(this.dir)) {
      const p = parseName(name);
      if (!p) continue;
      const garbage =
        (p.kind === 'log' && p.number < this.logNumber) ||
        (p.kind === 'table' && !live.has(p.number)) ||
        (p.kind === 'manifest' && p.number !== this.manifest.number) ||
        p.kind === 'temp';
      if (garbage) this.deleteFile(name, reason);
    }
  }

  /** A version edit that describes the whole current state (a new manifest's first record). */
  private snapshotEdit(): VersionEdit {
    return {
      logNumber: this.logNumber,
      nextFile: this.nextFile,
      lastSeq: this.lastSeq,
      deleted: [],
      added: this.tree.files(),
    };
  }

  // ---- files ---------------------------------------------------------------------------

  /** Starts log file `n` (empty) and makes it the one writes go to. */
  private openLog(n: number): void {
    const h = this.fs.open(join(this.dir, logName(n)), { create: true, truncate: true });
    this.log = new LogWriter(h, n);
    this.trace?.({ type: 'lsm.log.new', file: logName(n) });
  }

  /** Removes a file (closing its reader if it is a table). */
  private deleteFile(name: string, reason: string): void {
    const p = parseName(name);
    if (p?.kind === 'table') {
      const r = this.readers.get(p.number);
      if (r) {
        this.n.bloomChecks += r.bloomChecks;
        this.n.bloomNo += r.bloomNo;
        this.n.bloomFalse += r.bloomFalse;
        r.close();
        this.readers.delete(p.number);
      }
      this.cache.evictFile(p.number);
    }
    this.fs.remove(join(this.dir, name));
    this.trace?.({ type: 'lsm.file.delete', file: name, reason });
  }

  /** The reader of a live table (opened on first use). */
  private reader(f: FileMeta): TableReader {
    let r = this.readers.get(f.number);
    if (!r) {
      const name = tableName(f.number);
      r = new TableReader(this.fs, join(this.dir, name), name, f, this.cache, this.trace);
      this.readers.set(f.number, r);
    }
    return r;
  }

  /** Starts writing a new table, with the next file number. */
  private newTable(): TableWriter {
    const number = this.nextFile++;
    const name = tableName(number);
    const h = this.fs.open(join(this.dir, name), { create: true, truncate: true });
    return new TableWriter(h, name, number, this.o, this.trace);
  }

  /** Commits an edit: check it applies, append it to the manifest (fsynced), then switch. */
  private install(edit: VersionEdit): void {
    edit.nextFile = this.nextFile;
    edit.lastSeq = this.lastSeq;
    const next = this.tree.apply(edit, this.manifest.name);
    this.manifest.append(edit);
    this.tree = next;
    if (edit.logNumber !== undefined) this.logNumber = edit.logNumber;
    this.trace?.({
      type: 'lsm.manifest.edit', file: this.manifest.name,
      added: edit.added.map((a) => `L${a.level} ${tableName(a.file.number)}`),
      deleted: edit.deleted.map((d) => `L${d.level} ${tableName(d.number)}`),
      ...(edit.logNumber !== undefined ? { logNumber: edit.logNumber } : {}),
      ...(edit.sealed ? { sealed: edit.sealed.map((l) => `${logName(l.number)} at ${l.bytes} bytes`) } : {}),
      nextFile: this.nextFile,
      lastSeq: this.lastSeq,
    });
  }

  // ---- writes --------------------------------------------------------------------------

  /** Logs and applies one write (a single op or a whole batch): one log record. */
  private apply(ops: Entry[]): void {
    const first = this.lastSeq + 1;
    for (let i = 0; i < ops.length; i++) ops[i]!.seq = first + i;
    // Step 1: the log, one record for the whole write (so a batch is all or nothing).
    const at = this.log.append(encodeLogRecord(first, ops));
    this.lastSeq += ops.length;
    this.n.logBytes += at.bytes;
    this.trace?.({ type: 'lsm.log.append', file: logName(this.log.number), seq: first, ops: ops.length, offset: at.offset, bytes: at.bytes });
    // Step 2: the memtable.
    for (const op of ops) {
      const r = this.mem.insert(op.key, op.seq, op.kind, op.value);
      this.n.userBytes += op.key.length + op.value.length;
      this.trace?.({
        type: 'lsm.memtable.insert', key: display(op.key), seq: op.seq, kind: op.kind === KIND_PUT ? 'put' : 'delete',
        height: r.height, created: r.created, entries: this.mem.count, bytes: this.mem.bytes, limit: this.o.memtableBytes,
      });
    }
    this.changes++;
    // Step 3: a full memtable is flushed, and compaction catches up (the bounded pause).
    if (this.mem.bytes >= this.o.memtableBytes) this.makeRoom();
  }

  /** Flushes the memtable, then runs the compactions the tree needs (bounded: see header). */
  private makeRoom(): void {
    this.flush();
    this.maybeCompact();
  }

  /** Freezes the memtable, writes it as a level-0 table, and commits it. */
  private flush(): void {
    if (this.mem.count === 0) return;
    // Step 1: a new log and memtable; the full one becomes immutable.
    const imm = this.mem;
    this.imm = imm;
    this.trace?.({ type: 'lsm.memtable.freeze', log: logName(imm.log), entries: imm.count, bytes: imm.bytes });
    const newLog = this.nextFile++;
    this.log.close();
    this.openLog(newLog);
    this.mem = new Memtable(newLog);
    // Step 2: write the table and make it (and the new log's directory entry) durable.
    const w = this.newTable();
    this.trace?.({ type: 'lsm.flush', step: 'start', file: w.name, entries: imm.count, bytes: imm.bytes });
    let meta: FileMeta;
    try {
      for (const e of imm.entries()) w.add(e);
      meta = w.finish();
    } catch (e) {
      w.abandon();
      throw e;
    }
    this.fs.syncDir(this.dir);
    this.n.flushes++;
    this.n.flushBytes += meta.size;
    this.traceWritten(w.name, 0, meta);
    // Step 3: the commit point.
    this.install({ logNumber: newLog, deleted: [], added: [{ level: 0, file: meta }] });
    this.imm = undefined;
    this.changes++;
    // Step 4: the old logs are garbage now.
    for (const name of this.fs.list(this.dir)) {
      const p = parseName(name);
      if (p?.kind === 'log' && p.number < this.logNumber) this.deleteFile(name, 'flushed: its memtable is in a table');
    }
    this.trace?.({ type: 'lsm.flush', step: 'done', file: w.name, entries: meta.entries, bytes: meta.size });
  }

  /** Traces a finished table. */
  private traceWritten(name: string, level: number, m: FileMeta): void {
    this.trace?.({
      type: 'lsm.table.written', file: name, level, entries: m.entries, tombstones: m.tombstones, bytes: m.size,
      smallest: display(m.smallest), largest: display(m.largest),
    });
  }

  /**
   * Runs compaction jobs, most urgent level first, until every level is within its target,
   * or MAX_JOBS_PER_PAUSE jobs have run (the rest then waits for the next full memtable).
   */
  private maybeCompact(): void {
    for (let jobs = 0; jobs < MAX_JOBS_PER_PAUSE; jobs++) {
      const plan = pickCompaction(this.tree, this.o, this.pointers, NONE);
      if (!plan) return;
      this.compactOnce(plan);
    }
  }

  /** Runs one compaction job and commits it. */
  private compactOnce(plan: CompactionPlan): void {
    const names = (fs: FileMeta[]): string[] => fs.map((f) => tableName(f.number));
    this.trace?.({
      type: 'lsm.compaction.pick', reason: plan.reason, level: plan.level, outputLevel: plan.outputLevel,
      inputs: names(plan.inputs), overlapping: names(plan.overlapping), score: Math.round(plan.score * 1000) / 1000, trivialMove: plan.trivialMove,
    });
    this.pointers[plan.level] = keyRange(plan.inputs)[1];
    this.changes++;
    if (plan.trivialMove) {
      // Only the manifest changes: the table now belongs to the next level.
      const f = plan.inputs[0]!;
      this.install({ deleted: [{ level: plan.level, number: f.number }], added: [{ level: plan.outputLevel, file: f }] });
      this.n.trivialMoves++;
      this.trace?.({ type: 'lsm.compaction.install', level: plan.level, outputLevel: plan.outputLevel, added: names([f]), deleted: names([f]) });
      return;
    }
    // Merge into new tables, fsynced, and make their directory entries durable.
    const res = runCompaction(plan, {
      version: this.tree,
      options: this.o,
      entries: (level, f) => this.reader(f).entries(level, false, undefined, false, false),
      newTable: () => this.newTable(),
    });
    if (res.outputs.length > 0) this.fs.syncDir(this.dir);
    for (const m of res.outputs) this.traceWritten(tableName(m.number), plan.outputLevel, m);
    this.trace?.({
      type: 'lsm.compaction.merge', level: plan.level, outputLevel: plan.outputLevel, entriesIn: res.entriesIn, entriesOut: res.entriesOut,
      shadowed: res.shadowed, tombstonesDropped: res.tombstonesDropped, bytesIn: res.bytesIn, bytesOut: res.bytesOut,
    });
    this.n.compactions++;
    this.n.compactionBytesRead += res.bytesIn;
    this.n.compactionBytesWritten += res.bytesOut;
    // The commit point: one edit swaps the inputs for the outputs.
    const deleted = [
      ...plan.inputs.map((f) => ({ level: plan.level, number: f.number })),
      ...plan.overlapping.map((f) => ({ level: plan.outputLevel, number: f.number })),
    ];
    this.install({ deleted, added: res.outputs.map((file) => ({ level: plan.outputLevel, file })) });
    this.trace?.({
      type: 'lsm.compaction.install', level: plan.level, outputLevel: plan.outputLevel,
      added: names(res.outputs), deleted: names([...plan.inputs, ...plan.overlapping]),
    });
    // The inputs are garbage now.
    for (const f of [...plan.inputs, ...plan.overlapping]) this.deleteFile(tableName(f.number), 'compacted');
  }

  protected doPut(key: Uint8Array, value: Uint8Array): void {
    this.apply([{ key: key.slice(), seq: 0, kind: KIND_PUT, value: value.slice() }]);
  }

  protected doDelete(key: Uint8Array): void {
    this.apply([{ key: key.slice(), seq: 0, kind: KIND_DELETE, value: EMPTY }]);
  }

  protected doBatch(ops: ByteOp[]): void {
    this.apply(ops.map((op) => (op.type === 'put'
      ? { key: op.key.slice(), seq: 0, kind: KIND_PUT, value: op.value.slice() }
      : { key: op.key.slice(), seq: 0, kind: KIND_DELETE, value: EMPTY })));
  }

  protected doSync(): void {
    this.log.sync();
  }

  /** Flushes the memtable, merges every level down into the deepest, then settles sizes. */
  protected doCompact(): void {
    this.flush();
    const bottom = Math.max(1, this.tree.deepest());
    for (let level = 0; level < bottom; level++) {
      const files = this.tree.levels[level]!;
      if (files.length > 0) this.compactOnce(planFor(this.tree, level, files.slice(), 'manual', 0, this.o));
    }
    for (let plan = pickCompaction(this.tree, this.o, this.pointers, new Set()); plan; plan = pickCompaction(this.tree, this.o, this.pointers, new Set())) {
      this.compactOnce(plan);
    }
  }

  /** Syncs the log, then seals it in the manifest: it is complete, so damage to it is corruption. */
  protected doClose(): void {
    this.log.sync();
    this.install({ deleted: [], added: [], sealed: [{ number: this.log.number, bytes: this.log.size }] });
    this.closeAll();
  }

  protected abandon(): void {
    this.closeAll();
  }

  /** Closes every handle, ignoring failures (the handles may be dead). */
  private closeAll(): void {
    const quiet = (f: () => void): void => {
      try {
        f();
      } catch {
        // Closing is best effort here.
      }
    };
    if (this.log) quiet(() => this.log.close());
    if (this.manifest) quiet(() => this.manifest.close());
    for (const r of this.readers.values()) quiet(() => r.close());
    this.readers.clear();
  }

  // ---- reads ---------------------------------------------------------------------------

  /** The newest entry for `key` in memory, or in the tables from newest to oldest. */
  protected doGet(key: Uint8Array): Uint8Array | undefined {
    const shown = this.trace ? display(key) : '';
    const answer = (e: Entry | undefined, source: 'memtable' | 'immutable' | 'table' | 'none', file?: string, level?: number): Uint8Array | undefined => {
      const result = !e ? 'absent' : e.kind === KIND_PUT ? 'value' : 'tombstone';
      this.trace?.({ type: 'lsm.get.found', key: shown, source, result, ...(file !== undefined ? { file, level: level! } : {}) });
      return e && e.kind === KIND_PUT ? e.value.slice() : undefined;
    };
    // Memory first: the memtable, then the one being flushed.
    for (const [which, m] of [['memtable', this.mem], ['immutable', this.imm]] as const) {
      if (!m) continue;
      const e = m.get(key);
      this.trace?.({ type: 'lsm.get.memtable', which, key: shown, found: !e ? 'no' : e.kind === KIND_PUT ? 'value' : 'tombstone' });
      if (e) return answer(e, which);
    }
    // Level 0, newest table first: their ranges overlap, so each may hold the key.
    const l0 = this.tree.levels[0]!;
    for (let i = l0.length - 1; i >= 0; i--) {
      const e = this.getFromTable(l0[i]!, 0, key, shown);
      if (e) return answer(e, 'table', tableName(l0[i]!.number), 0);
    }
    // Deeper levels: the one table whose range may hold the key.
    for (let level = 1; level < LEVELS; level++) {
      const files = this.tree.levels[level]!;
      if (files.length === 0) continue;
      const i = Math.min(firstWithLargestAtLeast(files, key), files.length - 1);
      const e = this.getFromTable(files[i]!, level, key, shown);
      if (e) return answer(e, 'table', tableName(files[i]!.number), level);
    }
    return answer(undefined, 'none');
  }

  /** Looks in one table, skipping it (traced) when the key is outside its range. */
  private getFromTable(f: FileMeta, level: number, key: Uint8Array, shown: string): Entry | undefined {
    if (compareBytes(key, f.smallest) < 0 || compareBytes(key, f.largest) > 0) {
      this.trace?.({ type: 'lsm.get.skip', file: tableName(f.number), level, key: shown, smallest: display(f.smallest), largest: display(f.largest) });
      return undefined;
    }
    return this.reader(f).get(key, level);
  }

  /** One merging iterator over the memtables and every level, from the start bound. */
  protected *doScan(b: Bounds): Iterator<[Uint8Array, Uint8Array]> {
    const merge = this.mergeAll(b, (f) => this.reader(f));
    try {
      for (const e of merge) {
        if (b.reverse ? !aboveLower(e.key, b) : !belowUpper(e.key, b)) break;
        if (e.kind === KIND_PUT) yield [e.key.slice(), e.value.slice()];
      }
    } finally {
      merge.return();
    }
  }

  /** The merging iterator over every source within (and starting at) the bounds. */
  private mergeAll(b: Bounds, reader: (f: FileMeta) => TableReader): MergingIterator {
    const reverse = b.reverse;
    const start = reverse ? b.upper : b.lower;
    const from = start?.key;
    const exclusive = start ? !start.inclusive : false;
    const sources: Iterator<Entry>[] = [this.mem.entries(reverse, from, exclusive)];
    if (this.imm) sources.push(this.imm.entries(reverse, from, exclusive));
    // Each level-0 table is a source of its own (skipped if outside the range).
    for (const f of this.tree.levels[0]!) {
      if (!belowUpper(f.smallest, b) || !aboveLower(f.largest, b)) continue;
      sources.push(reader(f).entries(0, reverse, from, exclusive));
    }
    // Each deeper level is one source, reading its tables in order.
    for (let level = 1; level < LEVELS; level++) {
      const files = this.tree.levels[level]!;
      if (files.length === 0) continue;
      const ranged = files.map((f) => ({
        smallest: f.smallest,
        largest: f.largest,
        entries: (rev: boolean, fr?: Uint8Array, ex?: boolean) => reader(f).entries(level, rev, fr, ex),
      }));
      sources.push(levelEntries(ranged, reverse, from, exclusive));
    }
    return new MergingIterator(sources, reverse);
  }

  // ---- stats and inspect -----------------------------------------------------------------

  /** Live keys and bytes, by a merge over everything read around the counters and traces. */
  private liveCount(): { keys: number; bytes: number } {
    if (this.live && this.live.at === this.changes) return this.live;
    const quiet = new Map<number, TableReader>();
    const reader = (f: FileMeta): TableReader => {
      let r = quiet.get(f.number);
      if (!r) {
        const name = tableName(f.number);
        r = new TableReader(this.rawFs, join(this.dir, name), name, f, undefined, undefined);
        quiet.set(f.number, r);
      }
      return r;
    };
    let keys = 0;
    let bytes = 0;
    const merge = this.mergeAll({ reverse: false, limit: Infinity }, reader);
    try {
      for (const e of merge) {
        if (e.kind !== KIND_PUT) continue;
        keys++;
        bytes += e.key.length + e.value.length;
      }
    } finally {
      merge.return();
      for (const r of quiet.values()) r.close();
    }
    this.live = { at: this.changes, keys, bytes };
    return this.live;
  }

  /** Bloom filter totals over live and deleted tables. */
  private bloomTotals(): { checks: number; no: number; falsePositives: number } {
    let checks = this.n.bloomChecks;
    let no = this.n.bloomNo;
    let falsePositives = this.n.bloomFalse;
    for (const r of this.readers.values()) {
      checks += r.bloomChecks;
      no += r.bloomNo;
      falsePositives += r.bloomFalse;
    }
    return { checks, no, falsePositives };
  }

  protected doStats(): EngineStats {
    const live = this.liveCount();
    let tableMemory = 0;
    for (const r of this.readers.values()) tableMemory += r.memory();
    const bloom = this.bloomTotals();
    const engineStats: Record<string, number> = {
      memtableBytes: this.mem.bytes,
      memtableEntries: this.mem.count,
      lastSeq: this.lastSeq,
      logBytes: this.n.logBytes,
      flushes: this.n.flushes,
      flushBytes: this.n.flushBytes,
      compactions: this.n.compactions,
      trivialMoves: this.n.trivialMoves,
      compactionBytesRead: this.n.compactionBytesRead,
      compactionBytesWritten: this.n.compactionBytesWritten,
      // Bytes written to disk per byte of keys and values the user wrote, since open.
      writeAmplification: this.n.userBytes > 0 ? this.counters.bytesWritten / this.n.userBytes : 0,
      bloomChecks: bloom.checks,
      bloomUseful: bloom.no,
      bloomFalsePositives: bloom.falsePositives,
      bloomUsefulRatio: bloom.checks > 0 ? bloom.no / bloom.checks : 0,
      cacheBytes: this.cache.bytes,
      cacheHits: this.cache.hits,
      cacheMisses: this.cache.misses,
    };
    for (let l = 0; l < LEVELS; l++) {
      engineStats[`level${l}Files`] = this.tree.levels[l]!.length;
      engineStats[`level${l}Bytes`] = this.tree.levelBytes(l);
    }
    return {
      liveKeys: live.keys,
      liveBytes: live.bytes,
      memoryBytes: this.mem.memory() + (this.imm?.memory() ?? 0) + this.cache.bytes + tableMemory,
      engineStats,
    };
  }

  /** The engine's picture of itself, typed as the lsm shape. */
  override inspect(): LsmInspect {
    return super.inspect() as LsmInspect;
  }

  protected doInspect(): LsmInspect {
    const shown = 200;
    const memInfo = (m: Memtable): LsmMemtableInspect => {
      const levels = m.levels(shown);
      return {
        log: logName(m.log),
        entries: m.count,
        tombstones: m.tombstones,
        bytes: m.bytes,
        limit: this.o.memtableBytes,
        height: m.height,
        list: levels[0]!.map((n) => ({ key: display(n.key), value: display(n.value), kind: n.kind === KIND_PUT ? 'put' : 'delete', seq: n.seq, height: n.height })),
        levels: levels.map((row) => row.map((n) => display(n.key))),
        shown,
      };
    };
    const sc = scores(this.tree, this.o);
    const levels = this.tree.levels.map((files, level) => ({
      level,
      bytes: this.tree.levelBytes(level),
      targetBytes: level === 0 ? null : maxBytesForLevel(level, this.o),
      score: Math.round(sc[level]! * 1000) / 1000,
      files: files.map((f) => {
        // Only what is in memory already: inspect() reads nothing.
        const r = this.readers.get(f.number);
        const blocks = r?.loadedBlocks();
        const fi = blocks !== undefined ? r!.filterInfo() : undefined;
        return {
          file: tableName(f.number),
          number: f.number,
          level,
          bytes: f.size,
          entries: f.entries,
          tombstones: f.tombstones,
          smallest: display(f.smallest),
          largest: display(f.largest),
          minSeq: f.minSeq,
          maxSeq: f.maxSeq,
          filter: fi
            ? { bits: fi.bits, probes: fi.probes, bitsPerKey: Math.round((fi.bits / Math.max(1, f.entries)) * 100) / 100, checks: r!.bloomChecks, no: r!.bloomNo, falsePositives: r!.bloomFalse }
            : null,
          blocks: blocks ?? null,
        };
      }),
    }));
    const role = (name: string): string => {
      const p = parseName(name);
      if (!p) return 'other';
      if (p.kind === 'log') return p.number === this.log.number ? 'log (current)' : 'log';
      if (p.kind === 'table') return 'table';
      if (p.kind === 'manifest') return p.number === this.manifest.number ? 'manifest (current)' : 'manifest (old)';
      return p.kind === 'current' ? 'current' : 'temporary';
    };
    const files = this.rawFs
      .list(this.dir)
      .filter((n) => parseName(n))
      .map((name) => ({ name, size: this.rawFs.fileSize(join(this.dir, name)), role: role(name) }));
    return {
      engine: 'lsm',
      memtable: memInfo(this.mem),
      immutable: this.imm ? memInfo(this.imm) : null,
      levels,
      lastSeq: this.lastSeq,
      nextFile: this.nextFile,
      logNumber: this.logNumber,
      manifest: this.manifest.name,
      cache: { bytes: this.cache.bytes, capacity: this.cache.capacity, blocks: this.cache.blocks, hits: this.cache.hits, misses: this.cache.misses },
      files,
      settings: { ...this.o },
    };
  }
}
