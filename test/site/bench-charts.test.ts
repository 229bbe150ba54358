import { describe, expect, it } from 'vitest';
import {
  allCharts,
  goalRows,
  latencyChart,
  memoryChart,
  openChart,
  readAmpChart,
  runSummary,
  spaceAmpChart,
  throughputChart,
  writeAmpChart,
} from '../../site/bench/charts.js';
import { latestResults, readResults, type BenchResults, type WorkloadResult } from '../../site/bench/results.js';
import { byteUnit, decadeTicks, scaleFor, thinTicks } from '../../site/bench/scale.js';
import { formatBytes, formatCount, formatNs } from '../../site/bench/format.js';
import { wrap } from '../../site/bench/render.js';

/** A result with the fields the charts read; the rest zero. */
function result(
  subject: string,
  kind: WorkloadResult['kind'],
  workload: string,
  extra: Partial<WorkloadResult> = {},
): WorkloadResult {
  return {
    subject,
    kind,
    workload: workload as WorkloadResult['workload'],
    status: 'ok',
    ops: 1000,
    seconds: 1,
    opsPerSec: 1000,
    latencyUnit: 'op',
    latency: { count: 1000, meanNs: 2000, p50Ns: 1000, p99Ns: 10_000, p999Ns: 100_000, maxNs: 200_000 },
    bytesWritten: 0,
    bytesRead: 0,
    userBytesWritten: 0,
    syncs: 0,
    writeAmp: null,
    readBytesPerGet: null,
    spaceAmp: null,
    diskBytes: 0,
    liveKeys: 0,
    liveBytes: 0,
    peakRssBytes: 0,
    peakHeapBytes: 0,
    ioSource: 'engine',
    ...extra,
  } as WorkloadResult;
}

/** A small run: two engines, a peer, a limit that cannot read, a skipped peer, one failed workload. */
function fixture(): BenchResults {
  return readResults({
    schema: 1,
    date: '2026-11-25T18:42:57.178Z',
    machine: {
      cpus: 2,
      cpuModel: 'test cpu',
      memoryBytes: 8 * 1024 ** 3,
      platform: 'linux',
      arch: 'x64',
      node: 'v20.0.0',
      loadAverage: [10, 12, 12],
      clockNs: 50,
    },
    options: {
      subjects: [],
      workloads: [],
      keys: 1000,
      keyBytes: 16,
      valueBytes: 100,
      quick: false,
      seed: 1,
      capSeconds: 8,
    },
    durationSeconds: 60,
    subjects: [
      { name: 'bitcask', kind: 'engine', status: 'ok', peakRssBytes: 100e6, peakHeapBytes: 20e6 },
      { name: 'btree', kind: 'engine', status: 'ok', peakRssBytes: 120e6, peakHeapBytes: 30e6 },
      { name: 'lmdb', kind: 'peer', status: 'ok', version: '3.5.6', peakRssBytes: 90e6, peakHeapBytes: 5e6 },
      { name: 'classic-level', kind: 'peer', status: 'skipped', reason: 'native binary did not load' },
      { name: 'limit-append', kind: 'limit', status: 'ok', peakRssBytes: 50e6, peakHeapBytes: 4e6 },
    ],
    results: [
      result('bitcask', 'engine', 'fillrandom', { opsPerSec: 100_000, openMs: 1 }),
      result('bitcask', 'engine', 'readmissing', { opsPerSec: 500_000, readBytesPerGet: 0 }),
      result('bitcask', 'engine', 'reopen', { openMs: 800 }),
      result('btree', 'engine', 'fillrandom', { opsPerSec: 3_000, capped: true, openMs: 20, spaceAmp: 1.6 }),
      result('btree', 'engine', 'readmissing', { opsPerSec: 20_000, readBytesPerGet: 3_900 }),
      result('btree', 'engine', 'reopen', {
        status: 'failed',
        reason: 'btree.db is corrupt at byte offset 88',
        opsPerSec: 0,
      }),
      result('lmdb', 'peer', 'fillrandom', { opsPerSec: 200_000, openMs: 7, spaceAmp: 2.1 }),
      result('lmdb', 'peer', 'readmissing', { opsPerSec: 300_000, readBytesPerGet: 0.016 }),
      result('lmdb', 'peer', 'reopen', { openMs: 8.5 }),
      result('limit-append', 'limit', 'fillrandom', { opsPerSec: 1_000_000, openMs: 0.1 }),
      result('limit-append', 'limit', 'readmissing', {
        status: 'n/a',
        reason: 'limit-append has no get',
        opsPerSec: 0,
      }),
    ],
    ratios: [],
    tracing: [],
    targets: [
      {
        goal: 'bitcask puts vs buffered appends',
        engine: 'bitcask',
        unit: 'x',
        measured: 0.1,
        required: 0.5,
        met: false,
      },
      { goal: 'snapshot load of 100k pairs', engine: 'snapshot', unit: 's', measured: 0.28, required: 0.5, met: true },
      { goal: 'lsm gets vs classic-level getSync', engine: 'lsm', unit: 'x', measured: null, required: 1, met: null },
    ],
  });
}

describe('the benchmark results file', () => {
  it('accepts the committed results and rejects another schema or a broken shape', () => {
    expect(latestResults().schema).toBe(1);
    expect(() => readResults({ ...fixture(), schema: 2 })).toThrow(/schema 2/);
    expect(() => readResults({ ...fixture(), results: 'x' })).toThrow(/"results" is not a list/);
    expect(() => readResults(null)).toThrow(/not an object/);
  });
});

describe('the chart scales', () => {
  it('uses a log scale snapped to decades when values span orders of magnitude', () => {
    expect(scaleFor([24, 1_212_208])).toEqual({ type: 'log', domain: [10, 10_000_000] });
    expect(scaleFor([0.0162, 4972])).toEqual({ type: 'log', domain: [0.01, 10_000] });
    expect(decadeTicks([0.01, 10_000])).toEqual([0.01, 0.1, 1, 10, 100, 1000, 10_000]);
  });

  it('keeps zero and missing values out of a log domain', () => {
    expect(scaleFor([0, null, 3, 3000, Number.NaN])).toEqual({ type: 'log', domain: [1, 10_000] });
  });

  it('gives a log domain at least one decade wide, and a linear one from zero otherwise', () => {
    expect(scaleFor([1, 5], 'log')).toEqual({ type: 'log', domain: [1, 10] });
    expect(scaleFor([1, 1], 'log')).toEqual({ type: 'log', domain: [1, 10] });
    const lin = scaleFor([1.01, 12.2]);
    expect(lin.type).toBe('linear');
    expect(lin.domain[0]).toBe(0);
    expect(lin.domain[1]).toBeGreaterThan(12.2);
    expect(scaleFor([null, 0])).toEqual({ type: 'linear', domain: [0, 1] });
  });

  it('thins decade ticks on a narrow chart, keeping the top decade', () => {
    const ticks = decadeTicks([0.01, 10_000]);
    expect(thinTicks(ticks, 10)).toEqual(ticks);
    expect(thinTicks(ticks, 4)).toEqual([0.01, 1, 100, 10_000]);
    expect(thinTicks(ticks, 3).at(-1)).toBe(10_000);
    expect(thinTicks(ticks, 3).length).toBeLessThanOrEqual(3);
  });

  it('ticks an axis of bytes in the binary unit of its largest value', () => {
    expect(byteUnit(360e6)).toEqual({ size: 1024 ** 2, name: 'MiB' });
    expect(byteUnit(5000)).toEqual({ size: 1024, name: 'KiB' });
    expect(byteUnit(12)).toEqual({ size: 1, name: 'B' });
  });
});

describe('the chart models', () => {
  it('groups throughput by workload with one bar per loaded subject, in report order', () => {
    const c = throughputChart(fixture(), 'writes', 'Writes', ['fillseq', 'fillrandom']);
    // fillseq is not in the run: no group for it.
    expect(c.groups.map((g) => g.key)).toEqual(['fillrandom']);
    expect(c.groups[0]!.bars.map((b) => b.subject)).toEqual(['bitcask', 'btree', 'lmdb', 'limit-append']);
    expect(c.legend.map((l) => [l.subject, l.kind])).toEqual([
      ['bitcask', 'engine'],
      ['btree', 'engine'],
      ['lmdb', 'peer'],
      ['limit-append', 'limit'],
    ]);
    expect(c.scale).toEqual({ type: 'log', domain: [1000, 1_000_000] });
    expect(c.axis).toBe('operations per second, log scale');
    // A capped figure is starred and explained.
    const btree = c.groups[0]!.bars[1]!;
    expect(btree).toMatchObject({ value: 3000, text: '3k*', capped: true });
    expect(c.notes.some((n) => n.startsWith('* stopped at the 8 s time cap'))).toBe(true);
    // A skipped subject has no bars, but a note.
    expect(c.notes).toContain('LevelDB (classic-level): skipped (native binary did not load).');
  });

  it('keeps a failed workload as a marked gap with its reason, not as a bar', () => {
    const c = openChart(fixture());
    const reopen = c.groups.find((g) => g.key === 'reopen')!;
    // Limits are left out of open times.
    expect(reopen.bars.map((b) => b.subject)).toEqual(['bitcask', 'btree', 'lmdb']);
    expect(reopen.bars[1]).toMatchObject({ subject: 'btree', value: null, status: 'failed', text: 'failed' });
    expect(c.notes).toContain('B+tree failed reopen: btree.db is corrupt at byte offset 88.');
    expect(c.scale.type).toBe('log');
  });

  it('marks what a subject cannot do as n/a, and keeps a real zero as a value', () => {
    const f = fixture();
    f.results.push(
      result('limit-append', 'limit', 'readrandom', { status: 'n/a', reason: 'limit-append has no get', opsPerSec: 0 }),
      result('bitcask', 'engine', 'readrandom', { status: 'n/a', reason: 'no get', opsPerSec: 0 }),
      result('btree', 'engine', 'readrandom'),
    );
    const c = throughputChart(f, 'reads', 'Reads', ['readmissing', 'readrandom']);
    expect(c.groups[1]!.bars.find((b) => b.subject === 'bitcask')).toMatchObject({
      value: null,
      status: 'n/a',
      text: 'n/a',
    });
    // A limit with no figure in the whole chart is left out (the append limit cannot read).
    expect(c.legend.map((l) => l.subject)).toEqual(['bitcask', 'btree', 'lmdb']);
    const amp = readAmpChart(fixture());
    const bars = amp.groups.find((g) => g.key === 'readmissing')!.bars;
    // Limits have no file reads: left out of the read chart.
    expect(bars.map((b) => b.subject)).toEqual(['bitcask', 'btree', 'lmdb']);
    expect(bars[0]).toMatchObject({ value: 0, status: 'ok', text: '0 B' });
    expect(amp.scale).toEqual({ type: 'log', domain: [0.01, 10_000] });
  });

  it('draws three percentiles per subject in a latency chart', () => {
    const c = latencyChart(fixture(), 'latency', 'fillrandom');
    expect(c.groups.map((g) => g.key)).toEqual(['bitcask', 'btree', 'lmdb', 'limit-append']);
    expect(latencyChart(fixture(), 'latency', 'readmissing').groups.map((g) => g.key)).toEqual([
      'bitcask',
      'btree',
      'lmdb',
    ]);
    expect(c.groups[0]!.bars.map((b) => [b.series, b.label, b.value])).toEqual([
      ['bitcask:p50', 'p50', 1000],
      ['bitcask:p99', 'p99', 10_000],
      ['bitcask:p99.9', 'p99.9', 100_000],
    ]);
    expect(c.scale).toEqual({ type: 'log', domain: [1000, 100_000] });
  });

  it('leaves out a limit with no figure in a chart, but keeps engines and peers with gaps', () => {
    const f = fixture();
    f.results.push(
      result('limit-map', 'limit', 'fillrandom', { writeAmp: null }),
      result('btree', 'engine', 'overwrite', { status: 'failed', reason: 'boom', writeAmp: null }),
    );
    f.subjects.push({ name: 'limit-map', kind: 'limit', status: 'ok' });
    const c = writeAmpChart(f);
    expect(c.legend.map((l) => l.subject)).not.toContain('limit-map');
    expect(c.groups.find((g) => g.key === 'overwrite')!.bars.find((b) => b.subject === 'btree')).toMatchObject({
      status: 'failed',
      value: null,
    });
  });

  it('uses linear scales for space and memory, from the subjects’ peaks', () => {
    expect(spaceAmpChart(fixture()).scale.type).toBe('linear');
    const m = memoryChart(fixture());
    expect(m.scale.type).toBe('linear');
    expect(m.groups.map((g) => g.key)).toEqual(['rss', 'heap']);
    expect(m.groups[0]!.bars.map((b) => b.value)).toEqual([100e6, 120e6, 90e6, 50e6]);
  });

  it('builds every chart of the committed results, each with bars for all four engines', () => {
    const r = latestResults();
    const engines = r.subjects.filter((s) => s.kind === 'engine' && s.status === 'ok').map((s) => s.name);
    for (const c of Object.values(allCharts(r))) {
      const withBars = new Set(c.groups.flatMap((g) => g.bars.filter((b) => b.value !== null).map((b) => b.subject)));
      for (const e of engines) expect(withBars.has(e), `${c.id}: ${e}`).toBe(true);
      expect(c.axis).toMatch(/(log|linear) scale$/);
      // Models cross to the browser as JSON: nothing may be lost on the way.
      expect(JSON.parse(JSON.stringify(c))).toEqual(c);
    }
  });
});

describe('the run summary and the goal table', () => {
  it('says plainly when the machine was loaded', () => {
    const s = runSummary(fixture());
    expect(s.loaded).toBe(true);
    expect(s.loadSentence).toMatch(/load average of 10\.0 on 2 cores/);
    expect(s.machine).toBe('2 cores (test cpu), 8 GiB of memory, linux/x64');
    expect(s.peers).toEqual(['lmdb 3.5.6']);
    expect(s.date).toBe('2026-11-25 18:42 UTC');
  });

  it('prints each goal as met, not met or without a figure, with the measured ratio', () => {
    expect(goalRows(fixture())).toEqual([
      {
        goal: 'bitcask puts vs buffered appends',
        engine: 'Bitcask',
        measured: '0.1×',
        required: 'at least 0.5×',
        verdict: 'not met',
      },
      {
        goal: 'snapshot load of 100k pairs',
        engine: 'snapshot',
        measured: '0.28 s',
        required: 'at most 0.5 s',
        verdict: 'met',
      },
      {
        goal: 'lsm gets vs classic-level getSync',
        engine: 'LSM tree',
        measured: '—',
        required: 'at least 1×',
        verdict: 'no figure',
      },
    ]);
  });

  it('wraps a long group heading at spaces to fit a phone', () => {
    expect(wrap('reopen after a crash (100k keys written and synced)', 40)).toEqual([
      'reopen after a crash (100k keys written',
      'and synced)',
    ]);
    expect(wrap('short', 40)).toEqual(['short']);
  });

  it('formats figures short enough to sit beside a bar', () => {
    expect([formatCount(1_212_208), formatCount(48_213), formatCount(812), formatCount(0.01628)]).toEqual([
      '1.21M',
      '48.2k',
      '812',
      '0.0163',
    ]);
    expect([formatNs(420), formatNs(15_200), formatNs(3_100_000), formatNs(1.2e9)]).toEqual([
      '420 ns',
      '15.2 µs',
      '3.1 ms',
      '1.2 s',
    ]);
    expect([formatBytes(139), formatBytes(4096), formatBytes(183_898_112)]).toEqual(['139 B', '4 KiB', '175 MiB']);
  });
});
