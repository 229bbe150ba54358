/**
 * crash-points.test.ts: a power loss after every mutating file-system call of seeded random
 * workloads, in every disk state of disk-states.ts, on every engine (see crash-everywhere.ts).
 */
import { describe, it } from 'vitest';
import { Rng } from '../util/rng.js';
import { randomWorkload, SMALL_SHAPE } from '../util/workload.js';
import { crashEverywhere } from './crash-everywhere.js';
import { PROFILES } from './profiles.js';
import { SEED, rounds, count, report } from './campaign.js';

for (const profile of PROFILES) {
  describe(`${profile.name}: a crash after every mutating call`, () => {
    it('keeps the durability rule in every disk state, and through a crash during recovery', () => {
      rounds(3, (round) => {
        const seed = SEED + round;
        const rng = new Rng(seed);
        const steps = randomWorkload(rng, 25, {
          ...SMALL_SHAPE,
          keys: 12,
          pSync: 0.15,
          pReopen: 0.06,
          pCompact: 0.06,
          emptyKey: true,
        });
        crashEverywhere(profile, steps, rng, { label: `seed ${seed}` });
        count(profile.name, 'workloads');
      });
      report(profile.name);
    });
  });
}
