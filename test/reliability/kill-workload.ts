/**
 * kill-workload.ts: the workload the SIGKILL child runs and the parent replays to know
 * what each acknowledged prefix should contain.
 */
import { Rng } from '../util/rng.js';
import { randomWorkload, SMALL_SHAPE, type Step } from '../util/workload.js';

/** Enough steps that a kill within a second lands mid-run. */
export function killWorkload(rng: Rng): Step[] {
  return randomWorkload(rng, 3000, { ...SMALL_SHAPE, keys: 200, pSync: 0.05, pReopen: 0.003, pCompact: 0.003 });
}
