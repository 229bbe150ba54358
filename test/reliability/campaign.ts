/**
 * campaign.ts: how big a reliability run is. CI runs a seeded slice; the full campaign
 * (`npm run test:reliability`) runs with RELIABILITY=full, for DURATION seconds per test
 * (default 120), from SEED. Every failure message names the seed and the step.
 */
import { seedFor } from '../util/rng.js';

/** True for the full campaign. */
export const FULL = process.env.RELIABILITY === 'full';

/** The base seed of this run. */
export const SEED = seedFor(20261125);

/** Seconds each full-campaign test keeps going. */
export const DURATION = parseInt(process.env.DURATION ?? '120', 10);

/** Runs `round(i)` for i = 0, 1, ... `ciRounds` times in CI, or until DURATION passes in full mode. */
export function rounds(ciRounds: number, round: (i: number) => void): number {
  const until = Date.now() + DURATION * 1000;
  let i = 0;
  for (; FULL ? Date.now() < until : i < ciRounds; i++) round(i);
  return i;
}

/** Counts reported at the end of a run, for the campaign table. */
export const tally: Record<string, Record<string, number>> = {};

/** Adds `n` to the count `what` of `engine`. */
export function count(engine: string, what: string, n = 1): void {
  (tally[engine] ??= {})[what] = (tally[engine]![what] ?? 0) + n;
}

/** Prints the tally of one engine as one line (vitest shows it). */
export function report(engine: string): void {
  console.log(`reliability ${engine}: ${JSON.stringify(tally[engine] ?? {})}`);
}
