/**
 * store.ts: BaseStore, the part of KVStore that is the same in every engine.
 *
 * It checks arguments (so an engine only ever sees valid byte keys), holds the directory
 * lock, wraps the file system so every byte is counted and traced, brackets each operation
 * with `op` events, and keeps two states:
 *   - closed: every call but close() throws KV_CLOSED;
 *   - failed: a write or sync hit an I/O error (or met corrupt bytes part-way), so what is on disk is unknown. Further writes
 *     and syncs throw KV_IO until the store is reopened (reads still work). This is the
 *     honest answer to a failed fsync: never report later writes as durable.
 *
 * Scans: the engine yields pairs in order; BaseStore applies `limit`, and if the store is
 * written while a scan is open, it re-seeks the engine just past the last key it returned.
 * So a scan never repeats a key or goes out of order, and sees writes to keys it has not
 * reached yet.
 */
import { KVError } from './errors.js';
import { display } from './bytes.js';
import { describe, toKey, toValue } from './kv.js';
import { MAX_KEY_BYTES, MAX_VALUE_BYTES } from './limits.js';
import type { BatchOp, EngineName, KVStore, Limits, Range, StoreOptions, StoreStats } from './kv.js';
import { toBounds, isEmptyRange, type Bounds } from './range.js';
import type { EngineSnapshot, TraceListener } from './registry-types.js';
import type { OpName } from './trace.js';
import type { DirLock, FileSystem } from './storage/fs.js';
import { InstrumentedFileSystem, newCounters, type IoCounters } from './storage/instrumented.js';
import { normalize, join } from './storage/path.js';

/** A checked batch op: bytes only. */
export type ByteOp = { type: 'put'; key: Uint8Array; value: Uint8Array } | { type: 'delete'; key: Uint8Array };

/** Names of files in a store directory that belong to no engine (the Node lock file). */
export const FOREIGN_FILES = new Set(['LOCK']);

/** What an engine adds to stats(); BaseStore fills in the I/O counters and disk usage. */
export type EngineStats = Pick<StoreStats, 'liveKeys' | 'liveBytes' | 'memoryBytes' | 'engineStats'>;

/** The shared half of every engine. */
export abstract class BaseStore implements KVStore {
  readonly engine: EngineName;
  readonly limits: Limits;
  /** The store's directory, normalized. */
  protected readonly dir: string;
  /** The file system every engine call goes through: counted, and traced if asked. */
  protected readonly fs: FileSystem;
  /** The file system without counting or tracing, for inspect() and tools that are not engine I/O. */
  protected readonly rawFs: FileSystem;
  /** The trace listener, or undefined: call as `this.trace?.({...})`. */
  protected readonly trace: TraceListener | undefined;
  protected readonly counters: IoCounters = newCounters();
  private readonly lock: DirLock;
  private closed = false;
  private failure: KVError | undefined;
  private userBytes = 0;
  /** Bumped by every call that may change what a scan would see. */
  private version = 0;

  /** Checks options, creates the directory and takes its lock. Subclasses then recover. */
  protected constructor(engine: EngineName, options: StoreOptions, limits: Partial<Limits> = {}) {
    if (!options || typeof options !== 'object')
      throw new KVError('KV_BAD_OPTION', 'openStore needs an options object with a dir');
    if (typeof options.dir !== 'string' || options.dir === '') {
      throw new KVError('KV_BAD_OPTION', `options.dir must be a non-empty string, not ${describe(options.dir)}`);
    }
    if (!options.fs)
      throw new KVError('KV_BAD_OPTION', 'options.fs is required here (the browser has no default file system)');
    if (options.trace !== undefined && typeof options.trace !== 'function') {
      throw new KVError('KV_BAD_OPTION', 'options.trace must be a function');
    }
    if (options.observe !== undefined && typeof options.observe !== 'function') {
      throw new KVError('KV_BAD_OPTION', 'options.observe must be a function');
    }
    this.engine = engine;
    this.limits = {
      maxKeyBytes: limits.maxKeyBytes ?? MAX_KEY_BYTES,
      maxValueBytes: limits.maxValueBytes ?? MAX_VALUE_BYTES,
    };
    this.dir = normalize(options.dir);
    this.trace = options.trace;
    this.rawFs = options.fs;
    this.fs = new InstrumentedFileSystem(options.fs, this.counters, this.trace);
    this.fs.mkdir(this.dir);
    this.lock = this.fs.lock(this.dir);
    options.observe?.(this);
  }

  /** Runs the engine's recovery as the traced `open` op; on failure releases the lock. */
  protected opening(recover: () => void): void {
    try {
      this.op('open', undefined, recover);
    } catch (e) {
      try {
        this.abandon();
      } catch {
        // The open already failed; the first error is the one to report.
      }
      this.lock.release();
      throw e;
    }
  }

  // ---- what each engine implements ---------------------------------------------------

  protected abstract doGet(key: Uint8Array): Uint8Array | undefined;
  protected abstract doPut(key: Uint8Array, value: Uint8Array): void;
  protected abstract doDelete(key: Uint8Array): void;
  protected abstract doBatch(ops: ByteOp[]): void;
  /** Pairs within the bounds, in order (reverse if asked); `limit` is applied by BaseStore. */
  protected abstract doScan(bounds: Bounds): Iterator<[Uint8Array, Uint8Array]>;
  protected abstract doSync(): void;
  protected abstract doCompact(): void;
  /** Makes everything durable and closes every file. */
  protected abstract doClose(): void;
  /** Closes every file without writing anything (after an I/O failure). */
  protected abstract abandon(): void;
  protected abstract doStats(): EngineStats;
  protected abstract doInspect(): EngineSnapshot;

  // ---- the KVStore interface ----------------------------------------------------------

  /** The newest value of `key`, or undefined. */
  get(key: Uint8Array | string): Uint8Array | undefined {
    this.checkOpen();
    const k = toKey(key, this.limits);
    return this.op(
      'get',
      () => ({ key: display(k) }),
      () => this.doGet(k),
      (v) => (v ? `found ${v.length} bytes` : 'not found'),
    );
  }

  /** Sets `key` to `value`. */
  put(key: Uint8Array | string, value: Uint8Array | string): void {
    this.checkWritable();
    const k = toKey(key, this.limits);
    const v = toValue(value, this.limits);
    // The count changes inside the op, so stats() at its end event already includes it.
    this.write(
      'put',
      () => ({ key: display(k), value: display(v) }),
      () => {
        this.doPut(k, v);
        this.userBytes += k.length + v.length;
      },
    );
  }

  /** Removes `key`. */
  delete(key: Uint8Array | string): void {
    this.checkWritable();
    const k = toKey(key, this.limits);
    this.write(
      'delete',
      () => ({ key: display(k) }),
      () => {
        this.doDelete(k);
        this.userBytes += k.length;
      },
    );
  }

  /** Applies all ops or none. Every op is checked before anything is written. */
  batch(ops: BatchOp[]): void {
    this.checkWritable();
    if (!Array.isArray(ops)) throw new KVError('KV_BAD_BATCH', `batch() takes an array of ops, not ${describe(ops)}`);
    const checked: ByteOp[] = ops.map((op, i) => {
      if (!op || typeof op !== 'object')
        throw new KVError('KV_BAD_BATCH', `batch op ${i} is ${describe(op)}, not an object`);
      const key = toKey(op.key, this.limits);
      if (op.type === 'put') return { type: 'put', key, value: toValue(op.value, this.limits) };
      if (op.type === 'delete') return { type: 'delete', key };
      throw new KVError(
        'KV_BAD_BATCH',
        `batch op ${i} has type ${JSON.stringify((op as { type: unknown }).type)}; use 'put' or 'delete'`,
      );
    });
    if (checked.length === 0) return;
    this.write(
      'batch',
      () => ({ detail: `${checked.length} ops` }),
      () => {
        this.doBatch(checked);
        for (const op of checked) this.userBytes += op.key.length + (op.type === 'put' ? op.value.length : 0);
      },
    );
  }

  /** Pairs in order within the range. */
  scan(range?: Range): IterableIterator<[Uint8Array, Uint8Array]> {
    this.checkOpen();
    const bounds = toBounds(range, this.limits);
    return this.scanIterator(bounds);
  }

  /** Makes every acknowledged write durable. */
  sync(): void {
    this.checkWritable();
    this.write('sync', undefined, () => this.doSync());
  }

  /** Runs the engine's merge or compaction to the end. */
  compact(): void {
    this.checkWritable();
    this.write('compact', undefined, () => this.doCompact());
  }

  /** Syncs and releases everything; a second close does nothing. */
  close(): void {
    if (this.closed) return;
    try {
      if (this.failure) this.op('close', undefined, () => this.abandon());
      else this.op('close', undefined, () => this.doClose());
    } catch (e) {
      try {
        this.abandon();
      } catch {
        // Closing after a failure: the handles may already be gone.
      }
      throw e;
    } finally {
      this.closed = true;
      this.lock.release();
    }
  }

  /** Counters and disk usage. */
  stats(): StoreStats {
    this.checkOpen();
    let files = 0;
    let diskBytes = 0;
    for (const name of this.fs.list(this.dir)) {
      if (FOREIGN_FILES.has(name)) continue;
      files++;
      diskBytes += this.fs.fileSize(join(this.dir, name));
    }
    return {
      engine: this.engine,
      bytesWritten: this.counters.bytesWritten,
      bytesRead: this.counters.bytesRead,
      syncs: this.counters.syncs,
      userBytesWritten: this.userBytes,
      files,
      diskBytes,
      ...this.doStats(),
    };
  }

  /** The engine's picture of itself. */
  inspect(): EngineSnapshot {
    this.checkOpen();
    return this.doInspect();
  }

  /** True once close() has run. */
  get isClosed(): boolean {
    return this.closed;
  }

  // ---- helpers -----------------------------------------------------------------------

  /** Throws KV_CLOSED after close(). */
  protected checkOpen(): void {
    if (this.closed) throw new KVError('KV_CLOSED', `the ${this.engine} store at ${this.dir} is closed`);
  }

  /** Throws KV_CLOSED after close(), KV_IO after an earlier I/O failure. */
  protected checkWritable(): void {
    this.checkOpen();
    if (this.failure) {
      throw new KVError(
        this.failure.code,
        `an earlier write or sync failed (${this.failure.message}); close and reopen the store`,
        {
          cause: this.failure,
          ...(this.failure.errno !== undefined ? { errno: this.failure.errno } : {}),
        },
      );
    }
  }

  /**
   * Runs a changing op: traced, bumps the scan version, and fails the store when the op
   * stops on KV_IO (the disk) or KV_CORRUPT (bad bytes met part-way): what is on disk is
   * then unknown, so no later write may be acknowledged.
   */
  private write(
    op: OpName,
    begin: (() => { key?: string; value?: string; detail?: string }) | undefined,
    f: () => void,
  ): void {
    this.version++;
    try {
      this.op(op, begin, f);
    } catch (e) {
      if (e instanceof KVError && (e.code === 'KV_IO' || e.code === 'KV_CORRUPT')) {
        this.failure = e;
        this.onFailure();
      }
      throw e;
    }
  }

  /** Called once the store has failed (see write()); an engine may stop its own writing. */
  protected onFailure(): void {}

  /** Runs `f` between `op` begin and end events (when tracing). */
  protected op<T>(
    op: OpName,
    begin: (() => { key?: string; value?: string; detail?: string }) | undefined,
    f: () => T,
    result?: (r: T) => string,
  ): T {
    const trace = this.trace;
    if (!trace) return f();
    trace({ type: 'op', phase: 'begin', op, engine: this.engine, ...(begin ? begin() : {}) });
    let r: T;
    try {
      r = f();
    } catch (e) {
      trace({ type: 'op', phase: 'end', op, engine: this.engine, error: e instanceof KVError ? e.code : String(e) });
      throw e;
    }
    trace({ type: 'op', phase: 'end', op, engine: this.engine, ...(result ? { result: result(r) } : {}) });
    return r;
  }

  /** The scan iterator: limit, re-seek after writes, op events, KV_CLOSED after close. */
  private *scanIterator(bounds: Bounds): IterableIterator<[Uint8Array, Uint8Array]> {
    if (isEmptyRange(bounds)) return;
    const trace = this.trace;
    trace?.({ type: 'op', phase: 'begin', op: 'scan', engine: this.engine, detail: describeBounds(bounds) });
    let count = 0;
    let seen = this.version;
    let it = this.doScan(bounds);
    let last: Uint8Array | undefined;
    try {
      while (count < bounds.limit) {
        this.checkOpen();
        if (this.version !== seen) {
          // The store changed under us: seek again, just past the last key returned.
          seen = this.version;
          it.return?.();
          if (last) {
            const past = { key: last, inclusive: false };
            bounds = bounds.reverse ? { ...bounds, upper: past } : { ...bounds, lower: past };
          }
          it = this.doScan(bounds);
        }
        const n = it.next();
        if (n.done) break;
        last = n.value[0];
        count++;
        yield n.value;
      }
    } finally {
      it.return?.();
      trace?.({ type: 'op', phase: 'end', op: 'scan', engine: this.engine, result: `${count} pairs` });
    }
  }
}

/** The bounds as text for a trace, e.g. `[a, z)`. */
function describeBounds(b: Bounds): string {
  const lo = b.lower ? `${b.lower.inclusive ? '[' : '('}${display(b.lower.key)}` : '(-∞';
  const hi = b.upper ? `${display(b.upper.key)}${b.upper.inclusive ? ']' : ')'}` : '+∞)';
  return `${lo}, ${hi}${b.reverse ? ' reverse' : ''}${b.limit !== Infinity ? ` limit ${b.limit}` : ''}`;
}
