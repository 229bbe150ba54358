/**
 * compaction-strategy.ts: the two ways the lsm engine compacts, behind one small interface,
 * chosen by the `compaction` option: 'leveled' (compaction.ts, LevelDB's) or 'tiered'
 * (compaction-tiered.ts, Cassandra's size-tiered). The store asks its strategy what to merge
 * next and how to merge it; flushing, committing the edit and deleting the inputs are the
 * store's, the same for both. Both read any valid version, so a store written under one
 * strategy opens under the other (FORMAT.md, "Compaction strategies").
 */
import { tableName } from './format.js';
import {
  keyRange,
  pickCompaction,
  planFor,
  runCompaction,
  type CompactionContext,
  type CompactionOptions,
  type CompactionPlan,
  type CompactionResult,
} from './compaction.js';
import {
  buckets,
  fullTieredStep,
  pickTiered,
  runTieredCompaction,
  sortedRuns,
  type TieredOptions,
} from './compaction-tiered.js';
import type { LsmEvent } from './events.js';
import type { Version } from './version.js';

/** The strategy names the `compaction` option takes. */
export const STRATEGIES = ['leveled', 'tiered'] as const;
export type StrategyName = (typeof STRATEGIES)[number];

/** What a strategy decides. */
export interface CompactionStrategy {
  readonly name: StrategyName;
  /** The job the tree needs most, or undefined when it needs none. */
  pick(v: Version): CompactionPlan | undefined;
  /** Runs compact(): `job` runs a plan and commits it; `current` is the version after the last job. */
  full(current: () => Version, job: (plan: CompactionPlan) => void): void;
  /** Merges a plan's inputs into new tables (not yet installed). */
  run(plan: CompactionPlan, ctx: CompactionContext): CompactionResult;
  /** Called once a plan is picked, before it runs (leveled moves its round-robin pointer). */
  picked(plan: CompactionPlan): void;
  /** A trace event picturing what the picker saw, or undefined. */
  picture(v: Version): LsmEvent | undefined;
}

/** The strategy the options name. */
export function strategyFor(o: CompactionOptions & TieredOptions & { compaction: StrategyName }): CompactionStrategy {
  return o.compaction === 'tiered' ? tiered(o) : leveled(o);
}

/** LevelDB's leveled compaction (compaction.ts). */
function leveled(o: CompactionOptions): CompactionStrategy {
  /** Per level: the largest key of its last compaction (the round-robin pointer). */
  const pointers: (Uint8Array | undefined)[] = [];
  const pick = (v: Version): CompactionPlan | undefined => pickCompaction(v, o, pointers, new Set());
  return {
    name: 'leveled',
    pick,
    full(current, job) {
      // Every level merged into the next, down to the deepest; then sizes settled.
      const bottom = Math.max(1, current().deepest());
      for (let level = 0; level < bottom; level++) {
        const files = current().levels[level]!;
        if (files.length > 0) job(planFor(current(), level, files.slice(), 'manual', 0, o));
      }
      for (let plan = pick(current()); plan; plan = pick(current())) job(plan);
    },
    run: runCompaction,
    picked(plan) {
      pointers[plan.level] = keyRange(plan.inputs)[1];
    },
    picture: () => undefined,
  };
}

/** Size-tiered compaction (compaction-tiered.ts). */
function tiered(o: TieredOptions): CompactionStrategy {
  return {
    name: 'tiered',
    pick: (v) => pickTiered(v, o),
    full(current, job) {
      for (let plan = fullTieredStep(current()); plan; plan = fullTieredStep(current())) job(plan);
    },
    run: runTieredCompaction,
    picked: () => undefined,
    picture(v) {
      const runs = sortedRuns(v);
      const name = (i: number): string =>
        runs[i]!.level === 0 ? tableName(runs[i]!.files[0]!.number) : `L${runs[i]!.level}`;
      return {
        type: 'lsm.compaction.runs',
        runs: runs.length,
        minThreshold: o.tieredMinThreshold,
        maxRuns: o.tieredMaxRuns,
        buckets: buckets(runs).map((b) => ({
          runs: Array.from({ length: b.last - b.first + 1 }, (_, k) => name(b.first + k)),
          averageBytes: Math.round(b.averageBytes),
        })),
      };
    },
  };
}
