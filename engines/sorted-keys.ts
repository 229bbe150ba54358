/**
 * sorted-keys.ts: the ordered key list beside a hash map (the snapshot dict, the Bitcask
 * keydir), for scans.
 *
 * Keys are byte strings stored one UTF-16 code unit per byte, so JavaScript's native string
 * order is bytewise (memcmp) order. The list is two sorted arrays: `main`, large and rebuilt
 * rarely, and `delta`, the keys added since; plus `pending`, keys added since the last scan,
 * unsorted (an insert is one push). A scan first sorts `pending` into `delta`, then walks
 * `main` and `delta` at once (O(log n) to seek, then one step per key), so inserts between
 * scans cost no re-sort of everything. `delta` is merged into `main` when it outgrows about
 * the square root of `main`. Removed keys stay in the arrays until the next rebuild; walks skip
 * keys the map no longer has.
 *
 * Invariant: every key of the map is in `main`, `delta` or `pending` (possibly twice, after a
 * remove and re-add); arrays returned by list() are never changed afterwards.
 */

/** The ordered keys of a map whose keys are byte strings. */
export class SortedKeys {
  private main: string[] = [];
  private delta: string[] = [];
  private pending: string[] = [];
  /** Removed keys still in the arrays. */
  private stale = 0;

  /** `has` says whether a key is still in the map. */
  constructor(private readonly has: (key: string) => boolean) {}

  /** Notes a key new to the map. */
  add(key: string): void {
    this.pending.push(key);
  }

  /** Notes that a key left the map. */
  remove(): void {
    this.stale++;
  }

  /** Every key in bytewise order, as an array that is never changed afterwards. */
  list(): string[] {
    if (this.pending.length > 0 || this.delta.length > 0 || this.stale > 0) this.rebuild();
    return this.main;
  }

  /**
   * The keys from `start` (at it when `inclusive`; from the first or last key when undefined)
   * onwards, or backwards when `reverse`. It walks the arrays as they were when it started.
   */
  *walk(start: string | undefined, inclusive: boolean, reverse: boolean): Generator<string> {
    if (this.pending.length > 0) {
      // Sort the keys added since the last scan into `delta`.
      this.pending.sort();
      this.delta = mergeLive(this.delta, this.pending, this.has);
      this.pending = [];
    }
    if (this.delta.length > 64 + Math.sqrt(this.main.length) * 4 || this.stale > this.main.length / 2 + 64)
      this.rebuild();
    const a = this.main;
    const b = this.delta;
    let last: string | undefined;
    if (!reverse) {
      let i = start === undefined ? 0 : lowerIndex(a, start, inclusive);
      let j = start === undefined ? 0 : lowerIndex(b, start, inclusive);
      while (i < a.length || j < b.length) {
        const k = j >= b.length || (i < a.length && a[i]! <= b[j]!) ? a[i++]! : b[j++]!;
        if (k !== last && this.has(k)) yield k;
        last = k;
      }
    } else {
      // Backwards: start just below the first key past the bound.
      let i = (start === undefined ? a.length : lowerIndex(a, start, !inclusive)) - 1;
      let j = (start === undefined ? b.length : lowerIndex(b, start, !inclusive)) - 1;
      while (i >= 0 || j >= 0) {
        const k = j < 0 || (i >= 0 && a[i]! >= b[j]!) ? a[i--]! : b[j--]!;
        if (k !== last && this.has(k)) yield k;
        last = k;
      }
    }
  }

  /** Merges `delta` and `pending` into a new `main`, dropping removed and duplicate keys. */
  private rebuild(): void {
    this.pending.sort();
    this.main = mergeLive(this.main, mergeLive(this.delta, this.pending, this.has), this.has);
    this.delta = [];
    this.pending = [];
    this.stale = 0;
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
