/**
 * engine.ts: the adapter for our own engines: a thin pass-through to KVStore, with the
 * counters straight from stats().
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { AdapterStats, BenchKV, Subject } from '../adapter.js';
import type { EngineName, KVStore } from '../../engines/index.js';

type Engines = typeof import('../../engines/index.js');
type Instrumented = typeof import('../../engines/storage/instrumented.js');

/** A trace listener that does nothing: what tracing costs the engine, not the listener. */
function ignore(): void {}

/**
 * Makes InstrumentedFileSystem.open hand out the inner file handle, so reads, writes and
 * syncs skip the counting and tracing layer: the engine as if on the bare file system.
 * Returns the function that undoes it. Measurement only: the engine's code is unchanged.
 */
function bypassInstrumentation(mod: Instrumented): () => void {
  const proto = mod.InstrumentedFileSystem.prototype;
  const original = proto.open;
  proto.open = function (this: InstanceType<Instrumented['InstrumentedFileSystem']>, path, options) {
    return this.inner.open(path, options);
  };
  return () => {
    proto.open = original;
  };
}

/** Wraps an open KVStore. */
class EngineKV implements BenchKV {
  /** `undo` restores the file system wrapper after a bare run, at close. */
  constructor(
    private readonly store: KVStore,
    private readonly undo?: () => void,
  ) {}

  /** KVStore.get. */
  get(key: Uint8Array): Uint8Array | undefined {
    return this.store.get(key);
  }
  /** KVStore.put. */
  put(key: Uint8Array, value: Uint8Array): void {
    this.store.put(key, value);
  }
  /** KVStore.delete. */
  delete(key: Uint8Array): void {
    this.store.delete(key);
  }
  /** KVStore.batch of puts. */
  batch(pairs: [Uint8Array, Uint8Array][]): void {
    this.store.batch(pairs.map(([key, value]) => ({ type: 'put' as const, key, value })));
  }
  /** Counts the pairs of a bounded scan, touching each one. */
  scan(from: Uint8Array | undefined, limit: number): number {
    let n = 0;
    const range = { ...(from ? { gte: from } : {}), ...(Number.isFinite(limit) ? { limit } : {}) };
    for (const [k, v] of this.store.scan(range)) n += k.length > 0 && v.length >= 0 ? 1 : 0;
    return n;
  }
  /** KVStore.sync. */
  sync(): void {
    this.store.sync();
  }
  /** KVStore.close (and the end of a bare run). */
  close(): void {
    try {
      this.store.close();
    } finally {
      this.undo?.();
    }
  }
  /** The engine's own counters from stats(). */
  stats(): AdapterStats {
    const s = this.store.stats();
    return {
      bytesWritten: s.bytesWritten,
      bytesRead: s.bytesRead,
      syncs: s.syncs,
      diskBytes: s.diskBytes,
      liveKeys: s.liveKeys,
      memoryBytes: s.memoryBytes,
      // A bare store's handles count nothing.
      ioSource: this.undo ? 'none' : 'engine',
    };
  }
}

/** One of our engines as a bench subject. */
export function engineSubject(name: EngineName): Subject {
  let engines: Engines | undefined;
  let instrumented: Instrumented | undefined;
  return {
    name,
    kind: 'engine',
    lacks: new Set(),
    /** Imports the engines and opens a throwaway store, so an engine not built yet is skipped. */
    async load() {
      engines = await import('../../engines/index.js');
      instrumented = await import('../../engines/storage/instrumented.js');
      const probe = fs.mkdtempSync(path.join(os.tmpdir(), `kvbench-probe-${name}-`));
      try {
        engines.openStore(name, { dir: probe }).close();
      } finally {
        fs.rmSync(probe, { recursive: true, force: true });
      }
      return {};
    },
    open(dir, { traced, bare }) {
      if (!engines || !instrumented) throw new Error('load() first');
      const undo = bare ? bypassInstrumentation(instrumented) : undefined;
      try {
        return new EngineKV(engines.openStore(name, { dir, ...(traced ? { trace: ignore } : {}) }), undo);
      } catch (e) {
        undo?.();
        throw e;
      }
    },
  };
}
