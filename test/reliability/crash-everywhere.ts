/**
 * crash-everywhere.ts: crash one workload after each of its mutating file-system calls, in
 * every disk state of disk-states.ts, and check the durability rule, the engine's structural
 * check and a stable second recovery after each; at some points, crash the recovery itself
 * first. Shared by the random (crash-points) and exhaustive (exhaustive) tests.
 */
import { expect } from 'vitest';
import { openStore, MemoryFileSystem, KVError } from '../../engines/index.js';
import { Rng } from '../util/rng.js';
import type { Step } from '../util/workload.js';
import { runUntilCrash, checkRecovered } from '../util/durability.js';
import { diskStates } from './disk-states.js';
import type { Profile } from './profiles.js';
import { count } from './campaign.js';

const DIR = '/r';

/** Options for one workload's crashes. */
export interface CrashEverywhere {
  /** Names the workload in failure messages (e.g. the seed). */
  label: string;
  /** How many disk states per crash point (default: all). */
  states?: number;
  /** Crash the recovery too at every nth crash point (default 5; 0 for never). */
  recoveryEvery?: number;
}

/** Crashes `steps` after every mutating call; returns the number of crash states checked. */
export function crashEverywhere(profile: Profile, steps: Step[], rng: Rng, options: CrashEverywhere): number {
  const openOn = (fs: MemoryFileSystem) => () => openStore(profile.engine, { ...profile.tuning, dir: DIR, fs });
  // Dry run: how many mutating calls the workload makes.
  const dry = new MemoryFileSystem();
  expect(runUntilCrash(openOn(dry), steps).error, `${options.label}: dry run`).toBeUndefined();
  const total = dry.mutations;
  const every = options.recoveryEvery ?? 5;
  let checked = 0;
  for (let n = 0; n < total; n++) {
    // Run until the (n+1)th mutating call: the process dies right after call n.
    const fs = new MemoryFileSystem();
    fs.injectFault({ call: 'mutate', skip: n, times: Infinity, crash: true });
    const out = runUntilCrash(openOn(fs), steps);
    if (out.error !== undefined && !(out.error instanceof KVError && out.error.code === 'KV_IO')) throw out.error;
    fs.clearFaults();
    // Many states leave the same bytes on disk (nothing pending in a file, a tear at its
    // end...): recovery is deterministic, so each distinct disk is checked once.
    const seen = new Set<string>();
    for (const state of diskStates(fs, rng).slice(0, options.states)) {
      const where = `${profile.name} ${options.label}, crash after mutating call ${n} of ${total}, ${state.name}`;
      const disk = fs.clone();
      disk.powerLoss(state.options);
      const digest = disk.digest();
      if (seen.has(digest)) {
        count(profile.name, 'duplicate crash states skipped');
        continue;
      }
      seen.add(digest);
      if (every > 0 && n % every === 0 && state.name.startsWith('unsynced data and'))
        crashDuringRecovery(profile, disk, rng, where);
      checkRecovered(openOn(disk), out, where, () => profile.check(disk, DIR));
      checked++;
    }
  }
  count(profile.name, 'crash states checked', checked);
  return checked;
}

/** Crashes a recovery part-way (at a random mutating call of it), leaving `disk` as that crash left it. */
function crashDuringRecovery(profile: Profile, disk: MemoryFileSystem, rng: Rng, where: string): void {
  const openOn = (fs: MemoryFileSystem) => () => openStore(profile.engine, { ...profile.tuning, dir: DIR, fs });
  const probe = disk.clone();
  try {
    openOn(probe)().close();
  } catch (e) {
    throw new Error(`${where}: recovery failed: ${(e as Error).message}`);
  }
  const calls = probe.mutations;
  if (calls === 0) return;
  disk.injectFault({ call: 'mutate', skip: rng.int(calls), times: Infinity, crash: true });
  try {
    openOn(disk)().close();
  } catch (e) {
    if (!(e instanceof KVError && e.code === 'KV_IO')) throw e;
  }
  disk.clearFaults();
  disk.powerLoss({ keepWrites: rng.int(disk.pendingWrites() + 1) });
  count(profile.name, 'crashes during recovery');
}
