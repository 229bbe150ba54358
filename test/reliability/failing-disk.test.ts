/**
 * failing-disk.test.ts: the Nth file-system call fails, for every N, once (fail-once) and
 * from then on (fail-forever), with EIO and with ENOSPC. A failed fsync behaves as Linux
 * does (the unsynced data is gone and the next fsync reports success; see memory.ts).
 *
 * Pass: the caller gets KV_IO; a store whose write or sync failed refuses further writes
 * (KV_IO) until reopened, while reads keep returning the state before or after the failed
 * operation (fail-once); after reopening, with or without a power loss, the durability rule
 * holds, so nothing was acknowledged as durable that was not.
 */
import { describe, it, expect } from 'vitest';
import { openStore, MemoryFileSystem, KVError } from '../../engines/index.js';
import { storeFingerprint } from '../util/model.js';
import { Rng } from '../util/rng.js';
import { randomWorkload, SMALL_SHAPE, isWrite } from '../util/workload.js';
import { runUntilCrash, checkRecovered } from '../util/durability.js';
import { PROFILES } from './profiles.js';
import { SEED, rounds, count, report } from './campaign.js';

for (const profile of PROFILES) {
  const { engine, tuning } = profile;
  const openOn = (fs: MemoryFileSystem) => () => openStore(engine, { ...tuning, dir: '/f', fs });

  describe(`${profile.name}: a failing disk`, () => {
    it('reports KV_IO, refuses writes after a failed write or sync, and keeps the rule after reopening', () => {
      rounds(2, (round) => {
        const seed = SEED + 500 + round;
        const rng = new Rng(seed);
        const steps = randomWorkload(rng, 20, { ...SMALL_SHAPE, keys: 10, pSync: 0.2, pReopen: 0.05, pCompact: 0.05 });
        const dry = new MemoryFileSystem();
        expect(runUntilCrash(openOn(dry), steps).error).toBeUndefined();
        for (let n = 0; n < dry.calls; n++) {
          for (const mode of ['once', 'forever'] as const) {
            const errno = n % 2 === 0 ? 'EIO' : 'ENOSPC';
            const where = `${engine} seed ${seed}, call ${n} of ${dry.calls} fails ${mode} with ${errno}`;
            const fs = new MemoryFileSystem();
            fs.injectFault({ call: 'any', skip: n, times: mode === 'once' ? 1 : Infinity, errno });
            const out = runUntilCrash(openOn(fs), steps);
            count(profile.name, 'injected I/O failures');
            if (out.error === undefined) {
              out.db?.close();
            } else {
              expect(out.error, where).toBeInstanceOf(KVError);
              expect((out.error as KVError).code, `${where}: ${(out.error as Error).message}`).toBe('KV_IO');
              const db = out.db;
              const failedWrite =
                out.failed && (isWrite(out.failed) || out.failed.type === 'sync' || out.failed.type === 'compact');
              if (db && !isClosed(db) && failedWrite) {
                expect(() => db.put('refused', 'x'), `${where}: a write after the failure`).toThrow(
                  /earlier write or sync failed|KV_IO|failed/,
                );
                if (mode === 'once') {
                  const fp = storeFingerprint(db);
                  const ok = out.states.slice(out.completed, out.completed + (out.inFlight ? 2 : 1));
                  expect(ok, `${where}: reads after the failure`).toContain(fp);
                }
              }
              if (db && !isClosed(db)) {
                try {
                  db.close();
                } catch (e) {
                  expect((e as KVError).code, where).toBe('KV_IO');
                }
              }
            }
            fs.clearFaults();
            const after = fs.clone();
            checkRecovered(openOn(fs), out, `${where}, reopened`, () => profile.check(fs, '/f'));
            after.powerLoss({ keepWrites: rng.int(after.pendingWrites() + 1) });
            checkRecovered(openOn(after), out, `${where}, reopened after a power loss`, () =>
              profile.check(after, '/f'),
            );
          }
        }
      });
      report(profile.name);
    });
  });
}

/** True if the store was closed (a failed reopen step leaves the old store closed). */
function isClosed(db: { stats(): unknown }): boolean {
  try {
    db.stats();
    return false;
  } catch (e) {
    return e instanceof KVError && e.code === 'KV_CLOSED';
  }
}
