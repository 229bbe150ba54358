/**
 * crash-search.ts: the grader's crash test. Short random workloads are cut by a power loss at
 * every file-system call, torn between operations at chosen bytes, and given a failing fsync;
 * every recovery must keep the durability rule (durability.ts). The first workload that breaks
 * it is shrunk to the shortest one that still does, and its crash point is named.
 */
import { MemoryFileSystem, isKVError } from '../../engines/index.js';
import type { PowerLossOptions } from '../../engines/index.js';
import { Rng } from '../../test/util/rng.js';
import { randomWorkload, SMALL_SHAPE, type Step } from '../../test/util/workload.js';
import { recoveryVerdict, runUntilCrash } from '../durability.js';
import type { Subject } from '../subject.js';
import { explain } from '../check.js';
import { shrink } from './shrink.js';

/** The three ways the crash test cuts a workload. */
export type CrashMode = 'power loss at every file-system call' | 'torn write between operations' | 'failing fsync';
export const CRASH_MODES: CrashMode[] = [
  'power loss at every file-system call',
  'torn write between operations',
  'failing fsync',
];

/** One crash of one workload: where it was cut, and what the rule says. */
interface Cut {
  point: string;
  problem: string;
}

/** What the crash test found, per mode. */
export interface CrashVerdict {
  mode: CrashMode;
  workloads: number;
  crashes: number;
  failure?: { seed: number; workload: Step[]; point: string; problem: string };
}

type Open = (fs: MemoryFileSystem) => ReturnType<Subject['open']>;

/** How many file-system calls `steps` makes, and how many writes are pending at the end. */
function dryRun(open: Open, steps: Step[]): { calls: number; error: unknown } {
  const fs = new MemoryFileSystem();
  const out = runUntilCrash(() => open(fs), steps);
  try {
    out.db?.close();
  } catch {
    // Only the count matters.
  }
  return { calls: fs.calls, error: out.error };
}

/** The power losses after a crash: nothing unsynced kept, everything kept, the last write torn in half. */
const LOSSES: [string, (fs: MemoryFileSystem) => PowerLossOptions][] = [
  ['unsynced writes dropped', () => ({ keepWrites: 0 })],
  ['every write kept', (fs) => ({ keepWrites: fs.pendingWrites(), keepDirChanges: true })],
  [
    'the last write torn in half',
    (fs) => ({
      keepWrites: Math.max(0, fs.pendingWrites() - 1),
      tornBytes: Math.floor(fs.pendingWriteLength(Math.max(0, fs.pendingWrites() - 1)) / 2),
    }),
  ],
];

/** Every cut of `steps` in `mode` that breaks the rule (stops at the first); the number of cuts tried. */
function cuts(open: Open, steps: Step[], mode: CrashMode): { bad?: Cut; tried: number } {
  let tried = 0;
  if (mode === 'power loss at every file-system call') {
    const { calls } = dryRun(open, steps);
    for (let call = 0; call < calls; call++) {
      for (const [lossName, loss] of LOSSES) {
        const fs = new MemoryFileSystem();
        fs.injectFault({ call: 'any', skip: call, times: Infinity, crash: true });
        const out = runUntilCrash(() => open(fs), steps);
        tried++;
        const died =
          out.error instanceof Error
            ? out.error.message
            : `the workload's steps made fewer calls (the rest is its close)`;
        if (out.error !== undefined && !isKVError(out.error, 'KV_IO'))
          return {
            tried,
            bad: {
              point: `file-system call ${call + 1} of ${calls} (${died})`,
              problem: `the engine threw ${explain(out.error).split('\n')[0]} instead of KV_IO`,
            },
          };
        fs.clearFaults();
        fs.powerLoss(loss(fs));
        const problem = recoveryVerdict(() => open(fs), out);
        if (problem)
          return {
            tried,
            bad: { point: `file-system call ${call + 1} of ${calls}: ${died}; then power lost, ${lossName}`, problem },
          };
      }
    }
  } else if (mode === 'torn write between operations') {
    for (let cut = 1; cut <= steps.length; cut++) {
      const probe = new MemoryFileSystem();
      const head = steps.slice(0, cut);
      const p = runUntilCrash(() => open(probe), head);
      if (p.error !== undefined)
        return {
          tried,
          bad: { point: `after step ${cut}`, problem: `the workload threw ${explain(p.error).split('\n')[0]}` },
        };
      const pending = probe.pendingWrites();
      for (let w = 0; w < pending; w++) {
        const len = probe.pendingWriteLength(w);
        for (const t of new Set([0, 1, len >> 1, len - 1].filter((x) => x >= 0 && x < len))) {
          const fs = new MemoryFileSystem();
          const out = runUntilCrash(() => open(fs), head);
          tried++;
          fs.powerLoss({ keepWrites: w, tornBytes: t });
          const problem = recoveryVerdict(() => open(fs), out);
          if (problem)
            return {
              tried,
              bad: {
                point: `power lost after step ${cut}: ${w} unsynced writes landed, write ${w + 1} (${len} bytes) torn after byte ${t}`,
                problem,
              },
            };
        }
      }
    }
  } else {
    const withSync: Step[] = [...steps, { type: 'sync' }];
    for (let skip = 0; skip < 6; skip++) {
      const fs = new MemoryFileSystem();
      fs.injectFault({ call: 'sync', skip, errno: 'EIO' });
      const out = runUntilCrash(() => open(fs), withSync);
      tried++;
      if (out.error === undefined) break; // the workload made fewer fsyncs than that
      const point = `fsync ${skip + 1} failed with EIO`;
      if (!isKVError(out.error, 'KV_IO'))
        return {
          tried,
          bad: {
            point,
            problem: `the engine threw ${explain(out.error).split('\n')[0]}; a failed fsync must be KV_IO`,
          },
        };
      if (out.db) {
        let refused: unknown;
        try {
          out.db.put('x', 'y');
          out.db.sync();
        } catch (e) {
          refused = e;
        }
        try {
          out.db.close();
        } catch {
          // A failed store may refuse to close cleanly.
        }
        if (!isKVError(refused, 'KV_IO') && out.ran < withSync.length && withSync[out.ran]!.type !== 'reopen')
          return {
            tried,
            bad: {
              point,
              problem:
                'after the failed fsync the store accepted a write and a sync: the lost pages would be reported durable',
            },
          };
      }
      fs.clearFaults();
      fs.powerLoss({ keepWrites: 0 });
      const problem = recoveryVerdict(() => open(fs), out);
      if (problem) return { tried, bad: { point: `${point}; then power lost`, problem } };
    }
  }
  return { tried };
}

/** Runs `workloads` random workloads in `mode`; shrinks the first one that breaks the rule. */
export function crashSearch(
  subject: Subject,
  tuning: Record<string, unknown>,
  mode: CrashMode,
  workloads = 12,
  seed = 4242,
): CrashVerdict {
  const open: Open = (fs) => subject.open({ ...tuning, fs, dir: '/crash' });
  let crashes = 0;
  for (let w = 0; w < workloads; w++) {
    const rng = new Rng(seed + w);
    const steps = randomWorkload(rng, 4 + rng.int(20), SMALL_SHAPE);
    const r = cuts(open, steps, mode);
    crashes += r.tried;
    if (!r.bad) continue;
    const small = shrink(steps, (xs) => cuts(open, xs, mode).bad !== undefined, 300);
    const bad = cuts(open, small, mode).bad!;
    return {
      mode,
      workloads: w + 1,
      crashes,
      failure: { seed: seed + w, workload: small, point: bad.point, problem: bad.problem },
    };
  }
  return { mode, workloads, crashes };
}
