/**
 * Ratios, tracing overhead and goals are computed from the workload results alone.
 */
import { describe, it, expect } from 'vitest';
import { ratios, targets, tracing } from '../../bench/ratios.js';
import type { WorkloadResult } from '../../bench/results.js';
import type { WorkloadName } from '../../bench/workloads.js';

/** A minimal ok result. */
function result(
  subject: string,
  kind: WorkloadResult['kind'],
  workload: WorkloadName,
  opsPerSec: number,
  extra: Partial<WorkloadResult> = {},
): WorkloadResult {
  return {
    subject,
    kind,
    workload,
    status: 'ok',
    ops: 1000,
    seconds: 1000 / opsPerSec,
    opsPerSec,
    latencyUnit: 'op',
    latency: { count: 1000, meanNs: 1, p50Ns: 1, p99Ns: 1, p999Ns: 1, maxNs: 1 },
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
    peakRssBytes: 1,
    peakHeapBytes: 1,
    ioSource: 'engine',
    ...extra,
  };
}

describe('ratios', () => {
  const results = [
    result('lsm', 'engine', 'readrandom', 100),
    result('lsm', 'engine', 'fillrandom', 300),
    result('lsm', 'engine', 'fillrandom-traced', 150),
    result('classic-level', 'peer', 'readrandom', 200),
    result('classic-level', 'peer', 'fillbatch', 600),
    result('limit-map', 'limit', 'readrandom', 1000),
    result('limit-append', 'limit', 'fillrandom', 1200),
  ];

  it('divides each engine by its peer and by each limit, on the same workload', () => {
    const r = ratios(results);
    expect(r).toContainEqual({ engine: 'lsm', workload: 'readrandom', against: 'classic-level', ratio: 0.5 });
    expect(r).toContainEqual({ engine: 'lsm', workload: 'readrandom', against: 'limit-map', ratio: 0.1 });
    expect(r).toContainEqual({ engine: 'lsm', workload: 'fillrandom', against: 'limit-append', ratio: 0.25 });
    expect(r.some((x) => x.workload === 'fillrandom-traced')).toBe(false);
  });

  it('reports tracing as traced over untraced throughput, and untraced over bare', () => {
    expect(tracing(results)).toEqual([{ engine: 'lsm', untracedOpsPerSec: 300, tracedOpsPerSec: 150, ratio: 0.5 }]);
    const paired = { rounds: 5, items: 100, wrappedOpsPerSec: 300, bareOpsPerSec: 400 };
    const withBare = [...results, result('lsm', 'engine', 'fillrandom-bare', 400, { paired })];
    expect(tracing(withBare)).toEqual([
      {
        engine: 'lsm',
        untracedOpsPerSec: 300,
        tracedOpsPerSec: 150,
        ratio: 0.5,
        pairedWrappedOpsPerSec: 300,
        bareOpsPerSec: 400,
        noListenerRatio: 0.75,
      },
    ]);
    expect(
      targets(withBare, 1000, 100).find((x) => x.goal === 'lsm with no trace listener vs bare file system'),
    ).toMatchObject({ measured: 0.75, required: 0.97, met: false });
  });

  it('checks the goals of the engines that ran, leaving a goal open when a figure is missing', () => {
    const t = targets(results, 1000, 100);
    expect(t.every((x) => x.engine === 'lsm')).toBe(true);
    expect(t.find((x) => x.goal === 'lsm puts vs classic-level batched puts')).toMatchObject({
      measured: 0.5,
      required: 1,
      met: false,
    });
    expect(t.find((x) => x.goal === 'lsm gets vs classic-level getSync')).toMatchObject({ measured: 0.5, met: false });
    expect(t.find((x) => x.goal === 'lsm full scan vs classic-level iterator')).toMatchObject({
      measured: null,
      met: null,
    });
  });

  it('checks the snapshot save and load times only at 100,000 pairs of 100 bytes', () => {
    const snap = [
      result('snapshot', 'engine', 'fillrandom', 50_000, { syncMs: 300 }),
      result('snapshot', 'engine', 'reopen', 100_000, { seconds: 0.7 }),
    ];
    expect(targets(snap, 1000, 100).some((x) => x.unit === 's')).toBe(false);
    const t = targets(snap, 100_000, 100);
    expect(t.find((x) => x.goal === 'snapshot save of 100k pairs')).toMatchObject({ measured: 0.3, met: true });
    expect(t.find((x) => x.goal === 'snapshot load of 100k pairs')).toMatchObject({ measured: 0.7, met: false });
  });
});
