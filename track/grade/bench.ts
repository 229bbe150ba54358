/**
 * bench.ts: the grader's short benchmark, on real files in a temporary directory: fill with
 * random keys then sync, read them back in another random order, scan everything, close and
 * reopen. The same workload runs on the learner's engine and the four reference engines, so
 * the card shows where it stands; `npm run bench` is the full harness.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeFileSystem } from '../../engines/index.js';
import { Rng } from '../../test/util/rng.js';
import type { Subject } from '../subject.js';

/** One engine's figures. */
export interface BenchRow {
  engine: string;
  fillPerSec: number;
  readPerSec: number;
  scanPerSec: number;
  reopenMs: number;
  diskBytes: number;
  error?: string;
}

/** Milliseconds `f` takes. */
function time(f: () => void): number {
  const t0 = performance.now();
  f();
  return performance.now() - t0;
}

/** Runs the workload (`n` pairs of 16-byte keys and 100-byte values) on `subject`. */
export function benchOne(subject: Subject, n = 3000): BenchRow {
  const dir = mkdtempSync(join(tmpdir(), `grade-bench-${subject.name}-`));
  const fs = new NodeFileSystem();
  const rng = new Rng(7);
  const keys = Array.from({ length: n }, (_, i) => `key${String((i * 7919) % n).padStart(12, '0')}`);
  const value = 'v'.repeat(100);
  try {
    let db = subject.open({ fs, dir });
    const fill = time(() => {
      for (const k of keys) db.put(k, value);
      db.sync();
    });
    const order = keys
      .map((k) => [rng.next(), k] as const)
      .sort((a, b) => a[0] - b[0])
      .map(([, k]) => k);
    const read = time(() => {
      for (const k of order) if (db.get(k) === undefined) throw new Error(`get ${k} found nothing`);
    });
    let seen = 0;
    const scan = time(() => {
      for (const _ of db.scan()) seen++;
    });
    if (seen !== n) throw new Error(`a full scan found ${seen} of ${n} pairs`);
    const diskBytes = db.stats().diskBytes;
    db.close();
    const reopenMs = time(() => {
      db = subject.open({ fs, dir });
    });
    db.close();
    return {
      engine: subject.name,
      fillPerSec: (n / fill) * 1000,
      readPerSec: (n / read) * 1000,
      scanPerSec: (n / scan) * 1000,
      reopenMs,
      diskBytes,
    };
  } catch (e) {
    return {
      engine: subject.name,
      fillPerSec: 0,
      readPerSec: 0,
      scanPerSec: 0,
      reopenMs: 0,
      diskBytes: 0,
      error: (e as Error).message.split('\n')[0],
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
