/**
 * compaction.ts: leveled compaction (LevelDB's version_set.cc PickCompaction and
 * db_impl.cc DoCompactionWork).
 *
 * Picking. Each level gets a score (version.ts): level 0 by its file count over
 * l0CompactionTrigger, deeper levels by bytes over their target. The level with the highest
 * score >= 1 is compacted into the next one:
 *   - level 0: every level-0 table (their ranges overlap, so they go together);
 *   - level n >= 1: one table, the first after where the last compaction of that level
 *     stopped (a round-robin "compact pointer"), so the whole key space is visited in turn;
 * plus every table of level n+1 whose key range overlaps the inputs' range.
 * A single input with nothing to merge under it is moved down by a manifest edit alone
 * (a "trivial move"), with no bytes rewritten.
 *
 * Merging. A merging iterator over the inputs yields the newest entry of each key; older
 * versions are dropped. A tombstone is dropped too when no deeper level may hold the key
 * (the output level is the key's base level): nothing is left for it to hide. Outputs are cut
 * into tables of about targetFileBytes, and early when a table would overlap more than
 * 10 * targetFileBytes of the level below the output (so a later compaction of it stays small).
 */
import { compareBytes } from '../bytes.js';
import { KIND_DELETE, LEVELS, type Entry, type FileMeta } from './format.js';
import { MergingIterator } from './merge.js';
import type { TableWriter } from './table-writer.js';
import { scores, type LevelOptions, type Version } from './version.js';
import type { CompactionReason } from './events.js';

/** What a compaction will read and where it writes. */
export interface CompactionPlan {
  reason: CompactionReason;
  level: number;
  outputLevel: number;
  /** Tables of `level`. */
  inputs: FileMeta[];
  /** Tables of `outputLevel` overlapping the inputs. */
  overlapping: FileMeta[];
  score: number;
  /** True when the single input simply moves down a level. */
  trivialMove: boolean;
  /** Tiered: true when the inputs include the oldest run, so tombstones can be dropped. */
  includesOldest?: boolean;
}

/** Compaction tuning. */
export interface CompactionOptions extends LevelOptions {
  targetFileBytes: number;
}

/** The most bytes of grandparent (output level + 1) tables one output table may overlap. */
export function maxGrandparentOverlap(o: CompactionOptions): number {
  return 10 * o.targetFileBytes;
}

/** The smallest and largest keys of a set of tables. */
export function keyRange(files: readonly FileMeta[]): [Uint8Array, Uint8Array] {
  let lo = files[0]!.smallest;
  let hi = files[0]!.largest;
  for (const f of files) {
    if (compareBytes(f.smallest, lo) < 0) lo = f.smallest;
    if (compareBytes(f.largest, hi) > 0) hi = f.largest;
  }
  return [lo, hi];
}

/** Builds the plan that compacts `inputs` of `level` into the next level. */
export function planFor(
  v: Version,
  level: number,
  inputs: FileMeta[],
  reason: CompactionReason,
  score: number,
  o: CompactionOptions,
): CompactionPlan {
  const [lo, hi] = keyRange(inputs);
  const outputLevel = level + 1;
  const overlapping = v.overlapping(outputLevel, lo, hi);
  let trivialMove = false;
  if (inputs.length === 1 && overlapping.length === 0 && (reason !== 'manual' || inputs[0]!.tombstones === 0)) {
    // Moving is safe when the table would not overlap too much of the level below the output.
    const grand = outputLevel + 1 < LEVELS ? v.overlapping(outputLevel + 1, lo, hi) : [];
    trivialMove = grand.reduce((n, f) => n + f.size, 0) <= maxGrandparentOverlap(o);
  }
  return { reason, level, outputLevel, inputs, overlapping, score, trivialMove };
}

/**
 * The compaction the version needs most, or undefined if every level is within its target.
 * `pointers[n]` is the largest key of the last compaction of level n; `skip` lists levels
 * already compacted during this pause.
 */
export function pickCompaction(
  v: Version,
  o: CompactionOptions,
  pointers: (Uint8Array | undefined)[],
  skip: ReadonlySet<number>,
): CompactionPlan | undefined {
  const s = scores(v, o);
  let level = -1;
  for (let l = 0; l < LEVELS - 1; l++) {
    if (s[l]! >= 1 && !skip.has(l) && (level < 0 || s[l]! > s[level]!)) level = l;
  }
  if (level < 0) return undefined;
  if (level === 0) return planFor(v, 0, v.levels[0]!.slice(), 'l0-files', s[0]!, o);
  // Round robin: the first table past the compact pointer, wrapping to the first.
  const files = v.levels[level]!;
  const ptr = pointers[level];
  const pick = (ptr && files.find((f) => compareBytes(f.largest, ptr) > 0)) || files[0]!;
  return planFor(v, level, [pick], 'level-size', s[level]!, o);
}

/** What running a compaction produced. */
export interface CompactionResult {
  outputs: FileMeta[];
  entriesIn: number;
  entriesOut: number;
  shadowed: number;
  tombstonesDropped: number;
  bytesIn: number;
  bytesOut: number;
}

/** What a compaction needs from the store. */
export interface CompactionContext {
  version: Version;
  options: CompactionOptions;
  /** The entries of a table, in key order. */
  entries(level: number, f: FileMeta): Iterator<Entry>;
  /** Starts a new output table (allocating its file number). */
  newTable(): TableWriter;
}

/** Merges a plan's inputs into new tables of the output level (not yet installed). */
export function runCompaction(plan: CompactionPlan, ctx: CompactionContext): CompactionResult {
  const { version: v, options: o } = ctx;
  // One source per input table; the merge yields the newest entry per key.
  const sources = [
    ...plan.inputs.map((f) => ctx.entries(plan.level, f)),
    ...plan.overlapping.map((f) => ctx.entries(plan.outputLevel, f)),
  ];
  const merge = new MergingIterator(sources, false);
  const grand = plan.outputLevel + 1 < LEVELS ? v.levels[plan.outputLevel + 1]! : [];
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
  let out: TableWriter | undefined;
  let gi = 0;
  let overlapped = 0;
  let seenKey = false;
  try {
    for (const e of merge) {
      // A tombstone at the key's base level has nothing left to hide: drop it.
      if (e.kind === KIND_DELETE && v.isBaseLevelForKey(plan.outputLevel, e.key)) {
        res.tombstonesDropped++;
        continue;
      }
      // Cut the output early if it already overlaps too much of the grandparent level.
      while (gi < grand.length && compareBytes(e.key, grand[gi]!.largest) > 0) {
        if (seenKey) overlapped += grand[gi]!.size;
        gi++;
      }
      seenKey = true;
      if (out && overlapped > maxGrandparentOverlap(o)) {
        res.outputs.push(out.finish());
        out = undefined;
      }
      if (!out) {
        out = ctx.newTable();
        overlapped = 0;
      }
      out.add(e);
      res.entriesOut++;
      // Cut at the target size.
      if (out.estimate() >= o.targetFileBytes) {
        res.outputs.push(out.finish());
        out = undefined;
      }
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
