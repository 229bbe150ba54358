/**
 * classic-level.ts: LevelDB (through the classic-level binding) as a peer of the LSM engine.
 *
 * Writes are awaited one by one: classic-level's put runs on libuv's thread pool, so that
 * round trip is part of what a caller pays per put. Reads use getSync (no round trip).
 * Snappy compression is off, because our values are random bytes and our engines do not
 * compress. sync() writes a tombstone for a key outside the benchmark's range with
 * { sync: true }, which fsyncs LevelDB's log, the one way the binding offers.
 * Byte counts come from /proc/self/io (LevelDB's own threads included).
 */
import type { AdapterStats, BenchKV, Subject } from '../adapter.js';
import { peerStats, processIo } from './disk.js';
import { packageVersion } from './version.js';

import type { ClassicLevel } from 'classic-level';

type Module = typeof import('classic-level');
type Db = ClassicLevel<Uint8Array, Uint8Array>;

/** A key after every benchmark key, deleted with sync: true to make the log durable. */
const SYNC_KEY = new Uint8Array([0xff, 0x73, 0x79, 0x6e, 0x63]);

/** Wraps an open ClassicLevel. */
class LevelKV implements BenchKV {
  private readonly io0 = processIo();

  constructor(
    private readonly db: Db,
    private readonly dir: string,
  ) {}

  /** A synchronous point read. */
  get(key: Uint8Array): Uint8Array | undefined {
    return this.db.getSync(key) as Uint8Array | undefined;
  }
  /** An async put (no sync), resolved when LevelDB applied it. */
  put(key: Uint8Array, value: Uint8Array): Promise<void> {
    return this.db.put(key, value);
  }
  /** An async delete (no sync). */
  delete(key: Uint8Array): Promise<void> {
    return this.db.del(key);
  }
  /** One atomic LevelDB write batch. */
  batch(pairs: [Uint8Array, Uint8Array][]): Promise<void> {
    return this.db.batch(pairs.map(([key, value]) => ({ type: 'put' as const, key, value })));
  }
  /** Reads up to `limit` pairs through an iterator, in chunks of up to 1,000. */
  async scan(from: Uint8Array | undefined, limit: number): Promise<number> {
    const it = this.db.iterator({
      ...(from ? { gte: from } : {}),
      lt: SYNC_KEY,
      ...(Number.isFinite(limit) ? { limit } : {}),
    });
    let n = 0;
    try {
      for (;;) {
        const chunk = await it.nextv(Math.min(1000, limit - n));
        if (chunk.length === 0) break;
        n += chunk.length;
        if (n >= limit) break;
      }
    } finally {
      await it.close();
    }
    return n;
  }
  /** Fsyncs the log by a synced delete of SYNC_KEY. */
  sync(): Promise<void> {
    return this.db.del(SYNC_KEY, { sync: true });
  }
  /** Closes the database. */
  close(): Promise<void> {
    return this.db.close();
  }
  /** Process I/O since open (/proc/self/io) and the directory size. */
  stats(): AdapterStats {
    return peerStats(this.io0, this.dir);
  }
}

/** LevelDB through classic-level. */
export function classicLevelSubject(): Subject {
  let mod: Module | undefined;
  return {
    name: 'classic-level',
    kind: 'peer',
    lacks: new Set(['trace']),
    /** Imports the binding; a missing prebuilt binary fails here with the loader's message. */
    async load() {
      mod = await import('classic-level');
      const version = packageVersion('classic-level');
      return version ? { version } : {};
    },
    async open(dir) {
      if (!mod) throw new Error('load() first');
      const db = new mod.ClassicLevel<Uint8Array, Uint8Array>(dir, {
        keyEncoding: 'view',
        valueEncoding: 'view',
        compression: false,
      });
      await db.open();
      return new LevelKV(db, dir);
    },
  };
}
