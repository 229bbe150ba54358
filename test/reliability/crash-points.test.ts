/**
 * crash-points.test.ts: a power loss after every mutating file-system call of seeded
 * workloads, in every disk state of disk-states.ts, on every engine. After each: the
 * durability rule, the engine's structural check, a stable second recovery; and at some
 * points a crash during recovery itself, then a recovery that must still keep the rule.
 */
import { describe, it, expect } from 'vitest';
import { openStore, MemoryFileSystem, KVError } from '../../engines/index.js';
import { Rng } from '../util/rng.js';
import { randomWorkload, SMALL_SHAPE } from '../util/workload.js';
import { runUntilCrash, checkRecovered } from '../util/durability.js';
import { diskStates } from './disk-states.js';
import { PROFILES } from './profiles.js';
import { SEED, rounds, count, report } from './campaign.js';

for (const profile of PROFILES) {
  const { engine, tuning } = profile;
  const openOn = (fs: MemoryFileSystem) => () => openStore(engine, { ...tuning, dir: '/r', fs });

  describe(`${engine}: a crash after every mutating call`, () => {
    it('keeps the durability rule in every disk state, and through a crash during recovery', () => {
      rounds(3, (round) => {
        const seed = SEED + round;
        const rng = new Rng(seed);
        const steps = randomWorkload(rng, 25, { ...SMALL_SHAPE, keys: 12, pSync: 0.15, pReopen: 0.06, pCompact: 0.06 });
        // Dry run: how many mutating calls the workload makes.
        const dry = new MemoryFileSystem();
        expect(runUntilCrash(openOn(dry), steps).error).toBeUndefined();
        const total = dry.mutations;
        for (let n = 0; n < total; n++) {
          // Run until the (n+1)th mutating call fails: the process dies right after call n.
          const fs = new MemoryFileSystem();
          fs.injectFault({ call: 'mutate', skip: n, times: Infinity, crash: true });
          const out = runUntilCrash(openOn(fs), steps);
          if (out.error !== undefined && !(out.error instanceof KVError && out.error.code === 'KV_IO')) throw out.error;
          fs.clearFaults();
          for (const state of diskStates(fs, rng)) {
            const where = `${engine} seed ${seed}, crash after mutating call ${n} of ${total}, ${state.name}`;
            const disk = fs.clone();
            disk.powerLoss(state.options);
            if (n % 5 === 0 && state.name.startsWith('unsynced data and')) crashDuringRecovery(disk, rng, where);
            checkRecovered(openOn(disk), out, where, () => profile.check(disk, '/r'));
            count(engine, 'crash states checked');
          }
        }
        count(engine, 'workloads');
      });
      report(engine);
    });
  });

  /** Crashes a recovery part-way (at a random mutating call of it), leaving `disk` as that crash left it. */
  function crashDuringRecovery(disk: MemoryFileSystem, rng: Rng, where: string): void {
    const probe = disk.clone();
    const before = probe.mutations;
    try {
      openOn(probe)().close();
    } catch (e) {
      throw new Error(`${where}: recovery failed: ${(e as Error).message}`);
    }
    const calls = probe.mutations - before;
    if (calls === 0) return;
    disk.injectFault({ call: 'mutate', skip: rng.int(calls), times: Infinity, crash: true });
    try {
      openOn(disk)().close();
    } catch (e) {
      if (!(e instanceof KVError && e.code === 'KV_IO')) throw e;
    }
    disk.clearFaults();
    disk.powerLoss({ keepWrites: rng.int(disk.pendingWrites() + 1) });
    count(engine, 'crashes during recovery');
  }
}
