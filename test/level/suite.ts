/**
 * suite.ts: the Level ecosystem's own test suite (abstract-level's test/ folder, run through
 * tape) on WorkbenchLevel. One file per engine calls levelSuite(engine), as the conformance
 * suite does, so vitest can run the engines in parallel:
 *
 *   levelSuite('lsm');
 *
 * Each engine runs it twice: at its default tuning on real files through the Node file
 * system (a fresh directory per database the suite's factory makes, under /dev/shm where
 * there is one: a tmpfs, so the suite's thousands of fsyncs cost nothing and the run stays
 * short), and at a tiny tuning on the memory file system that makes the suite's few keys
 * reach the on-disk structures (snapshot saves after every write; bitcask rolls over and
 * merges; btree splits 512-byte pages and commits constantly; lsm flushes, writes
 * multi-block tables and compacts). Any failed assertion fails the test, and its message
 * lists the failing assertions by test and name.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { createRequire } from 'node:module';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryFileSystem, type EngineName, type StoreOptions } from '../../engines/index.js';
import { WorkbenchLevel } from '../../engines/level/index.js';

const require = createRequire(import.meta.url);
/** tape, and abstract-level's suite: a function of { test, factory }. */
const tape = require('tape') as { createHarness(): TapeHarness };
const suite = require('abstract-level/test') as (o: {
  test: TapeHarness;
  factory: (options?: object) => unknown;
}) => void;
const SUITE_VERSION = (require('abstract-level/package.json') as { version: string }).version;

/** The part of a tape harness used here. */
interface TapeHarness {
  (...args: unknown[]): void;
  createStream(o: { objectMode: true }): {
    on(event: 'data', f: (row: TapeRow) => void): unknown;
    on(event: 'end', f: () => void): unknown;
  };
}

/** One row of tape's object stream. */
interface TapeRow {
  type: 'test' | 'assert' | 'end';
  name?: string;
  ok?: boolean;
  skip?: boolean;
  todo?: boolean;
  operator?: string;
  actual?: unknown;
  expected?: unknown;
}

/** What one run of the suite found. */
interface SuiteResult {
  tests: number;
  passed: number;
  skipped: number;
  failed: string[];
  ms: number;
}

/** The tiny tuning of each engine: the suite's data reaches files, pages, tables and merges. */
const TINY: Record<EngineName, Partial<StoreOptions>> = {
  snapshot: { autosaveEvery: 1 },
  bitcask: { maxFileBytes: 128, mergeMinDeadBytes: 64, mergeDeadRatio: 0.3 },
  btree: { pageSize: 512, cachePages: 4, dirtyPageBudget: 1 },
  lsm: {
    memtableBytes: 128,
    blockBytes: 64,
    l0CompactionTrigger: 2,
    level1Bytes: 512,
    levelSizeMultiplier: 2,
    targetFileBytes: 256,
    blockCacheBytes: 0,
  },
};

/** Runs abstract-level's whole suite with `factory` under a fresh tape harness. */
function runSuite(factory: (options?: object) => unknown): Promise<SuiteResult> {
  const start = performance.now();
  return new Promise((resolve) => {
    const harness = tape.createHarness();
    const result: SuiteResult = { tests: 0, passed: 0, skipped: 0, failed: [], ms: 0 };
    let current = '';
    const stream = harness.createStream({ objectMode: true });
    stream.on('data', (row) => {
      if (row.type === 'test') {
        current = row.name ?? '';
        result.tests++;
      } else if (row.type === 'assert') {
        if (row.skip || row.todo) result.skipped++;
        else if (row.ok) result.passed++;
        else if (row.operator === 'error' || row.operator === 'fail') result.failed.push(`${current} > ${row.name}`);
        else
          result.failed.push(
            `${current} > ${row.name} (${row.operator}: expected ${show(row.expected)}, got ${show(row.actual)})`,
          );
      }
    });
    stream.on('end', () => resolve({ ...result, ms: performance.now() - start }));
    suite({ test: harness, factory });
  });
}

/** A short printable form of an assertion's value. */
function show(x: unknown): string {
  let s: string;
  try {
    s = typeof x === 'string' ? JSON.stringify(x) : (JSON.stringify(x) ?? String(x));
  } catch {
    s = String(x);
  }
  return s.length > 120 ? s.slice(0, 119) + '…' : s;
}

const tempDirs: string[] = [];
afterAll(() => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});

/**
 * Runs the official suite on `engine` at its default tuning (real files) and at its tiny one
 * (memory), or only those `tunings` name, each with `variant` on top.
 */
export function levelSuite(
  engine: EngineName,
  variant: Partial<StoreOptions> = {},
  tunings: readonly ('default' | 'tiny')[] = ['default', 'tiny'],
): void {
  const label = `${engine}${variant.compaction ? ` (${variant.compaction})` : ''}`;
  describe(`the official abstract-level ${SUITE_VERSION} suite (tape) on WorkbenchLevel over ${label}`, () => {
    it('is the version the adapter is written against', () => {
      expect(SUITE_VERSION).toBe('3.1.1');
    });

    for (const tuning of tunings) {
      it(`passes every assertion at ${tuning} tuning (${tuning === 'default' ? 'real files' : 'memory file system'})`, async () => {
        let n = 0;
        let base = '';
        if (tuning === 'default') {
          base = mkdtempSync(join(existsSync('/dev/shm') ? '/dev/shm' : tmpdir(), `level-suite-${engine}-`));
          tempDirs.push(base);
        }
        const made: WorkbenchLevel[] = [];
        const factory = (options: object = {}) => {
          const db =
            tuning === 'default'
              ? new WorkbenchLevel(engine, join(base, `db${n++}`), { ...variant, ...options })
              : new WorkbenchLevel(engine, `/suite/db${n++}`, {
                  ...TINY[engine],
                  ...variant,
                  fs: new MemoryFileSystem(),
                  ...options,
                });
          made.push(db);
          return db;
        };
        const r = await runSuite(factory);
        // A few of the suite's tests leave their database open; close them before the directories go.
        for (const db of made) await db.close().catch(() => {});
        console.log(
          `abstract-level suite, ${label} at ${tuning} tuning: ${r.passed} of ${r.passed + r.failed.length} assertions passed` +
            `${r.skipped ? ` (${r.skipped} skipped)` : ''} in ${r.tests} tests, ${n} databases, ${(r.ms / 1000).toFixed(1)} s`,
        );
        expect(r.failed, `failed assertions:\n  ${r.failed.join('\n  ')}`).toEqual([]);
        expect(r.passed).toBeGreaterThan(4000);
      });
    }
  });
}
