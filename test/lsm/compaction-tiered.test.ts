import { describe, it, expect } from 'vitest';
import { MemoryFileSystem, type StoreOptions, type TraceEvent } from '../../engines/index.js';
import { LsmStore } from '../../engines/lsm/store.js';
import { Version } from '../../engines/lsm/version.js';
import { buckets, pickTiered, sortedRuns, type TieredOptions } from '../../engines/lsm/compaction-tiered.js';
import { checkLsmDir } from '../../engines/lsm/check.js';
import type { FileMeta } from '../../engines/lsm/format.js';
import type { LsmEvent } from '../../engines/lsm/events.js';
import { utf8, fromUtf8 } from '../../engines/bytes.js';
import { expectCode } from '../conformance/suite.js';
import { key, value, shuffled, SMALL } from './helpers.js';

const TIERED: Partial<StoreOptions> = { ...SMALL, compaction: 'tiered' };
const tiered = (o: Partial<TieredOptions> = {}): TieredOptions => ({
  tieredMinThreshold: 4,
  tieredMaxThreshold: 32,
  tieredMaxRuns: 12,
  ...o,
});

/** A level-0 version whose tables have these sizes, oldest first (each a run of its own, seqs in that order). */
function runsOfSizes(sizes: number[]): Version {
  const files: FileMeta[] = sizes.map((size, i) => ({
    number: 10 + i,
    size,
    entries: 10,
    tombstones: 0,
    minSeq: i * 10 + 1,
    maxSeq: i * 10 + 10,
    smallest: utf8('a'),
    largest: utf8('z'),
  }));
  return new Version().apply({ deleted: [], added: files.map((file) => ({ level: 0, file })) }, 'test');
}
const numbers = (fs: FileMeta[]): number[] => fs.map((f) => f.number).sort((a, b) => a - b);

describe('lsm size-tiered compaction: picking', () => {
  it('groups neighbouring runs of similar size (within 0.5x to 1.5x of the bucket average) into buckets, newest first', () => {
    const v = runsOfSizes([100_000, 9000, 10_000, 11_000, 1000, 1100, 900, 1000]);
    const b = buckets(sortedRuns(v));
    expect(b.map((x) => [x.first, x.last])).toEqual([
      [0, 3],
      [4, 6],
      [7, 7],
    ]);
    expect(b[0]!.averageBytes).toBe(1000);
  });

  it('merges a bucket once it holds tieredMinThreshold runs, the one of smallest runs first, and leaves the other sizes alone', () => {
    const v = runsOfSizes([100_000, 9000, 10_000, 11_000, 1000, 1100, 900, 1000]);
    const plan = pickTiered(v, tiered({ tieredMinThreshold: 3 }))!;
    expect(plan.reason).toBe('tiered-size');
    expect(numbers(plan.inputs)).toEqual([14, 15, 16, 17]);
    expect(plan).toMatchObject({
      level: 0,
      outputLevel: 0,
      overlapping: [],
      trivialMove: false,
      includesOldest: false,
    });
    // Three small runs are not yet a bucket at the default threshold of four.
    expect(pickTiered(runsOfSizes([100_000, 1000, 1100, 900]), tiered())).toBeUndefined();
  });

  it('takes at most tieredMaxThreshold runs of a bucket in one merge, the newest', () => {
    const plan = pickTiered(runsOfSizes([1000, 1000, 1000, 1000, 1000, 1000]), tiered({ tieredMaxThreshold: 4 }))!;
    expect(numbers(plan.inputs)).toEqual([12, 13, 14, 15]);
    expect(plan.includesOldest).toBe(false);
  });

  it('past tieredMaxRuns runs, merges the neighbours with the fewest bytes, enough to come back to the bound', () => {
    // Sizes ten times apart never share a bucket.
    const v = runsOfSizes([1_000_000, 100_000, 10_000, 1000, 100]);
    expect(pickTiered(v, tiered({ tieredMaxRuns: 5 }))).toBeUndefined();
    const plan = pickTiered(v, tiered({ tieredMaxRuns: 3 }))!;
    expect(plan.reason).toBe('tiered-runs');
    expect(numbers(plan.inputs)).toEqual([12, 13, 14]);
  });

  it('a merge that reaches a deeper level (a store once leveled) writes into that level, taking at most two levels', () => {
    const deep = (number: number, lo: string, hi: string): FileMeta => ({
      number,
      size: 500,
      entries: 10,
      tombstones: 0,
      minSeq: 1,
      maxSeq: 5,
      smallest: utf8(lo),
      largest: utf8(hi),
    });
    const v = runsOfSizes([1000, 1000, 1000]).apply(
      {
        deleted: [],
        added: [
          { level: 2, file: deep(3, 'a', 'm') },
          { level: 2, file: deep(4, 'n', 'z') },
          { level: 4, file: deep(5, 'a', 'z') },
        ],
      },
      'test',
    );
    expect(sortedRuns(v).map((r) => r.level)).toEqual([0, 0, 0, 2, 4]);
    const plan = pickTiered(v, tiered())!;
    expect(plan).toMatchObject({ level: 0, outputLevel: 2, includesOldest: false });
    expect(numbers(plan.inputs)).toEqual([10, 11, 12]);
    expect(numbers(plan.overlapping)).toEqual([3, 4]);
  });
});

describe('lsm size-tiered compaction: the store', () => {
  it('keeps at most tieredMaxRuns sorted runs after every write, and every key readable', () => {
    const db = new LsmStore({ ...TIERED, tieredMaxRuns: 5, dir: '/db', fs: new MemoryFileSystem() });
    let most = 0;
    let w = 0;
    for (const i of shuffled(4000)) {
      db.put(key(i), value(i));
      // A flush happens about every 37 puts here, so looking every 5th put sees every state.
      if (++w % 5 !== 0) continue;
      const runs = db
        .inspect()
        .levels.reduce((n, l) => n + (l.level === 0 ? l.files.length : l.files.length > 0 ? 1 : 0), 0);
      most = Math.max(most, runs);
    }
    expect(most).toBeLessThanOrEqual(5);
    expect(most).toBeGreaterThanOrEqual(4);
    // Tiered never leaves level 0.
    expect(
      db
        .inspect()
        .levels.slice(1)
        .every((l) => l.files.length === 0),
    ).toBe(true);
    for (let i = 0; i < 4000; i += 37) expect(fromUtf8(db.get(key(i))!)).toBe(fromUtf8(value(i)));
  });

  it('keeps a tombstone through every merge until one includes the oldest run, then drops it; traces the buckets before each pick', () => {
    const events: TraceEvent[] = [];
    const db = new LsmStore({ ...TIERED, dir: '/db', fs: new MemoryFileSystem(), trace: (e) => events.push(e) });
    // An old run holds key 0; then it is deleted, and many small runs pile up above it.
    for (let i = 0; i < 600; i++) db.put(key(i), value(i));
    db.compact();
    const oldest = db.inspect().levels[0]!.files[0]!.file;
    db.delete(key(0));
    for (let i = 1000; i < 2500; i++) db.put(key(i), value(i));
    expect(db.get(key(0))).toBeUndefined();
    // Every merge so far that dropped a tombstone had the oldest run among its inputs; none did.
    const picks = events.filter(
      (e): e is Extract<LsmEvent, { type: 'lsm.compaction.pick' }> =>
        e.type === 'lsm.compaction.pick' && e.reason !== 'manual',
    );
    expect(picks.length).toBeGreaterThan(2);
    expect(picks.every((p) => !p.inputs.includes(oldest))).toBe(true);
    // Each pick is traced right after the picker's view: every run, in buckets of similar size.
    events.forEach((e, i) => {
      if (e.type !== 'lsm.compaction.pick') return;
      const runs = events[i - 1] as Extract<LsmEvent, { type: 'lsm.compaction.runs' }>;
      expect(runs.type).toBe('lsm.compaction.runs');
      expect(runs.buckets.reduce((n, b) => n + b.runs.length, 0)).toBe(runs.runs);
      if ((e as { reason: string }).reason === 'tiered-size')
        expect(runs.buckets.some((b) => b.runs.length >= runs.minThreshold)).toBe(true);
    });
    const merges = events.filter(
      (e): e is Extract<LsmEvent, { type: 'lsm.compaction.merge' }> => e.type === 'lsm.compaction.merge',
    );
    expect(merges.slice(1).every((m) => m.tombstonesDropped === 0)).toBe(true);
    expect(db.inspect().levels[0]!.files.reduce((n, f) => n + f.tombstones, 0)).toBe(1);
    // compact() merges everything, the oldest run included: the tombstone goes, with key 0.
    db.compact();
    const files = db.inspect().levels[0]!.files;
    expect(files).toHaveLength(1);
    expect(files[0]!.tombstones).toBe(0);
    expect(files[0]!.entries).toBe(599 + 1500);
    expect(db.get(key(0))).toBeUndefined();
  });

  it('writes less than leveled and holds more disk space on the same overwrite workload (measured from stats)', () => {
    const measure = (compaction: 'leveled' | 'tiered') => {
      const db = new LsmStore({ ...SMALL, compaction, dir: '/db', fs: new MemoryFileSystem() });
      let samples = 0;
      let space = 0;
      let ops = 0;
      for (let round = 0; round < 8; round++) {
        for (const i of shuffled(1000, round + 1)) {
          db.put(key(i), value(i, round));
          if (++ops % 1000 !== 0) continue;
          const s = db.stats();
          space += s.diskBytes / s.liveBytes;
          samples++;
        }
      }
      return { write: db.stats().engineStats.writeAmplification!, space: space / samples };
    };
    const leveled = measure('leveled');
    const tier = measure('tiered');
    // Measured: write amplification 8.5 leveled vs 4.9 tiered; mean space amplification 2.1 vs 2.7.
    expect(tier.write).toBeLessThan(leveled.write * 0.75);
    expect(tier.space).toBeGreaterThan(leveled.space * 1.15);
  });

  it('opens a leveled store as tiered and a tiered store as leveled: the same data, a sound directory', () => {
    const fs = new MemoryFileSystem();
    const expected = new Map<number, string>();
    const open = (compaction: 'leveled' | 'tiered') => new LsmStore({ ...SMALL, compaction, dir: '/db', fs });
    const write = (db: LsmStore, round: number) => {
      for (const i of shuffled(1200, round + 1)) {
        if (i % 7 === round) {
          db.delete(key(i));
          expected.delete(i);
        } else {
          db.put(key(i), value(i, round));
          expected.set(i, fromUtf8(value(i, round)));
        }
      }
    };
    const agree = (db: LsmStore) => {
      const got = [...db.scan()].map(([k, v]) => [fromUtf8(k), fromUtf8(v)]);
      expect(got).toEqual([...expected.entries()].sort((a, b) => a[0] - b[0]).map(([i, v]) => [fromUtf8(key(i)), v]));
    };
    let db = open('leveled');
    write(db, 0);
    expect(
      db
        .inspect()
        .levels.slice(1)
        .some((l) => l.files.length > 0),
    ).toBe(true);
    db.close();
    checkLsmDir(fs, '/db');
    for (const [round, compaction] of [
      [1, 'tiered'],
      [2, 'leveled'],
      [3, 'tiered'],
    ] as const) {
      db = open(compaction);
      agree(db);
      write(db, round);
      agree(db);
      db.close();
      checkLsmDir(fs, '/db');
    }
    db = open('tiered');
    db.compact();
    agree(db);
    db.close();
    checkLsmDir(fs, '/db');
  });

  it('refuses an unknown compaction strategy with KV_BAD_OPTION', () => {
    expectCode(
      () => new LsmStore({ dir: '/db', fs: new MemoryFileSystem(), compaction: 'universal' as 'tiered' }),
      'KV_BAD_OPTION',
    );
    expectCode(
      () => new LsmStore({ dir: '/db', fs: new MemoryFileSystem(), compaction: 'tiered', tieredMinThreshold: 1 }),
      'KV_BAD_OPTION',
    );
  });
});
