/**
 * sizes-model.test.ts: the "At real sizes" tables (site/sizes/model.ts) read the committed
 * bench/results/sizes.json faithfully: one cell per engine and size, each the figure of that
 * run, formatted; a file of another schema is refused.
 */
import { describe, expect, it } from 'vitest';
import committed from '../../bench/results/sizes.json';
import {
  figureOf,
  formatBytes,
  formatShare,
  metricTable,
  readSizes,
  runLine,
  sizesRows,
  structureOf,
  type SizesRun,
} from '../../site/sizes/model.js';

/** A run with the given engine counters and figures; the rest zero. */
function run(
  engine: string,
  keys: number,
  engineStats: Record<string, number>,
  extra: Partial<SizesRun['open']> = {},
): SizesRun {
  const gets = { gets: 10, readsPerGet: 0, bytesReadPerGet: 0, microsPerGet: 0 };
  return {
    engine,
    keys,
    fill: { seconds: 1, opsPerSec: keys, memoryBytes: 0, rssBytes: 0 },
    open: {
      openMs: 2,
      files: 1,
      diskBytes: 1000,
      liveBytes: 2000,
      memoryBytesAfterOpen: 10,
      memoryBytesAfterGets: 500,
      rssBaseBytes: 1_000_000,
      rssAfterOpenBytes: 1_500_000,
      rssAfterGetsBytes: 3_000_000,
      present: { ...gets, readsPerGet: 1.5 },
      missing: { ...gets, readsPerGet: 0.25 },
      engineStats,
      ...extra,
    },
  };
}

const results = {
  schema: 1,
  date: '2026-12-06T00:00:00Z',
  machine: { cpus: 2, cpuModel: 'x', memoryBytes: 1, platform: 'linux', node: 'v20' },
  options: { keyBytes: 16, valueBytes: 100, sizes: [1000, 10000], engines: ['btree', 'lsm'], gets: 10 },
  durationSeconds: 1,
  runs: [
    run('btree', 1000, { height: 2, pages: 9, branchPages: 1, leafPages: 7, freePages: 1 }),
    run('lsm', 1000, { memtableEntries: 1000, level0Files: 0, level1Files: 0 }),
    run('btree', 10000, { height: 3, pages: 90, branchPages: 3, leafPages: 80, freePages: 7 }),
    run('lsm', 10000, { memtableEntries: 12, level0Files: 2, level1Files: 0, level2Files: 5 }),
  ],
};

describe('the real-sizes tables', () => {
  it('describe each engine’s disk in its own terms, from the counters its stats() reported', () => {
    expect(structureOf(results.runs[2]!)).toBe('height 3: 90 pages (3 branches, 80 leaves, 7 free)');
    expect(structureOf(results.runs[3]!)).toBe('tables L0: 2, L2: 5; memtable 12 entries');
    expect(structureOf(results.runs[1]!)).toBe('no tables; memtable 1,000 entries');
    expect(structureOf(run('bitcask', 5, { dataFiles: 3, hintFiles: 1 }))).toBe('3 data files, 1 hint file');
  });

  it('give each cell the figure of that engine at that size, sizes across and engines down', () => {
    const t = metricTable(readSizes(results), 'reads');
    expect(t.sizes).toEqual([1000, 10000]);
    expect(t.lines.map((l) => l.engine)).toEqual(['btree', 'lsm']);
    expect(t.lines[0]!.cells).toEqual(['1.50\u2009/\u20090.25', '1.50\u2009/\u20090.25']);
    const rows = sizesRows(readSizes(results));
    expect(rows[0]!.memoryShare).toBe(500 / 2000);
    expect(rows[0]!.rssGrowth).toBe(2_000_000);
    expect(figureOf(readSizes(results), 'rss', 'lsm', 10000)).toBe('2.00 MB');
  });

  it('say "not run" for a size an engine was not measured at, and fail loudly for a figure the prose asks for that is missing', () => {
    const partial = { ...results, runs: results.runs.slice(0, 3) };
    expect(metricTable(readSizes(partial), 'disk').lines[1]!.cells).toEqual([formatBytes(1000), 'not run']);
    expect(() => figureOf(readSizes(partial), 'disk', 'lsm', 10000)).toThrow(/no run of lsm at 10000 keys/);
  });

  it('refuse a results file of another schema or with no runs', () => {
    expect(() => readSizes({ ...results, schema: 2 })).toThrow(/schema 2/);
    expect(() => readSizes({ ...results, runs: [] })).toThrow(/no runs/);
  });

  it('format bytes and shares as a reader reads them', () => {
    expect(formatBytes(984)).toBe('984 B');
    expect(formatBytes(2_098_136)).toBe('2.10 MB');
    expect(formatBytes(160_000_000)).toBe('160 MB');
    expect(formatShare(0.0004)).toBe('0.040 %');
    expect(formatShare(1.83)).toBe('183 %');
  });

  it('read the committed run: every engine at every size it lists, from 1,000 to 1,000,000 keys', () => {
    const r = readSizes(committed);
    expect(r.options.sizes).toEqual([1000, 10000, 100000, 1000000]);
    for (const engine of ['snapshot', 'bitcask', 'btree', 'lsm']) {
      for (const keys of r.options.sizes) {
        const row = sizesRows(r).find((x) => x.engine === engine && x.keys === keys);
        expect(row, `${engine} at ${keys}`).toBeDefined();
        // Every key was stored: 16-byte keys and 100-byte values.
        expect(row!.liveBytes).toBe(keys * (r.options.keyBytes + r.options.valueBytes));
      }
    }
  });
});

describe('the run line', () => {
  it('names the date, the machine and the load when the file records it', () => {
    const line = runLine(readSizes({ ...results, machine: { ...results.machine, loadAverage: [3.25, 1, 1] } }));
    expect(line).toBe(
      'Run of 2026-12-06: 2 CPUs (x), 1 B of memory, linux, Node v20, load average 3.3 at the end; 1 s in all.',
    );
    expect(runLine(readSizes(results))).not.toContain('load');
  });
});
