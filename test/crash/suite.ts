/**
 * suite.ts: the crash suite. Random workloads are cut by a simulated power loss, and the
 * reopened store must satisfy the durability rule of DESIGN.md:
 *
 *   its contents equal the state after some prefix of the operations, and that prefix
 *   includes every operation acknowledged before the last completed sync().
 *
 * Three ways to crash, each at `points` seeded crash points:
 *   - between operations, with a random number of unsynced writes landing and the next one
 *     torn at a random byte;
 *   - in the middle of an operation: the nth file-system call fails (n chosen over every call
 *     the workload makes, counted by a dry run), the process "dies" there, then power is lost
 *     (again with random surviving and torn writes);
 *   - a failing sync or write reported to the caller as KV_IO: the store refuses further
 *     writes, and after reopening (with or without a power loss) the rule still holds.
 * A reopened store must open without error (a crash is never corruption), and a second
 * reopen must show the same contents.
 */
import { describe, it, expect } from 'vitest';
import { openStore, MemoryFileSystem, KVError } from '../../engines/index.js';
import type { EngineName, StoreOptions } from '../../engines/index.js';
import { Rng, seedFor } from '../util/rng.js';
import { randomWorkload, SMALL_SHAPE, type Step, type WorkloadShape } from '../util/workload.js';
import { runUntilCrash, checkRecovered } from '../util/durability.js';

/** Options for one engine's crash run. */
export interface CrashRun {
  points?: number; // crash points per mode (default 200)
  seed?: number;
  steps?: number; // largest workload length (default 60)
  shape?: Partial<WorkloadShape>;
}

/** Random keep/torn options for a power loss, from what is pending. */
function lossOptions(rng: Rng, fs: MemoryFileSystem, torn: boolean): { keepWrites: number; tornBytes?: number } {
  const pending = fs.pendingWrites();
  const keepWrites = rng.chance(0.3) ? 0 : rng.int(pending + 1);
  if (!torn || keepWrites >= pending) return { keepWrites };
  const len = fs.pendingWriteLength(keepWrites);
  return { keepWrites, tornBytes: rng.int(Math.max(1, len)) };
}

/** Runs the crash suite on `engine` with `tuning` merged into every open. */
export function crashSuite(engine: EngineName, tuning: Partial<StoreOptions> = {}, run: CrashRun = {}): void {
  const points = run.points ?? 200;
  const seed = seedFor(run.seed ?? 4242);
  const maxSteps = run.steps ?? 60;
  const shape = { ...SMALL_SHAPE, emptyKey: true, ...run.shape };
  const openOn = (fs: MemoryFileSystem) => () => openStore(engine, { ...tuning, dir: '/crash', fs });

  describe(`${engine}${tuning.compaction ? ` (${tuning.compaction})` : ''} keeps the durability rule across crashes`, () => {
    it(`recovers a synced prefix after a power loss between operations, torn or not (${points} points, seed ${seed})`, () => {
      for (let p = 0; p < points; p++) {
        const rng = new Rng(seed + p);
        const steps = randomWorkload(rng, 1 + rng.int(maxSteps), shape);
        const fs = new MemoryFileSystem();
        const out = runUntilCrash(openOn(fs), steps);
        expect(out.error, `point ${p}: no step should fail`).toBeUndefined();
        fs.powerLoss(lossOptions(rng, fs, p % 2 === 1));
        checkRecovered(openOn(fs), out, `between-ops point ${p} (seed ${seed + p})`);
      }
    });

    it(`recovers a synced prefix after a crash at any file-system call (${points} points, seed ${seed})`, () => {
      for (let p = 0; p < points; p++) {
        const rng = new Rng(seed + 100_000 + p);
        const steps = randomWorkload(rng, 1 + rng.int(maxSteps), shape);
        // Dry run: how many file-system calls does this workload make?
        const dry = new MemoryFileSystem();
        const dryOut = runUntilCrash(openOn(dry), steps);
        expect(dryOut.error, `point ${p}: dry run`).toBeUndefined();
        const calls = dry.calls;
        // Real run: the nth call fails, the process dies there, the power goes.
        const fs = new MemoryFileSystem();
        fs.injectFault({ call: 'any', skip: rng.int(calls), times: Infinity, crash: true });
        const out = runUntilCrash(openOn(fs), steps);
        if (out.error !== undefined && !(out.error instanceof KVError && out.error.code === 'KV_IO')) throw out.error;
        fs.clearFaults();
        fs.powerLoss(lossOptions(rng, fs, rng.chance(0.5)));
        checkRecovered(openOn(fs), out, `mid-op point ${p} (seed ${seed + 100_000 + p})`);
      }
    });

    it(`reports a failing sync or write as KV_IO and still keeps the rule after reopening (${Math.ceil(points / 4)} points)`, () => {
      for (let p = 0; p < Math.ceil(points / 4); p++) {
        const rng = new Rng(seed + 200_000 + p);
        const steps: Step[] = [...randomWorkload(rng, 5 + rng.int(maxSteps), shape), { type: 'sync' }];
        const fs = new MemoryFileSystem();
        const call = p % 2 === 0 ? 'sync' : 'write';
        fs.injectFault({
          call: call === 'write' && p % 4 === 1 ? 'append' : call,
          skip: rng.int(4),
          errno: rng.chance(0.5) ? 'EIO' : 'ENOSPC',
        });
        const out = runUntilCrash(openOn(fs), steps);
        const where = `failing-${call} point ${p} (seed ${seed + 200_000 + p})`;
        if (out.error === undefined) {
          // This workload never made that call often enough; nothing to check but the rule.
          out.db?.close();
        } else {
          expect(out.error, where).toBeInstanceOf(KVError);
          expect((out.error as KVError).code, where).toBe('KV_IO');
          if (out.db) {
            // A failed store refuses writes until it is reopened, and closes cleanly.
            let refused: unknown;
            try {
              out.db.put('x', 'y');
              out.db.sync();
            } catch (e) {
              refused = e;
            }
            if (out.failed?.type !== 'reopen') expect((refused as KVError | undefined)?.code, where).toBe('KV_IO');
            out.db.close();
          }
        }
        fs.clearFaults();
        if (rng.chance(0.5)) fs.powerLoss(lossOptions(rng, fs, rng.chance(0.5)));
        checkRecovered(openOn(fs), out, where);
      }
    });
  });
}
