/**
 * lmdb.ts: LMDB (through the lmdb package) as a peer of the B+tree and Bitcask engines.
 *
 * Single puts and deletes use lmdb-js's own fast path: put() queues the write and returns
 * at once, and lmdb commits the queue as one transaction on its writer thread; sync()
 * waits for `flushed` (committed and fsynced). A queued put is not visible to get() until
 * that commit: less than our engines promise, but one synchronous transaction per put
 * (each waiting for the previous flush) ran at about 400/s here, which compares nothing.
 * A batch is one synchronous transaction of putSync calls with lmdb's default flags
 * (committed and flushed on return: more than a batch must do, yet measured faster here
 * than with NO_SYNC_FLUSH, 37k against 21k items/s). Reads are synchronous from the memory
 * map, so LMDB's read bytes do not show as read calls (reported as 0).
 * Compression is off, as in our engines.
 */
import type { AdapterStats, BenchKV, Subject } from '../adapter.js';
import { peerStats, processIo } from './disk.js';
import { packageVersion } from './version.js';

type Module = typeof import('lmdb');
type Db = ReturnType<Module['open']>;

/** Wraps an open lmdb root database. */
class LmdbKV implements BenchKV {
  private readonly io0 = processIo();
  private failure: unknown;

  constructor(
    private readonly db: Db,
    private readonly dir: string,
  ) {}

  /** Remembers the first failure of a queued write, to throw at the next sync. */
  private watch(p: Promise<unknown>): void {
    p.catch((e: unknown) => {
      this.failure ??= e;
    });
  }

  /** A synchronous read from the memory map. */
  get(key: Uint8Array): Uint8Array | undefined {
    return this.db.get(key as Buffer) as Uint8Array | undefined;
  }
  /** Queues a put for the next background commit. */
  put(key: Uint8Array, value: Uint8Array): void {
    this.watch(this.db.put(key as Buffer, value));
  }
  /** Queues a delete for the next background commit. */
  delete(key: Uint8Array): void {
    this.watch(this.db.remove(key as Buffer));
  }
  /** One synchronous transaction of putSync calls, committed and flushed when it returns. */
  batch(pairs: [Uint8Array, Uint8Array][]): void {
    this.db.transactionSync(() => {
      for (const [k, v] of pairs) this.db.putSync(k as Buffer, v);
    });
  }
  /** Reads up to `limit` pairs from a synchronous range iterator. */
  scan(from: Uint8Array | undefined, limit: number): number {
    let n = 0;
    const range = { ...(from ? { start: from as Buffer } : {}), ...(Number.isFinite(limit) ? { limit } : {}) };
    for (const { key, value } of this.db.getRange(range)) n += key && value ? 1 : 0;
    return n;
  }
  /** Waits until every queued write is committed and flushed. */
  async sync(): Promise<void> {
    await this.db.flushed;
    if (this.failure) throw this.failure;
  }
  /** Syncs and closes the environment. */
  async close(): Promise<void> {
    await this.sync();
    await this.db.close();
  }
  /** Process I/O since open (/proc/self/io) and the directory size. */
  stats(): AdapterStats {
    return peerStats(this.io0, this.dir);
  }
}

/** LMDB through lmdb-js. */
export function lmdbSubject(): Subject {
  let mod: Module | undefined;
  return {
    name: 'lmdb',
    kind: 'peer',
    lacks: new Set(['trace']),
    /** Imports the binding; a missing prebuilt binary fails here with the loader's message. */
    async load() {
      mod = await import('lmdb');
      const version = packageVersion('lmdb');
      return version ? { version } : {};
    },
    open(dir) {
      if (!mod) throw new Error('load() first');
      const db = mod.open({ path: dir, keyEncoding: 'binary', encoding: 'binary', compression: false });
      return new LmdbKV(db, dir);
    },
  };
}
