/**
 * helpers.ts: small shared pieces of the lsm tests.
 */
import { MemoryFileSystem } from '../../engines/index.js';
import type { StoreOptions, TraceEvent } from '../../engines/index.js';
import { LsmStore } from '../../engines/lsm/store.js';
import { utf8 } from '../../engines/bytes.js';

/** Small sizes, so a few thousand keys make several levels. */
export const SMALL: Partial<StoreOptions> = {
  memtableBytes: 4096,
  blockBytes: 512,
  level1Bytes: 16 * 1024,
  levelSizeMultiplier: 4,
  targetFileBytes: 4096,
};

/** A store on a memory file system, with its events collected in `events`. */
export function openLsm(
  tuning: Partial<StoreOptions> = SMALL,
  fs = new MemoryFileSystem(),
  dir = '/db',
): { db: LsmStore; fs: MemoryFileSystem; events: TraceEvent[] } {
  const events: TraceEvent[] = [];
  const db = new LsmStore({ ...tuning, dir, fs, trace: (e) => events.push(e) });
  return { db, fs, events };
}

/** Key i, zero-padded so bytewise order is numeric order. */
export const key = (i: number): Uint8Array => utf8(`key${String(i).padStart(6, '0')}`);

/** A value of `n` bytes that names key i and a round. */
export function value(i: number, round = 0, n = 100): Uint8Array {
  const s = `v${i}.${round}.`;
  return utf8(s + 'x'.repeat(Math.max(0, n - s.length)));
}

/** A deterministic shuffle of 0..n-1. */
export function shuffled(n: number, seed = 1): number[] {
  const a = Array.from({ length: n }, (_, i) => i);
  let s = seed;
  for (let i = n - 1; i > 0; i--) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j]!, a[i]!];
  }
  return a;
}

/** Fills a fresh untraced store by `fill`, closes it, and reopens it traced (tracing is slow). */
export function filledThenTraced(
  fill: (db: LsmStore) => void,
  tuning: Partial<StoreOptions> = SMALL,
): { db: LsmStore; fs: MemoryFileSystem; events: TraceEvent[] } {
  const fs = new MemoryFileSystem();
  const db = new LsmStore({ ...tuning, dir: '/db', fs });
  fill(db);
  db.close();
  return openLsm(tuning, fs);
}
