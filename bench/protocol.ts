/**
 * protocol.ts: the messages between the parent (runner.ts) and a subject's child process
 * (child.ts), over Node's IPC channel. The child streams one `result` per workload, so
 * a child that dies or times out still leaves the workloads it finished.
 */
import type { WorkloadResult } from './results.js';
import type { WorkloadName } from './workloads.js';

/** What the parent tells a child to do (passed as JSON in argv). */
export interface ChildJob {
  mode: 'run';
  subject: string;
  workloads: WorkloadName[];
  keys: number;
  valueBytes: number;
  seed: number;
  capSeconds: number;
  /** A scratch directory the child owns and removes. */
  dir: string;
}

/** What the reopen workload asks a grandchild to do: fill, sync, then die without closing. */
export interface CrashFillJob {
  mode: 'crashfill';
  subject: string;
  keys: number;
  valueBytes: number;
  seed: number;
  dir: string;
}

/** Messages from a child. */
export type ChildMessage =
  | { type: 'loaded'; version?: string }
  | { type: 'skipped'; reason: string }
  | { type: 'start'; workload: WorkloadName; total: number }
  | { type: 'progress'; workload: WorkloadName; done: number; total: number; elapsedMs: number }
  | { type: 'result'; result: WorkloadResult }
  | { type: 'done'; peakRssBytes: number; peakHeapBytes: number }
  | { type: 'failed'; reason: string };
