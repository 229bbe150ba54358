/**
 * shrink.ts: delta debugging (Zeller's ddmin, simplified): the shortest sub-list of a failing
 * list of steps that still fails, found by removing chunks, halving their size down to one.
 */

/**
 * Shrinks `items` while `fails` stays true of what is left. `fails(items)` must be true on
 * entry. At most `budget` calls of `fails` (each reruns a workload).
 */
export function shrink<T>(items: T[], fails: (xs: T[]) => boolean, budget = 2000): T[] {
  let best = items;
  let calls = 0;
  // Step 1: remove chunks of size n, from big to single steps, keeping any removal that still fails.
  for (let n = Math.max(1, Math.floor(best.length / 2)); n >= 1; n = Math.floor(n / 2)) {
    let i = 0;
    while (i < best.length && calls < budget) {
      const candidate = [...best.slice(0, i), ...best.slice(i + n)];
      calls++;
      if (candidate.length < best.length && fails(candidate)) best = candidate;
      else i += n;
    }
    if (n === 1) break;
  }
  return best;
}

/** shrink() for a predicate that must run asynchronously (an engine in another process). */
export async function shrinkAsync<T>(items: T[], fails: (xs: T[]) => Promise<boolean>, budget = 300): Promise<T[]> {
  let best = items;
  let calls = 0;
  for (let n = Math.max(1, Math.floor(best.length / 2)); n >= 1; n = Math.floor(n / 2)) {
    let i = 0;
    while (i < best.length && calls < budget) {
      const candidate = [...best.slice(0, i), ...best.slice(i + n)];
      calls++;
      if (candidate.length < best.length && (await fails(candidate))) best = candidate;
      else i += n;
    }
    if (n === 1) break;
  }
  return best;
}
