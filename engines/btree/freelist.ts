/**
 * freelist.ts: which pages can be handed out again, and when.
 *
 * Copy-on-write never overwrites a page the last commit uses, so a freed page waits:
 *   - `reusable`: free in the last durable commit's view, so any new write may take it;
 *   - `pending`: freed by the transaction in progress but still part of the last commit's
 *     tree (a crash now must find it intact); it joins `reusable` once the commit that frees
 *     it is durable (bbolt calls these pending pages).
 * A page allocated and freed inside the same transaction was never part of any commit, so it
 * goes straight back to `reusable`.
 *
 * `reusable` is kept sorted high to low, so pop() hands out the lowest free id and the file
 * stays compact at its start.
 */

/** The free pages, split by when they may be reused. */
export class FreeList {
  /** Free now; sorted descending so the lowest id is last. */
  private reusable: number[] = [];
  /** Freed by the open transaction; reusable after its commit is durable. */
  private pending: number[] = [];

  /** Starts from the ids a committed freelist listed. */
  constructor(ids: readonly number[] = []) {
    this.reusable = [...ids].sort((a, b) => b - a);
  }

  /** Takes the lowest reusable id, or undefined when none is free. */
  take(): number | undefined {
    return this.reusable.pop();
  }

  /** Frees a page no commit uses: reusable at once. */
  release(id: number): void {
    // Binary search for the slot in the descending array.
    const a = this.reusable;
    let lo = 0;
    let hi = a.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (a[mid]! > id) lo = mid + 1;
      else hi = mid;
    }
    a.splice(lo, 0, id);
  }

  /** Frees a page the last commit still uses: reusable after the next durable commit. */
  defer(id: number): void {
    this.pending.push(id);
  }

  /** Every id a new commit must list as free: reusable now plus pending (free once it lands). */
  all(): number[] {
    return [...this.reusable, ...this.pending].sort((a, b) => a - b);
  }

  /** The commit that freed the pending pages is durable: they become reusable. Returns how many. */
  commitDurable(): number {
    const n = this.pending.length;
    if (n > 0) {
      this.reusable = [...this.reusable, ...this.pending].sort((a, b) => b - a);
      this.pending = [];
    }
    return n;
  }

  /** Reusable page count. */
  get freeCount(): number {
    return this.reusable.length;
  }

  /** Pending page count. */
  get pendingCount(): number {
    return this.pending.length;
  }

  /** Copies for inspect() and the checker, ascending. */
  lists(): { free: number[]; pending: number[] } {
    return { free: [...this.reusable].reverse(), pending: [...this.pending].sort((a, b) => a - b) };
  }
}
