/**
 * ratios.ts: each engine's throughput against its native peer and the two limits, the
 * tracing overhead, and the goals of issue 8, all computed from the workload results.
 *
 * Peers: the LSM engine is LevelDB's kind (classic-level); the B+tree and Bitcask are set
 * against LMDB (a B+tree, and the fastest reads among the peers). The snapshot engine has
 * no native peer; its ceiling is the plain Map.
 */
import type { Ratio, TargetCheck, WorkloadResult, BenchResults } from './results.js';
import type { WorkloadName } from './workloads.js';

/** Each engine's peer. */
export const PEER_OF: Record<string, string | undefined> = {
  snapshot: undefined,
  bitcask: 'lmdb',
  btree: 'lmdb',
  lsm: 'classic-level',
};

/** The ops/s of `subject` on `workload`, or null when it did not run cleanly. */
function rate(results: WorkloadResult[], subject: string, workload: WorkloadName): number | null {
  const r = results.find((x) => x.subject === subject && x.workload === workload && x.status === 'ok');
  return r && r.opsPerSec > 0 ? r.opsPerSec : null;
}

/** The WorkloadResult of `subject` on `workload`, if it ran cleanly. */
function resultOf(results: WorkloadResult[], subject: string, workload: WorkloadName): WorkloadResult | undefined {
  return results.find((x) => x.subject === subject && x.workload === workload && x.status === 'ok');
}

/** Engine / peer and engine / limit throughput ratios for every workload both ran. */
export function ratios(results: WorkloadResult[]): Ratio[] {
  const out: Ratio[] = [];
  const engines = [...new Set(results.filter((r) => r.kind === 'engine').map((r) => r.subject))];
  for (const engine of engines) {
    const others = [PEER_OF[engine], 'limit-map', 'limit-append'].filter((x): x is string => x !== undefined);
    for (const against of others) {
      for (const r of results) {
        if (
          r.subject !== engine ||
          r.status !== 'ok' ||
          r.workload === 'fillrandom-traced' ||
          r.workload === 'fillrandom-bare'
        )
          continue;
        const mine = rate(results, engine, r.workload);
        const theirs = rate(results, against, r.workload);
        if (mine !== null && theirs !== null) out.push({ engine, workload: r.workload, against, ratio: mine / theirs });
      }
    }
  }
  return out;
}

/** Tracing costs for every engine that ran fillrandom and its traced or bare twin. */
export function tracing(results: WorkloadResult[]): BenchResults['tracing'] {
  const out: BenchResults['tracing'] = [];
  const engines = [...new Set(results.filter((r) => r.kind === 'engine').map((r) => r.subject))];
  for (const engine of engines) {
    const untraced = rate(results, engine, 'fillrandom');
    if (untraced === null) continue;
    const traced = rate(results, engine, 'fillrandom-traced');
    const paired = resultOf(results, engine, 'fillrandom-bare')?.paired;
    if (traced === null && !paired) continue;
    out.push({
      engine,
      untracedOpsPerSec: untraced,
      ...(traced !== null ? { tracedOpsPerSec: traced, ratio: traced / untraced } : {}),
      ...(paired
        ? {
            pairedWrappedOpsPerSec: paired.wrappedOpsPerSec,
            bareOpsPerSec: paired.bareOpsPerSec,
            noListenerRatio: paired.wrappedOpsPerSec / paired.bareOpsPerSec,
          }
        : {}),
    });
  }
  return out;
}

/** The goals of issue 8, checked against this run. */
export function targets(results: WorkloadResult[], keys: number, valueBytes: number): TargetCheck[] {
  const out: TargetCheck[] = [];
  /** A goal of the form: engine's rate on `w` >= required x other's rate on `w2`. */
  const ratioGoal = (
    goal: string,
    engine: string,
    w: WorkloadName,
    other: string,
    w2: WorkloadName,
    required: number,
  ): void => {
    const a = rate(results, engine, w);
    const b = rate(results, other, w2);
    const measured = a !== null && b !== null ? a / b : null;
    out.push({ goal, engine, unit: 'x', measured, required, met: measured === null ? null : measured >= required });
  };
  /** A goal of the form: seconds <= required. */
  const timeGoal = (goal: string, engine: string, seconds: number | null, required: number): void => {
    out.push({
      goal,
      engine,
      unit: 's',
      measured: seconds,
      required,
      met: seconds === null ? null : seconds <= required,
    });
  };
  ratioGoal('bitcask puts vs buffered appends', 'bitcask', 'fillrandom', 'limit-append', 'fillrandom', 0.5);
  ratioGoal('bitcask gets vs lmdb gets', 'bitcask', 'readrandom', 'lmdb', 'readrandom', 1.0);
  ratioGoal('lsm puts vs classic-level batched puts', 'lsm', 'fillrandom', 'classic-level', 'fillbatch', 1.0);
  ratioGoal('lsm gets vs classic-level getSync', 'lsm', 'readrandom', 'classic-level', 'readrandom', 1.0);
  ratioGoal('lsm full scan vs classic-level iterator', 'lsm', 'readseq', 'classic-level', 'readseq', 1.0);
  ratioGoal('btree gets vs lmdb gets', 'btree', 'readrandom', 'lmdb', 'readrandom', 1.0);
  ratioGoal('btree batched puts vs lmdb putSync in transactions', 'btree', 'fillbatch', 'lmdb', 'fillbatch', 0.5);
  ratioGoal('snapshot puts vs Map', 'snapshot', 'fillrandom', 'limit-map', 'fillrandom', 0.5);
  // Tracing with no listener costs under 3%: the medians of alternating wrapped and bare fills.
  for (const engine of ['snapshot', 'bitcask', 'btree', 'lsm']) {
    const p = resultOf(results, engine, 'fillrandom-bare')?.paired;
    const measured = p ? p.wrappedOpsPerSec / p.bareOpsPerSec : null;
    out.push({
      goal: `${engine} with no trace listener vs bare file system`,
      engine,
      unit: 'x',
      measured,
      required: 0.97,
      met: measured === null ? null : measured >= 0.97,
    });
  }
  // Save and load of 100,000 pairs of 100 bytes: the fill's final sync is the save, reopen the load.
  if (keys === 100_000 && valueBytes === 100) {
    const fill = resultOf(results, 'snapshot', 'fillrandom');
    const reopen = resultOf(results, 'snapshot', 'reopen');
    timeGoal('snapshot save of 100k pairs', 'snapshot', fill?.syncMs !== undefined ? fill.syncMs / 1000 : null, 0.5);
    timeGoal('snapshot load of 100k pairs', 'snapshot', reopen ? reopen.seconds : null, 0.5);
  }
  // Only the goals whose engine took part.
  const ran = new Set(results.filter((r) => r.status === 'ok').map((r) => r.subject));
  return out.filter((t) => ran.has(t.engine));
}
