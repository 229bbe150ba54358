/**
 * campaign.ts: how big a reliability run is. `npm test` runs the exhaustive test whole and a
 * sampled slice of the random ones; the full campaign (`npm run test:reliability`) runs with
 * RELIABILITY=full, each random test for DURATION seconds (default 120). Every run takes a
 * fresh base seed and prints it, so successive runs cover new ground; SEED=n replays a run.
 * Every failure message names the seed and the step.
 */

/** True for the full campaign. */
export const FULL = process.env.RELIABILITY === 'full';

/** The base seed of this run: SEED from the environment, else a fresh one. */
export const SEED = process.env.SEED ? parseInt(process.env.SEED, 10) : 1 + Math.floor(Math.random() * 2 ** 30);
console.log(`reliability seed ${SEED} (replay with SEED=${SEED})`);

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
