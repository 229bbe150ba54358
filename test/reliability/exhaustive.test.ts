/**
 * exhaustive.test.ts: small exhaustive workloads, as CrashMonkey found most crash bugs with
 * three operations or fewer. Every sequence of up to three operations from {small put, large
 * put, overwrite, delete, sync, compact, close and reopen, batch}, after a small synced base,
 * crashed after every mutating call in every disk state (crash-everywhere.ts).
 *
 * Both `npm test` and the full campaign run it whole: all 584 sequences, every crash point,
 * every disk state (every tear position), and a crash during every fifth recovery. It needs
 * no sampling: it found in a second the torn-meta bug that a sampled slice had missed.
 */
import { describe, it } from 'vitest';
import { utf8 } from '../../engines/bytes.js';
import { Rng } from '../util/rng.js';
import type { Step } from '../util/workload.js';
import { crashEverywhere } from './crash-everywhere.js';
import { PROFILES } from './profiles.js';
import { SEED, count, report } from './campaign.js';

/** The operations, each as the steps it is. */
const OPS: Record<string, Step[]> = {
  'small put': [{ type: 'put', key: utf8('k1'), value: utf8('small') }],
  'large put': [{ type: 'put', key: utf8('k2'), value: new Uint8Array(3000).map((_, i) => (i * 7 + 3) & 0xff) }],
  overwrite: [{ type: 'put', key: utf8('k0'), value: utf8('overwritten') }],
  delete: [{ type: 'delete', key: utf8('k0') }],
  sync: [{ type: 'sync' }],
  compact: [{ type: 'compact' }],
  reopen: [{ type: 'reopen' }],
  batch: [
    {
      type: 'batch',
      ops: [
        { type: 'put', key: utf8('k3'), value: utf8('batched') },
        { type: 'delete', key: utf8('k1') },
        { type: 'put', key: utf8('k0'), value: utf8('in a batch') },
      ],
    },
  ],
};

/** The base every sequence starts from: a few synced keys, so overwrites and deletes bite. */
const BASE: Step[] = [
  { type: 'put', key: utf8('k0'), value: utf8('base') },
  { type: 'put', key: utf8('k1'), value: utf8('base one') },
  { type: 'sync' },
];

/** Every sequence of `n` operation names. */
function sequences(n: number): string[][] {
  if (n === 0) return [[]];
  return sequences(n - 1).flatMap((s) => Object.keys(OPS).map((op) => [...s, op]));
}

for (const profile of PROFILES) {
  describe(`${profile.name}: every sequence of up to three operations, crashed everywhere`, () => {
    it('keeps the durability rule after every crash point of every short sequence', () => {
      const rng = new Rng(SEED + 11);
      for (const seq of [...sequences(1), ...sequences(2), ...sequences(3)]) {
        const steps = [...BASE, ...seq.flatMap((op) => OPS[op]!)];
        crashEverywhere(profile, steps, rng, { label: `sequence [${seq.join(', ')}]`, recoveryEvery: 5 });
        count(profile.name, 'exhaustive sequences');
      }
      report(profile.name);
    }, 900_000);
  });
}
