/**
 * sync-sites.test.ts: every sync earns its place. For each file-sync and directory-sync
 * call site an engine has (found by running its workloads with site tracking on), turn that
 * one site into a no-op and rerun a slice of the crash tests: at least one must then break
 * the durability rule. A site whose removal breaks nothing is an unneeded fsync, and fails.
 */
import { describe, it, expect } from 'vitest';
import { openStore, MemoryFileSystem, KVError } from '../../engines/index.js';
import { Rng } from '../util/rng.js';
import { randomWorkload, SMALL_SHAPE, type Step } from '../util/workload.js';
import { runUntilCrash, checkRecovered } from '../util/durability.js';
import { PROFILES, type Profile } from './profiles.js';
import { diskStates } from './disk-states.js';
import { SEED, count, report } from './campaign.js';

/** Workloads for the slice: seeded, with enough syncs and reopens to reach every site. */
function workloads(n: number): Step[][] {
  const out: Step[][] = [];
  for (let i = 0; i < n; i++)
    out.push(
      randomWorkload(new Rng(SEED + 900 + i), 30, {
        ...SMALL_SHAPE,
        keys: 12,
        pSync: 0.2,
        pReopen: 0.08,
        pCompact: 0.08,
      }),
    );
  return out;
}

/** Runs crash points over `steps` with `skip` disabling sync sites; returns the first violation, if any. */
function firstViolation(
  profile: Profile,
  steps: Step[],
  skip: ((site: string) => boolean) | undefined,
  sites?: Map<string, number>,
): string | undefined {
  const openOn = (fs: MemoryFileSystem) => () => openStore(profile.engine, { ...profile.tuning, dir: '/s', fs });
  const dry = new MemoryFileSystem();
  dry.trackSyncSites = sites !== undefined;
  dry.skipSync = skip;
  runUntilCrash(openOn(dry), steps);
  if (sites) for (const [s, n] of dry.syncSites) sites.set(s, (sites.get(s) ?? 0) + n);
  for (let n = 0; n <= dry.mutations; n++) {
    const fs = new MemoryFileSystem();
    fs.skipSync = skip;
    fs.injectFault({ call: 'mutate', skip: n, times: Infinity, crash: true });
    const out = runUntilCrash(openOn(fs), steps);
    fs.clearFaults();
    // The untorn disk states: dropped, all kept, data kept with directories reverted, random
    // sectors, and the states beyond an ordered disk (files out of order, zero-filled appends,
    // directory changes one by one), which are what some directory fsyncs are for.
    for (const state of diskStates(fs, new Rng(n)).filter((s) => !s.name.includes('torn'))) {
      const disk = fs.clone();
      disk.powerLoss(state.options);
      try {
        checkRecovered(openOn(disk), out, `crash after call ${n}`, () => profile.check(disk, '/s'));
      } catch (e) {
        return `${state.name}: ${(e as Error).message.split('\n')[0]}`;
      }
    }
  }
  return undefined;
}

for (const profile of PROFILES) {
  describe(`${profile.name}: every sync earns its place`, () => {
    it('breaks the durability rule when any one sync call site is disabled', () => {
      const slice = workloads(4);
      // With every sync in place the slice passes, and we learn the sync sites.
      const sites = new Map<string, number>();
      for (const w of slice) expect(firstViolation(profile, w, undefined, sites)).toBeUndefined();
      expect(sites.size, 'sync sites found').toBeGreaterThan(0);
      expect([...sites.keys()]).not.toContain('unknown');
      const unneeded: string[] = [];
      for (const site of sites.keys()) {
        let broke: string | undefined;
        for (const w of slice) {
          try {
            broke = firstViolation(profile, w, (s) => s === site);
          } catch (e) {
            broke = e instanceof KVError ? e.message : String(e);
          }
          if (broke) break;
        }
        if (broke) count(profile.name, 'sync sites proven necessary');
        else unneeded.push(site);
      }
      expect(unneeded, 'sync sites whose removal broke nothing').toEqual([]);
      report(profile.name);
    });
  });
}
