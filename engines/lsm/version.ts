/**
 * version.ts: a version, the set of live SSTables per level (LevelDB's version_set.cc).
 *
 * Level 0 holds tables flushed from memtables: their key ranges may overlap, and a newer
 * table (a higher file number) shadows an older one. Levels 1 to 6 each hold tables with
 * disjoint key ranges, sorted by key, so one binary search finds the only table that can
 * hold a key. Each level below 1 may hold `levelSizeMultiplier` times the bytes of the level
 * above it; compaction keeps them near those targets.
 *
 * A version is never changed in place: apply() returns a new one, so the manifest edit that
 * describes the change and the change itself are the same thing.
 *
 * Reads go through the version as in LevelDB: get() is the per-level search of a point
 * lookup (Version::Get), iterators() the sources a scan merges (Version::AddIterators).
 */
import { compareBytes } from '../bytes.js';
import { corrupt } from '../errors.js';
import { aboveLower, belowUpper, type Bounds } from '../range.js';
import { firstWithLargestAtLeast, levelEntries } from './merge.js';
import { LEVELS, type Entry, type FileMeta, type VersionEdit } from './format.js';

/** What reading one table needs: its entries in order from a start key (TableReader.entries). */
export interface TableEntries {
  entries(level: number, reverse: boolean, from?: Uint8Array, exclusive?: boolean): Iterator<Entry>;
}

/** The tuning that sizes the levels. */
export interface LevelOptions {
  l0CompactionTrigger: number;
  levelSizeMultiplier: number;
  level1Bytes: number;
}

/** The live tables, per level. */
export class Version {
  /** levels[0] is sorted oldest first (by max sequence number); deeper levels by smallest key. */
  readonly levels: FileMeta[][];

  /** A version with the given tables per level (none by default). */
  constructor(levels?: FileMeta[][]) {
    this.levels = levels ?? Array.from({ length: LEVELS }, () => []);
  }

  /** A new version with the edit's files deleted and added; `file` names the manifest for errors. */
  apply(edit: VersionEdit, file: string): Version {
    const levels = this.levels.map((l) => l.slice());
    for (const d of edit.deleted) {
      const i = levels[d.level]!.findIndex((f) => f.number === d.number);
      if (i < 0)
        throw corrupt(file, 0, `an edit deletes table ${d.number} from level ${d.level}, which does not hold it`);
      levels[d.level]!.splice(i, 1);
    }
    for (const a of edit.added) levels[a.level]!.push(a.file);
    // Level 0 in age order: by sequence numbers, which a tiered merge's output keeps (its file
    // number is newer than tables it did not merge); for flushes this is file-number order.
    levels[0]!.sort((a, b) => a.maxSeq - b.maxSeq || a.number - b.number);
    for (let l = 1; l < LEVELS; l++) {
      const lv = levels[l]!;
      lv.sort((a, b) => compareBytes(a.smallest, b.smallest));
      // The invariant of levels 1+: key ranges do not overlap.
      for (let i = 1; i < lv.length; i++) {
        if (compareBytes(lv[i - 1]!.largest, lv[i]!.smallest) >= 0)
          throw corrupt(file, 0, `tables ${lv[i - 1]!.number} and ${lv[i]!.number} overlap in level ${l}`);
      }
    }
    return new Version(levels);
  }

  /** Every live table. */
  files(): { level: number; file: FileMeta }[] {
    const out: { level: number; file: FileMeta }[] = [];
    this.levels.forEach((l, level) => l.forEach((file) => out.push({ level, file })));
    return out;
  }

  /** Total bytes of a level's tables. */
  levelBytes(level: number): number {
    let n = 0;
    for (const f of this.levels[level]!) n += f.size;
    return n;
  }

  /** Tables of `level` whose key range meets [smallest, largest]. */
  overlapping(level: number, smallest: Uint8Array, largest: Uint8Array): FileMeta[] {
    return this.levels[level]!.filter(
      (f) => compareBytes(f.largest, smallest) >= 0 && compareBytes(f.smallest, largest) <= 0,
    );
  }

  /** True when no table in a level below `level` may hold `key` (so a tombstone there can go). */
  isBaseLevelForKey(level: number, key: Uint8Array): boolean {
    for (let l = level + 1; l < LEVELS; l++) {
      const lv = this.levels[l]!;
      const i = firstWithLargestAtLeast(lv, key);
      if (i < lv.length && compareBytes(lv[i]!.smallest, key) <= 0) return false;
    }
    return true;
  }

  /**
   * The newest entry for `key` in the tables (LevelDB's Version::Get): the level-0 tables
   * newest first, since their ranges overlap and each may hold the key; then, in each deeper
   * level, the one table whose range may hold it (a binary search on largest keys). `probe`
   * looks in one table (skipping it when the key is outside its range); the first entry found,
   * a value or a tombstone, is the answer.
   */
  get(
    key: Uint8Array,
    probe: (f: FileMeta, level: number) => Entry | undefined,
  ): { entry: Entry; file: FileMeta; level: number } | undefined {
    // Level 0, newest table first.
    const l0 = this.levels[0]!;
    for (let i = l0.length - 1; i >= 0; i--) {
      const entry = probe(l0[i]!, 0);
      if (entry) return { entry, file: l0[i]!, level: 0 };
    }
    // Deeper levels: the one table whose range may hold the key.
    for (let level = 1; level < LEVELS; level++) {
      const files = this.levels[level]!;
      if (files.length === 0) continue;
      const file = files[Math.min(firstWithLargestAtLeast(files, key), files.length - 1)]!;
      const entry = probe(file, level);
      if (entry) return { entry, file, level };
    }
    return undefined;
  }

  /**
   * The sources a scan within `b` merges (LevelDB's Version::AddIterators): each level-0 table
   * on its own (skipped if outside the range), and each deeper level as one source reading
   * its tables in order; all start at the scan's start bound.
   */
  iterators(b: Bounds, reader: (f: FileMeta) => TableEntries): Iterator<Entry>[] {
    const start = b.reverse ? b.upper : b.lower;
    const from = start?.key;
    const exclusive = start ? !start.inclusive : false;
    const sources: Iterator<Entry>[] = [];
    for (const f of this.levels[0]!) {
      if (!belowUpper(f.smallest, b) || !aboveLower(f.largest, b)) continue;
      sources.push(reader(f).entries(0, b.reverse, from, exclusive));
    }
    for (let level = 1; level < LEVELS; level++) {
      const files = this.levels[level]!;
      if (files.length === 0) continue;
      const ranged = files.map((f) => ({
        smallest: f.smallest,
        largest: f.largest,
        entries: (rev: boolean, fr?: Uint8Array, ex?: boolean) => reader(f).entries(level, rev, fr, ex),
      }));
      sources.push(levelEntries(ranged, b.reverse, from, exclusive));
    }
    return sources;
  }

  /** The deepest level that holds any table (0 if none do). */
  deepest(): number {
    for (let l = LEVELS - 1; l > 0; l--) if (this.levels[l]!.length > 0) return l;
    return 0;
  }
}

/** The byte target of a level (level 1 = level1Bytes; each deeper level `multiplier` times more). */
export function maxBytesForLevel(level: number, o: LevelOptions): number {
  return o.level1Bytes * Math.pow(o.levelSizeMultiplier, level - 1);
}

/**
 * How urgently each level needs compaction: level 0 by file count over the trigger, the
 * others by bytes over their target. A score >= 1 means "compact now". The last level has no
 * target (it is where data comes to rest).
 */
export function scores(v: Version, o: LevelOptions): number[] {
  const out: number[] = [v.levels[0]!.length / o.l0CompactionTrigger];
  for (let l = 1; l < LEVELS - 1; l++) out.push(v.levelBytes(l) / maxBytesForLevel(l, o));
  out.push(0);
  return out;
}
