/**
 * sorted-keys.ts: the ordered key list beside a hash map (the snapshot dict, the Bitcask
 * keydir), kept up to date lazily.
 *
 * Keys are byte strings stored one UTF-16 code unit per byte, so JavaScript's native string
 * order is bytewise (memcmp) order. Keys added since the last read are sorted on their own
 * and merged in, and removed ones dropped, in one O(n) pass: a scan after a few inserts does
 * not re-sort everything. Arrays handed out are never changed afterwards, so an iterator over
 * an older list stays valid.
 */

/** The ordered keys of a map whose keys are byte strings. */
export class SortedKeys {
  /** Keys in order; may still hold removed keys (`stale` counts them). */
  private sorted: string[] = [];
  /** Keys added since `sorted` was last brought up to date, in no order. */
  private added: string[] = [];
  private stale = 0;

  /** `has` says whether a key is still in the map. */
  constructor(private readonly has: (key: string) => boolean) {}

  /** Notes a key new to the map. */
  add(key: string): void {
    this.added.push(key);
  }

  /** Notes that a key left the map. */
  remove(): void {
    this.stale++;
  }

  /** The keys in bytewise order. */
  list(): string[] {
    if (this.added.length > 0) {
      this.added.sort();
      this.sorted = mergeLive(this.sorted, this.added, this.has);
      this.added = [];
      this.stale = 0;
    } else if (this.stale > 0) {
      this.sorted = this.sorted.filter(this.has);
      this.stale = 0;
    }
    return this.sorted;
  }
}

/** Merges two sorted key lists, keeping each key once and only keys `has` accepts. */
function mergeLive(a: string[], b: string[], has: (key: string) => boolean): string[] {
  const out: string[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    const k = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i++]! : b[j++]!;
    if (out[out.length - 1] !== k && has(k)) out.push(k);
  }
  return out;
}

/** The index of the first key in `keys` above `key` (or at it, when `inclusive`), by binary search. */
export function lowerIndex(keys: readonly string[], key: string, inclusive: boolean): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const k = keys[mid]!;
    if (k < key || (k === key && !inclusive)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
