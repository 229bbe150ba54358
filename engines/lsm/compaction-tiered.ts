/**
 * compaction-tiered.ts: size-tiered compaction (Cassandra's SizeTieredCompactionStrategy,
 * RocksDB's universal compaction), the `compaction: 'tiered'` strategy.
 *
 * Sorted runs. A run is a set of tables that together hold at most one entry per key: each
 * level-0 table is one run, and each non-empty deeper level is one run (deeper levels only
 * exist in a store that was once leveled). Runs are ordered by age: the level-0 tables newest
 * first (Version keeps level 0 in sequence order), then levels 1, 2, ... A tiered merge always
 * takes runs that are next to each other in that order, so its output covers one unbroken
 * stretch of sequence numbers and takes the place of its inputs in the order (RocksDB's
 * universal compaction does the same; Cassandra's STCS can merge any runs because every cell
 * carries a timestamp it reconciles by).
 *
 * Picking (after Cassandra's getBuckets and mostInterestingBucket).
 *   1. Buckets: walking the runs newest first, a run joins the current bucket when its size is
 *      within [BUCKET_LOW, BUCKET_HIGH] times the bucket's average size; otherwise it starts a
 *      new bucket. So runs of similar size, next to each other in age, share a bucket.
 *   2. A bucket of at least tieredMinThreshold runs is merged: the one with the smallest
 *      average (the cheapest merge; Cassandra prefers the most-read bucket, and we have no read
 *      rates), at most tieredMaxThreshold of its newest runs.
 *   3. If no bucket is ready and there are more than tieredMaxRuns runs, neighbouring runs are
 *      merged whatever their sizes, enough of them to come back to tieredMaxRuns, choosing the
 *      window with the fewest bytes (RocksDB's universal compaction also merges runs to bound
 *      their number, since every get may have to look in every run: read amplification).
 *
 * Where the output goes. A merge of level-0 runs only writes one level-0 table: its sequence
 * numbers place it exactly where its inputs were. A merge that reaches a deeper run writes into
 * that run's level (the levels between are empty, since runs are contiguous), and takes at most
 * two levels' runs, so a plan is always "tables of `level` + every table of `outputLevel`", the
 * shape leveled plans have. Outputs are never cut by size: a run stays one table.
 *
 * Tombstones. A tombstone is dropped only when the merge includes the oldest run: then no
 * older value is left anywhere for it to hide. Until then it is kept, however many merges it
 * goes through, which is why a tiered store holds tombstones (and overwritten values) longer,
 * its space amplification.
 *
 * The pause. The store runs tiered merges inside the write that fills the memtable, at most
 * MAX_JOBS_PER_PAUSE of them, as it does leveled jobs; but a tiered job is not bounded by a
 * table size: merging the bucket of the biggest runs rewrites most of the store at once (as a
 * Cassandra major-size compaction does). Writing each byte fewer times, in bigger merges, is the
 * trade this strategy makes.
 *
 * compact() merges everything into one run, one plan per step (fullTieredStep), dropping every
 * tombstone in the last step.
 */
import { KIND_DELETE, LEVELS, type FileMeta } from './format.js';
import { MergingIterator } from './merge.js';
import type { CompactionContext, CompactionPlan, CompactionResult } from './compaction.js';
import type { Version } from './version.js';

/** A run joins a bucket when its size is at least this times the bucket's average (Cassandra's bucket_low). */
export const BUCKET_LOW = 0.5;
/** ... and at most this times it (Cassandra's bucket_high). */
export const BUCKET_HIGH = 1.5;

/** The tiered strategy's tuning. */
export interface TieredOptions {
  tieredMinThreshold: number;
  tieredMaxThreshold: number;
  tieredMaxRuns: number;
}

/** One sorted run: a level-0 table, or a whole deeper level. */
export interface SortedRun {
  level: number;
  files: FileMeta[];
  bytes: number;
}

/** The sorted runs of a version, newest first. */
export function sortedRuns(v: Version): SortedRun[] {
  const runs: SortedRun[] = [];
  // Level 0 is kept oldest first; each table is a run of its own.
  const l0 = v.levels[0]!;
  for (let i = l0.length - 1; i >= 0; i--) runs.push({ level: 0, files: [l0[i]!], bytes: l0[i]!.size });
  for (let level = 1; level < LEVELS; level++) {
    const files = v.levels[level]!;
    if (files.length > 0) runs.push({ level, files, bytes: v.levelBytes(level) });
  }
  return runs;
}

/** A bucket: runs first..last (indices into the newest-first run list) of similar size. */
export interface Bucket {
  first: number;
  last: number;
  averageBytes: number;
}

/** Groups neighbouring runs of similar size into buckets (step 1 of the header). */
export function buckets(runs: readonly SortedRun[]): Bucket[] {
  const out: Bucket[] = [];
  let cur: { first: number; last: number; total: number } | undefined;
  for (let i = 0; i < runs.length; i++) {
    const size = runs[i]!.bytes;
    const avg = cur ? cur.total / (cur.last - cur.first + 1) : 0;
    if (cur && size >= avg * BUCKET_LOW && size <= avg * BUCKET_HIGH) {
      cur.last = i;
      cur.total += size;
      continue;
    }
    if (cur) out.push({ first: cur.first, last: cur.last, averageBytes: cur.total / (cur.last - cur.first + 1) });
    cur = { first: i, last: i, total: size };
  }
  if (cur) out.push({ first: cur.first, last: cur.last, averageBytes: cur.total / (cur.last - cur.first + 1) });
  return out;
}

/**
 * The plan that merges runs first..last (newest-first indices). The window is shortened, from
 * its old end, to take at most two levels: level-0 runs and one deeper run, or two deeper runs.
 */
export function windowPlan(
  runs: readonly SortedRun[],
  first: number,
  last: number,
  reason: CompactionPlan['reason'],
  score: number,
): CompactionPlan {
  // Step 1: shorten the window to at most two levels.
  let end = first;
  const levels = new Set<number>([runs[first]!.level]);
  while (end < last && (levels.has(runs[end + 1]!.level) || levels.size < 2)) {
    end++;
    levels.add(runs[end]!.level);
  }
  const picked = runs.slice(first, end + 1);
  const l0 = picked.filter((r) => r.level === 0).map((r) => r.files[0]!);
  const deep = picked.filter((r) => r.level > 0);
  // Step 2: inputs from the newest level, the rest from the output level.
  const includesOldest = end === runs.length - 1;
  if (l0.length > 0) {
    const out = deep[0];
    return {
      reason,
      level: 0,
      outputLevel: out?.level ?? 0,
      inputs: l0.reverse(),
      overlapping: out?.files.slice() ?? [],
      score,
      trivialMove: false,
      includesOldest,
    };
  }
  const [a, b] = deep;
  return {
    reason,
    level: a!.level,
    outputLevel: b?.level ?? a!.level,
    inputs: a!.files.slice(),
    overlapping: b?.files.slice() ?? [],
    score,
    trivialMove: false,
    includesOldest,
  };
}

/** The merge the runs need most (steps 2 and 3 of the header), or undefined. */
export function pickTiered(v: Version, o: TieredOptions): CompactionPlan | undefined {
  const runs = sortedRuns(v);
  // Step 2: the ready bucket with the smallest runs.
  let best: Bucket | undefined;
  for (const b of buckets(runs)) {
    if (b.last - b.first + 1 < o.tieredMinThreshold) continue;
    if (!best || b.averageBytes < best.averageBytes) best = b;
  }
  if (best) {
    const count = best.last - best.first + 1;
    const last = Math.min(best.last, best.first + o.tieredMaxThreshold - 1);
    return windowPlan(runs, best.first, last, 'tiered-size', count / o.tieredMinThreshold);
  }
  // Step 3: too many runs: merge enough neighbouring runs to come back to the bound, the
  // window of them with the fewest bytes (the cheapest merge that does it).
  if (runs.length > o.tieredMaxRuns) {
    const take = Math.max(2, runs.length - o.tieredMaxRuns + 1);
    let first = 0;
    let bytes = Infinity;
    for (let i = 0; i + take <= runs.length; i++) {
      let sum = 0;
      for (let k = i; k < i + take; k++) sum += runs[k]!.bytes;
      if (sum < bytes) [first, bytes] = [i, sum];
    }
    return windowPlan(runs, first, first + take - 1, 'tiered-runs', runs.length / o.tieredMaxRuns);
  }
  return undefined;
}

/**
 * The next step of a full compaction (compact()): merge the newest runs (at most two levels at
 * a time, see windowPlan) until one run is left with no tombstone; undefined when done.
 */
export function fullTieredStep(v: Version): CompactionPlan | undefined {
  const runs = sortedRuns(v);
  if (runs.length === 0) return undefined;
  if (runs.length === 1 && runs[0]!.files.every((f) => f.tombstones === 0)) return undefined;
  return windowPlan(runs, 0, runs.length - 1, 'manual', 0);
}

/**
 * Merges a tiered plan's runs into one table of the output level (not yet installed). The
 * newest entry of each key wins; a tombstone is dropped only when the oldest run is merged.
 */
export function runTieredCompaction(plan: CompactionPlan, ctx: CompactionContext): CompactionResult {
  const sources = [
    ...plan.inputs.map((f) => ctx.entries(plan.level, f)),
    ...plan.overlapping.map((f) => ctx.entries(plan.outputLevel, f)),
  ];
  const merge = new MergingIterator(sources, false);
  const res: CompactionResult = {
    outputs: [],
    entriesIn: 0,
    entriesOut: 0,
    shadowed: 0,
    tombstonesDropped: 0,
    bytesIn: 0,
    bytesOut: 0,
  };
  for (const f of [...plan.inputs, ...plan.overlapping]) res.bytesIn += f.size;
  let out: ReturnType<CompactionContext['newTable']> | undefined;
  try {
    for (const e of merge) {
      // Nothing older than the oldest run: a tombstone there hides nothing.
      if (e.kind === KIND_DELETE && plan.includesOldest) {
        res.tombstonesDropped++;
        continue;
      }
      out ??= ctx.newTable();
      out.add(e);
      res.entriesOut++;
    }
    if (out) res.outputs.push(out.finish());
    out = undefined;
  } catch (e) {
    out?.abandon();
    throw e;
  } finally {
    merge.return();
  }
  res.entriesIn = merge.read;
  res.shadowed = merge.shadowed;
  for (const f of res.outputs) res.bytesOut += f.size;
  return res;
}
