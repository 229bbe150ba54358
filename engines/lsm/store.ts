/**
 * store.ts: the lsm engine, a log-structured merge tree after LevelDB (doc/impl.md).
 *
 * Writes. A put, delete or batch gets the next sequence number(s), is appended to the
 * write-ahead log as one record (into its buffer: wal.ts), then inserted into the memtable
 * (a skiplist). Nothing else is written. sync() writes the log's buffer and fsyncs the log.
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
 * Compaction (compaction.ts, leveled by default; compaction-tiered.ts with compaction: 'tiered';
 * compaction-strategy.ts picks between them) commits the same way: output tables fsynced, then one manifest
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
 * Reads are reads.ts: a get looks in the memtables, then the tables (level 0 newest first, one
 * table per deeper level), each skipped by key range, then by its bloom filter, both in memory
 * (the table cache, table-cache.ts, opens every live table at open and each new table as it
 * is written); at most one data block per table is read. A scan merges every source.
 *
 * Open is recovery.ts: replay the manifest and the logs, write a fresh manifest, delete what
 * nothing references. close() fsyncs the log and seals it in the manifest (complete at its
 * length), so the next open treats any damage to it as corruption rather than as a torn tail.
 *
 * stats() and inspect() are inspector.ts; stats() counts live keys with a merge over
 * everything (reads.ts, read around the I/O counters, cached until the next write).
 */
import { display } from '../bytes.js';
import type { StoreOptions } from '../kv.js';
import { BaseStore, type ByteOp, type EngineStats } from '../store.js';
import { aboveLower, belowUpper, type Bounds } from '../range.js';
import { join } from '../storage/path.js';
import { BlockCache } from './block-cache.js';
import type { CompactionPlan } from './compaction.js';
import { strategyFor, type CompactionStrategy } from './compaction-strategy.js';
import {
  EMPTY,
  KIND_DELETE,
  KIND_PUT,
  encodeLogRecordInto,
  logName,
  logRecordLength,
  parseName,
  tableName,
  type Entry,
  type FileMeta,
  type VersionEdit,
} from './format.js';
import type { LsmInspect } from './inspect.js';
import { inspectLsm, lsmStats, type LsmParts } from './inspector.js';
import type { ManifestWriter } from './manifest.js';
import { Memtable } from './memtable.js';
import { countLive, mergeAll, pointGet, type ReadParts } from './reads.js';
import { recoverLsm, startLog } from './recovery.js';
import { newCounters, settings, type Settings } from './settings.js';
import { TableCache } from './table-cache.js';
import { TableWriter } from './table-writer.js';
import { Version } from './version.js';
import type { LogWriter } from './wal.js';

/** The most compaction jobs one write runs (a bound on its pause; normally one or two run). */
const MAX_JOBS_PER_PAUSE = 16;

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
  private readonly cache: BlockCache;
  /** What to compact next and how: leveled or tiered (compaction-strategy.ts). */
  private readonly strategy: CompactionStrategy;
  private readonly tables: TableCache;
  /** Tables being written, by number: opened into the table cache once installed. */
  private readonly writing = new Map<number, TableWriter>();
  private readonly n = newCounters();
  /** Bumped by every change; the cached live-key count is valid while it matches. */
  private changes = 0;
  private live: { at: number; keys: number; bytes: number } | undefined;

  /** Opens (creating or recovering) an lsm store in options.dir. */
  constructor(options: StoreOptions) {
    super('lsm', options);
    this.o = settings(options);
    this.strategy = strategyFor(this.o);
    this.cache = new BlockCache(this.o.blockCacheBytes);
    this.tables = new TableCache(this.fs, this.dir, this.cache, this.trace, this.n, this.o.maxOpenTables);
    this.opening(() => {
      // Recovery (recovery.ts): the manifest, the logs, a fresh manifest, the garbage removed.
      const r = recoverLsm(
        { fs: this.fs, dir: this.dir, trace: this.trace, logBufferBytes: this.o.logBufferBytes },
        (name, why) => this.deleteFile(name, why),
      );
      this.tree = r.tree;
      this.logNumber = r.logNumber;
      this.nextFile = r.nextFile;
      this.lastSeq = r.lastSeq;
      this.mem = r.mem;
      this.log = r.log;
      this.manifest = r.manifest;
      // Every live table opens now (its filter and index into memory), newest level first.
      this.tree.levels.forEach((files, level) => files.forEach((f) => this.tables.get(f, level)));
      if (this.mem.bytes >= this.o.memtableBytes) this.makeRoom();
    });
  }

  // ---- files ---------------------------------------------------------------------------

  /** Removes a file (closing its reader if it is a table). */
  private deleteFile(name: string, reason: string): void {
    const p = parseName(name);
    if (p?.kind === 'table') this.tables.drop(p.number, true);
    this.fs.remove(join(this.dir, name));
    this.trace?.({ type: 'lsm.file.delete', file: name, reason });
  }

  /** Starts writing a new table, with the next file number. */
  private newTable(): TableWriter {
    const number = this.nextFile++;
    const name = tableName(number);
    const h = this.fs.open(join(this.dir, name), { create: true, truncate: true });
    const w = new TableWriter(h, name, number, this.o, this.trace);
    this.writing.set(number, w);
    return w;
  }

  /** Commits an edit: check it applies, append it to the manifest (fsynced), switch, then open the new tables. */
  private install(edit: VersionEdit): void {
    edit.nextFile = this.nextFile;
    edit.lastSeq = this.lastSeq;
    const next = this.tree.apply(edit, this.manifest.name);
    this.manifest.append(edit);
    this.tree = next;
    if (edit.logNumber !== undefined) this.logNumber = edit.logNumber;
    this.trace?.({
      type: 'lsm.manifest.edit',
      file: this.manifest.name,
      added: edit.added.map((a) => `L${a.level} ${tableName(a.file.number)}`),
      deleted: edit.deleted.map((d) => `L${d.level} ${tableName(d.number)}`),
      ...(edit.logNumber !== undefined ? { logNumber: edit.logNumber } : {}),
      ...(edit.sealed ? { sealed: edit.sealed.map((l) => `${logName(l.number)} at ${l.bytes} bytes`) } : {}),
      nextFile: this.nextFile,
      lastSeq: this.lastSeq,
    });
    // The tables just written open from their writers' filters and indexes (no read).
    for (const a of edit.added) {
      const parts = this.writing.get(a.file.number)?.parts;
      if (parts) this.tables.adopt(a.file, a.level, parts);
    }
    this.writing.clear();
  }

  // ---- writes --------------------------------------------------------------------------

  /** Logs and applies one write (a single op or a whole batch): one log record. */
  private apply(ops: Entry[]): void {
    const first = this.lastSeq + 1;
    for (let i = 0; i < ops.length; i++) ops[i]!.seq = first + i;
    // Step 1: the log, one record for the whole write (so a batch is all or nothing).
    const at = this.log.appendWith(logRecordLength(ops), (out, o) => encodeLogRecordInto(out, o, first, ops));
    this.lastSeq += ops.length;
    this.n.logBytes += at.bytes;
    this.trace?.({
      type: 'lsm.log.append',
      file: logName(this.log.number),
      seq: first,
      ops: ops.length,
      offset: at.offset,
      bytes: at.bytes,
    });
    // Step 2: the memtable.
    for (const op of ops) {
      const r = this.mem.insert(op.key, op.seq, op.kind, op.value);
      this.n.userBytes += op.key.length + op.value.length;
      this.trace?.({
        type: 'lsm.memtable.insert',
        key: display(op.key),
        seq: op.seq,
        kind: op.kind === KIND_PUT ? 'put' : 'delete',
        height: r.height,
        created: r.created,
        entries: this.mem.count,
        bytes: this.mem.bytes,
        limit: this.o.memtableBytes,
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
    this.log = startLog(
      { fs: this.fs, dir: this.dir, trace: this.trace, logBufferBytes: this.o.logBufferBytes },
      newLog,
    );
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
      type: 'lsm.table.written',
      file: name,
      level,
      entries: m.entries,
      tombstones: m.tombstones,
      bytes: m.size,
      smallest: display(m.smallest),
      largest: display(m.largest),
    });
  }

  /**
   * Runs compaction jobs, most urgent level first, until every level is within its target,
   * or MAX_JOBS_PER_PAUSE jobs have run (the rest then waits for the next full memtable).
   */
  private maybeCompact(): void {
    for (let jobs = 0; jobs < MAX_JOBS_PER_PAUSE; jobs++) {
      const plan = this.strategy.pick(this.tree);
      if (!plan) return;
      this.compactOnce(plan);
    }
  }

  /** Runs one compaction job and commits it. */
  private compactOnce(plan: CompactionPlan): void {
    const names = (fs: FileMeta[]): string[] => fs.map((f) => tableName(f.number));
    const picture = this.trace ? this.strategy.picture(this.tree) : undefined;
    if (picture) this.trace?.(picture);
    this.trace?.({
      type: 'lsm.compaction.pick',
      reason: plan.reason,
      level: plan.level,
      outputLevel: plan.outputLevel,
      inputs: names(plan.inputs),
      overlapping: names(plan.overlapping),
      score: Math.round(plan.score * 1000) / 1000,
      trivialMove: plan.trivialMove,
    });
    this.strategy.picked(plan);
    this.changes++;
    if (plan.trivialMove) {
      // Only the manifest changes: the table now belongs to the next level.
      const f = plan.inputs[0]!;
      this.install({
        deleted: [{ level: plan.level, number: f.number }],
        added: [{ level: plan.outputLevel, file: f }],
      });
      this.n.trivialMoves++;
      this.trace?.({
        type: 'lsm.compaction.install',
        level: plan.level,
        outputLevel: plan.outputLevel,
        added: names([f]),
        deleted: names([f]),
      });
      return;
    }
    // Merge into new tables, fsynced, and make their directory entries durable.
    const res = this.strategy.run(plan, {
      version: this.tree,
      options: this.o,
      entries: (level, f) => this.tables.get(f, level).entries(level, false, undefined, false, false),
      newTable: () => this.newTable(),
    });
    if (res.outputs.length > 0) this.fs.syncDir(this.dir);
    for (const m of res.outputs) this.traceWritten(tableName(m.number), plan.outputLevel, m);
    this.trace?.({
      type: 'lsm.compaction.merge',
      level: plan.level,
      outputLevel: plan.outputLevel,
      entriesIn: res.entriesIn,
      entriesOut: res.entriesOut,
      shadowed: res.shadowed,
      tombstonesDropped: res.tombstonesDropped,
      bytesIn: res.bytesIn,
      bytesOut: res.bytesOut,
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
      type: 'lsm.compaction.install',
      level: plan.level,
      outputLevel: plan.outputLevel,
      added: names(res.outputs),
      deleted: names([...plan.inputs, ...plan.overlapping]),
    });
    // The inputs are garbage now.
    for (const f of [...plan.inputs, ...plan.overlapping]) this.deleteFile(tableName(f.number), 'compacted');
  }

  /** Sets `key` to `value`. */
  protected doPut(key: Uint8Array, value: Uint8Array): void {
    this.apply([{ key: key.slice(), seq: 0, kind: KIND_PUT, value: value.slice() }]);
  }

  /** Removes `key`. */
  protected doDelete(key: Uint8Array): void {
    this.apply([{ key: key.slice(), seq: 0, kind: KIND_DELETE, value: EMPTY }]);
  }

  /** Applies every op as one write. */
  protected doBatch(ops: ByteOp[]): void {
    this.apply(
      ops.map((op) =>
        op.type === 'put'
          ? { key: op.key.slice(), seq: 0, kind: KIND_PUT, value: op.value.slice() }
          : { key: op.key.slice(), seq: 0, kind: KIND_DELETE, value: EMPTY },
      ),
    );
  }

  /** Makes every acknowledged write durable. */
  protected doSync(): void {
    this.log.sync();
  }

  /** Flushes the memtable, then merges everything (leveled: down into the deepest level; tiered: into one run). */
  protected doCompact(): void {
    this.flush();
    this.strategy.full(
      () => this.tree,
      (plan) => this.compactOnce(plan),
    );
  }

  /** Syncs the log, then seals it in the manifest: it is complete, so damage to it is corruption. */
  protected doClose(): void {
    this.log.sync();
    this.install({ deleted: [], added: [], sealed: [{ number: this.log.number, bytes: this.log.size }] });
    this.closeAll();
  }

  /** Closes every file without writing anything (after a failure). */
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
    // The log's buffer is empty after a close's sync; after a failure it is dropped unwritten.
    if (this.log) quiet(() => this.log.abandon());
    if (this.manifest) quiet(() => this.manifest.close());
    this.tables.closeAll();
  }

  // ---- reads ---------------------------------------------------------------------------

  /** The newest entry for `key` in memory, or in the tables from newest to oldest (reads.ts). */
  protected doGet(key: Uint8Array): Uint8Array | undefined {
    return pointGet(this.readParts(), key);
  }

  /** One merging iterator over the memtables and every level, from the start bound. */
  protected *doScan(b: Bounds): Iterator<[Uint8Array, Uint8Array]> {
    const merge = mergeAll(this.readParts(), b, (f) => this.tables.get(f));
    try {
      for (const e of merge) {
        if (b.reverse ? !aboveLower(e.key, b) : !belowUpper(e.key, b)) break;
        if (e.kind === KIND_PUT) yield [e.key.slice(), e.value.slice()];
      }
    } finally {
      merge.return();
    }
  }

  // ---- stats and inspect -----------------------------------------------------------------

  /** Live keys and bytes (reads.ts: a merge over everything, read around the counters and traces), cached until the next change. */
  private liveCount(): { keys: number; bytes: number } {
    if (this.live && this.live.at === this.changes) return this.live;
    const live = { at: this.changes, ...countLive(this.readParts(), this.rawFs, this.dir) };
    this.live = live;
    return live;
  }

  /** The parts a read reads (reads.ts). */
  private readParts(): ReadParts {
    return { mem: this.mem, imm: this.imm, tree: this.tree, tables: this.tables, trace: this.trace };
  }

  /** The parts of the store stats() and inspect() read (inspector.ts). */
  private parts(): LsmParts {
    return {
      dir: this.dir,
      rawFs: this.rawFs,
      o: this.o,
      mem: this.mem,
      imm: this.imm,
      tree: this.tree,
      tables: this.tables,
      cache: this.cache,
      log: this.log,
      manifest: this.manifest,
      lastSeq: this.lastSeq,
      nextFile: this.nextFile,
      logNumber: this.logNumber,
      counters: this.n,
    };
  }

  /** The engine's half of stats(). */
  protected doStats(): EngineStats {
    return lsmStats(this.parts(), this.liveCount(), this.counters.bytesWritten);
  }

  /** The engine's picture of itself, typed as the lsm shape. */
  override inspect(): LsmInspect {
    return super.inspect() as LsmInspect;
  }

  /** The engine's picture of itself. */
  protected doInspect(): LsmInspect {
    return inspectLsm(this.parts());
  }
}
