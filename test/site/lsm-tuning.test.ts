import { describe, it, expect } from 'vitest';
import {
  DEFAULT_TUNING,
  KEYS,
  OVERWRITES,
  amplification,
  engineOptions,
  runTuned,
  strategiesOf,
} from '../../site/workbench/lsm-tuning.js';

const final = (t = DEFAULT_TUNING, c: 'leveled' | 'tiered' = 'leveled') => amplification(runTuned(t, c).steps.at(-1)!);

describe('the LSM settings widget logic', () => {
  it('records one step per workload step, each amplification read off that step’s stats and levels alone', () => {
    const run = runTuned(DEFAULT_TUNING, 'tiered');
    expect(run.steps).toHaveLength(OVERWRITES + 1);
    for (const s of run.steps) {
      const a = amplification(s);
      expect(a).toEqual(amplification(structuredClone(s)));
      expect(a.write).toBe(s.stats.engineStats.writeAmplification);
      expect(a.space).toBeCloseTo(s.stats.diskBytes / s.stats.liveBytes, 12);
      const l0 = s.levels.find((l) => l.level === 0)?.tables.length ?? 0;
      expect(a.read).toBe(l0 + s.levels.filter((l) => l.level > 0).length);
      expect(a.tables).toBe(s.levels.reduce((n, l) => n + l.tables.length, 0));
    }
    // Loaded keys are all live after step 1; a quarter are deleted in round 3.
    expect(run.steps[0]!.stats.liveKeys).toBe(KEYS);
    expect(run.steps[3]!.stats.liveKeys).toBe(KEYS * 0.75);
    // Tiered keeps every table in level 0, each one a run.
    expect(run.steps.every((s) => s.levels.every((l) => l.level === 0))).toBe(true);
  });

  it('on the same workload, size-tiered writes less than leveled but leaves more runs to read and more bytes on disk', () => {
    const leveled = final(DEFAULT_TUNING, 'leveled');
    const tiered = final(DEFAULT_TUNING, 'tiered');
    expect(tiered.write).toBeLessThan(leveled.write);
    expect(tiered.read).toBeGreaterThan(leveled.read);
    expect(tiered.space).toBeGreaterThan(leveled.space);
  });

  it('runs the engine with the settings turned: a bigger memtable writes less, more bloom bits read fewer blocks', () => {
    expect(final({ ...DEFAULT_TUNING, memtableBytes: 4096 }).write).toBeLessThan(
      final({ ...DEFAULT_TUNING, memtableBytes: 256 }).write,
    );
    expect(final({ ...DEFAULT_TUNING, bloomBitsPerKey: 16 }).blocksPerGet).toBeLessThan(
      final({ ...DEFAULT_TUNING, bloomBitsPerKey: 1 }).blocksPerGet,
    );
  });

  it('maps the knobs to engine options: level sizes from the memtable, the tiered threshold from the L0 trigger', () => {
    expect(engineOptions({ ...DEFAULT_TUNING, memtableBytes: 512, l0CompactionTrigger: 8 }, 'tiered')).toMatchObject({
      compaction: 'tiered',
      memtableBytes: 512,
      level1Bytes: 2048,
      targetFileBytes: 1024,
      l0CompactionTrigger: 8,
      tieredMinThreshold: 8,
    });
    expect(strategiesOf('both')).toEqual(['leveled', 'tiered']);
    expect(strategiesOf('tiered')).toEqual(['tiered']);
  });
});
