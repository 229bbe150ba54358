/**
 * results.ts: the results JSON (schema in bench/README.md), the machine description, and
 * writing it. The site charts the committed bench/results/latest.json.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { SubjectKind } from './adapter.js';
import type { LatencySummary } from './histogram.js';
import type { WorkloadName } from './workloads.js';

/** The version of this file's shape; bump it when a field changes meaning. */
export const SCHEMA_VERSION = 1;

/** The machine a run was measured on. */
export interface Machine {
  cpus: number;
  cpuModel: string;
  memoryBytes: number;
  platform: string;
  arch: string;
  node: string;
  /** The 1, 5 and 15 minute load averages when the run started (other work skews the figures). */
  loadAverage: number[];
  /** What one performance.now() costs here, in ns; every timed op pays two. */
  clockNs: number;
}

/** One subject's fate in a run. */
export interface SubjectReport {
  name: string;
  kind: SubjectKind;
  status: 'ok' | 'skipped' | 'failed';
  /** Why it was skipped or failed. */
  reason?: string;
  version?: string;
  /** The child process's peak resident set (the OS's maxRSS) and peak JS heap seen. */
  peakRssBytes?: number;
  peakHeapBytes?: number;
  seconds?: number;
}

/** One subject on one workload. */
export interface WorkloadResult {
  subject: string;
  kind: SubjectKind;
  workload: WorkloadName;
  status: 'ok' | 'n/a' | 'failed';
  reason?: string;
  /** Ops done (see the workload: pairs for readseq, items for fillbatch, keys recovered for reopen). */
  ops: number;
  seconds: number;
  opsPerSec: number;
  /** What one latency sample is: an op, a batch, a whole scan, an open. */
  latencyUnit: 'op' | 'batch' | 'scan' | 'open';
  latency: LatencySummary;
  /** Time of the final sync() of a writing workload (inside `seconds`). */
  syncMs?: number;
  /** fillrandom-bare only: medians of alternating small fills through the wrapper and bare (tracing-cost.ts). */
  paired?: { rounds: number; items: number; wrappedOpsPerSec: number; bareOpsPerSec: number };
  /** True when the time cap stopped the workload before all its planned ops. */
  capped?: boolean;
  /** Time to open the store this workload started from, when it opened one. */
  openMs?: number;
  bytesWritten: number;
  bytesRead: number;
  userBytesWritten: number;
  syncs: number | null;
  /** bytesWritten / userBytesWritten (writing workloads). */
  writeAmp: number | null;
  /** bytesRead / gets (workloads that get). */
  readBytesPerGet: number | null;
  /** diskBytes / liveBytes after the workload. */
  spaceAmp: number | null;
  diskBytes: number;
  liveKeys: number;
  liveBytes: number;
  /** The engine's own count of its keys (a check against liveKeys). */
  engineLiveKeys?: number;
  engineMemoryBytes?: number;
  gets?: number;
  found?: number;
  pairs?: number;
  peakRssBytes: number;
  peakHeapBytes: number;
  /** Where bytesWritten/bytesRead come from: engine stats(), /proc/self/io, the adapter, or nowhere. */
  ioSource: 'engine' | 'proc' | 'self' | 'none';
}

/** A throughput ratio for the report. */
export interface Ratio {
  engine: string;
  workload: WorkloadName;
  against: string;
  ratio: number;
}

/** A goal from issue 8, checked. */
export interface TargetCheck {
  goal: string;
  engine: string;
  /** 'x': a throughput ratio that must be at least `required`; 's': seconds that must be at most it. */
  unit: 'x' | 's';
  measured: number | null;
  required: number;
  /** null when a figure it needs is missing (a subject skipped or a workload not run). */
  met: boolean | null;
}

/** The whole file. */
export interface BenchResults {
  schema: number;
  date: string;
  machine: Machine;
  options: {
    subjects: string[];
    workloads: WorkloadName[];
    keys: number;
    keyBytes: number;
    valueBytes: number;
    quick: boolean;
    seed: number;
    capSeconds: number;
  };
  durationSeconds: number;
  subjects: SubjectReport[];
  results: WorkloadResult[];
  /** Each engine's ops/s divided by its peer's and by the limits', per workload. */
  ratios: Ratio[];
  /**
   * Per engine: `ratio` = fillrandom-traced / fillrandom ops/s (the cost of a listener);
   * `noListenerRatio` = pairedWrappedOpsPerSec / bareOpsPerSec, the medians of fillrandom-bare's
   * paired fills (the cost of the wrapper with no listener; 1.0 means free). Either is absent
   * when its workloads did not run.
   */
  tracing: {
    engine: string;
    untracedOpsPerSec: number;
    tracedOpsPerSec?: number;
    ratio?: number;
    pairedWrappedOpsPerSec?: number;
    bareOpsPerSec?: number;
    noListenerRatio?: number;
  }[];
  targets: TargetCheck[];
}

/** Describes this machine. */
export function machine(): Machine {
  const cpus = os.cpus();
  return {
    cpus: typeof os.availableParallelism === 'function' ? os.availableParallelism() : cpus.length,
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    memoryBytes: os.totalmem(),
    platform: os.platform(),
    arch: os.arch(),
    node: process.version,
    loadAverage: os.loadavg().map((x) => Math.round(x * 100) / 100),
    clockNs: clockCost(),
  };
}

/** Measures the cost of one performance.now() call (the best of a few rounds). */
export function clockCost(): number {
  let best = Infinity;
  for (let round = 0; round < 5; round++) {
    const n = 100_000;
    let sink = 0;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) sink += performance.now();
    const ns = ((performance.now() - t0) * 1e6) / n;
    if (sink > 0 && ns < best) best = ns;
  }
  return Math.round(best);
}

/** Writes the results as indented JSON, creating the directory. */
export function writeResults(file: string, results: BenchResults): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(results, null, 2) + '\n');
}
