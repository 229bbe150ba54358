/**
 * merge.ts: the merging iterator (LevelDB's merger.cc) and the level iterator
 * (two_level_iterator.cc's role for a level of non-overlapping tables).
 *
 * Every source (the memtable, each level-0 table, each deeper level) yields entries sorted by
 * key, one per key. The merging iterator repeatedly takes the smallest key among the sources'
 * current entries (the largest, in reverse); when several sources hold that key, the entry with
 * the highest sequence number wins, and the others are skipped ("shadowed"). The result is
 * one entry per key, the newest, tombstones included: the caller decides what a tombstone
 * means (a scan hides it; a compaction keeps it or, at the base level, drops it).
 *
 * Sources are few (memtable, immutable memtable, a handful of level-0 tables, one per deeper
 * level), so a linear scan of their heads is as fast as a heap and easier to follow.
 */
import { compareBytes } from '../bytes.js';
import type { Entry } from './format.js';

/** Merges sorted sources into one sorted stream with the newest entry per key. */
export class MergingIterator implements IterableIterator<Entry> {
  private readonly heads: (Entry | undefined)[];
  /** Entries skipped because a newer entry for the same key won. */
  shadowed = 0;
  /** Entries read from all sources. */
  read = 0;

  /** Sources must all run in the same direction (`reverse` or not). */
  constructor(
    private readonly sources: Iterator<Entry>[],
    private readonly reverse: boolean,
  ) {
    this.heads = sources.map((s) => this.pull(s));
  }

  /** The next entry of a source, counted. */
  private pull(s: Iterator<Entry>): Entry | undefined {
    const n = s.next();
    if (n.done) return undefined;
    this.read++;
    return n.value;
  }

  /** The newest entry of the next key, or done. */
  next(): IteratorResult<Entry> {
    // Step 1: find the head that comes first; on a tie, the higher sequence number wins.
    let best = -1;
    for (let i = 0; i < this.heads.length; i++) {
      const h = this.heads[i];
      if (!h) continue;
      if (best < 0) {
        best = i;
        continue;
      }
      const b = this.heads[best]!;
      let c = compareBytes(h.key, b.key);
      if (this.reverse) c = -c;
      if (c < 0 || (c === 0 && h.seq > b.seq)) best = i;
    }
    if (best < 0) return { done: true, value: undefined };
    const winner = this.heads[best]!;
    // Step 2: advance every source positioned at that key (the losers are shadowed).
    for (let i = 0; i < this.heads.length; i++) {
      const h = this.heads[i];
      if (!h || compareBytes(h.key, winner.key) !== 0) continue;
      if (i !== best) this.shadowed++;
      this.heads[i] = this.pull(this.sources[i]!);
    }
    return { done: false, value: winner };
  }

  /** Stops every source (closing their generators). */
  return(): IteratorResult<Entry> {
    for (const s of this.sources) s.return?.();
    return { done: true, value: undefined };
  }

  [Symbol.iterator](): IterableIterator<Entry> {
    return this;
  }
}

/** A table as a level iterator sees it: its key range and a way to read its entries. */
export interface RangedSource {
  smallest: Uint8Array;
  largest: Uint8Array;
  entries(reverse: boolean, from?: Uint8Array, exclusive?: boolean): Iterator<Entry>;
}

/**
 * The entries of a level whose tables are sorted and do not overlap, read one table after
 * another: seek binary-searches the tables by key range, so only the tables the scan reaches
 * are ever opened.
 */
export function* levelEntries(
  tables: readonly RangedSource[],
  reverse: boolean,
  from?: Uint8Array,
  exclusive = false,
): Generator<Entry> {
  if (!reverse) {
    // The first table whose largest key is >= from.
    let i = from ? firstWithLargestAtLeast(tables, from) : 0;
    for (let first = true; i < tables.length; i++, first = false) {
      yield* iterate(first && from ? tables[i]!.entries(false, from, exclusive) : tables[i]!.entries(false));
    }
    return;
  }
  // The last table whose smallest key is <= from.
  let i = from ? firstWithLargestAtLeast(tables, from) : tables.length - 1;
  if (i >= tables.length || (from && compareBytes(tables[i]!.smallest, from) > 0)) i--;
  for (let first = true; i >= 0; i--, first = false) {
    yield* iterate(first && from ? tables[i]!.entries(true, from, exclusive) : tables[i]!.entries(true));
  }
}

/** An Iterator as an Iterable, for yield*. */
function iterate<T>(it: Iterator<T>): Iterable<T> {
  return { [Symbol.iterator]: () => it };
}

/** The index of the first table whose largest key is >= key (binary search), or length. */
export function firstWithLargestAtLeast(tables: readonly { largest: Uint8Array }[], key: Uint8Array): number {
  let lo = 0;
  let hi = tables.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareBytes(tables[mid]!.largest, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
