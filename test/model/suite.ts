/**
 * suite.ts: the model-based random test. A seeded stream of puts, deletes, batches, gets,
 * scans, syncs, compactions and reopens runs on an engine and on a plain sorted model; every
 * read must agree, and every few hundred steps the whole contents are compared.
 *
 * Replay a failure with SEED=<seed> npx vitest run test/model/<engine>.test.ts
 */
import { describe, it, expect } from 'vitest';
import { openStore, MemoryFileSystem } from '../../engines/index.js';
import type { EngineName, KVStore, Range, StoreOptions } from '../../engines/index.js';
import { toHex } from '../../engines/bytes.js';
import { Model, pairsHex } from '../util/model.js';
import { Rng, seedFor } from '../util/rng.js';
import { applyToModel, applyToStore, randomOp, type Step, type WorkloadShape } from '../util/workload.js';

/** Options for one engine's model run. */
export interface ModelRun {
  ops?: number; // default 10,000
  seed?: number;
  shape?: Partial<WorkloadShape>;
}

const SHAPE: WorkloadShape = {
  keys: 400,
  maxValue: 64,
  bigValue: 1500,
  pSync: 0.02,
  pReopen: 0.004,
  pCompact: 0.002,
  emptyKey: true,
};

/** A random range over the key space, with random direction and limit. */
function randomRange(rng: Rng, keys: number): Range {
  const k = () => `k${String(rng.int(keys)).padStart(4, '0')}`;
  const r: Range = {};
  const lo = rng.int(3);
  if (lo === 1) r.gt = k();
  else if (lo === 2) r.gte = k();
  const hi = rng.int(3);
  if (hi === 1) r.lt = k();
  else if (hi === 2) r.lte = k();
  if (rng.chance(0.5)) r.reverse = true;
  if (rng.chance(0.5)) r.limit = rng.int(30);
  return r;
}

/** Runs the model test on `engine` with `tuning` merged into every open. */
export function modelSuite(engine: EngineName, tuning: Partial<StoreOptions> = {}, run: ModelRun = {}): void {
  const ops = run.ops ?? 10_000;
  const seed = seedFor(run.seed ?? 20261125);
  const shape = { ...SHAPE, ...run.shape };
  describe(`${engine}${tuning.compaction ? ` (${tuning.compaction})` : ''} against a sorted model`, () => {
    it(`agrees with the model over ${ops} random operations with reopens (seed ${seed})`, () => {
      const rng = new Rng(seed);
      const fs = new MemoryFileSystem();
      const open = () => openStore(engine, { ...tuning, dir: '/model', fs });
      let db: KVStore = open();
      const model = new Model();
      const counts: Record<string, number> = {};
      for (let i = 0; i < ops; i++) {
        const where = `step ${i} (seed ${seed})`;
        const r = rng.next();
        let step: Step | undefined;
        let kind: string;
        if (r < 0.2) {
          // A point read, of a key that may or may not exist.
          kind = 'get';
          const op = randomOp(rng, shape);
          const got = db.get(op.key);
          const want = model.get(op.key);
          expect(got && toHex(got), `${where}: get ${toHex(op.key)}`).toBe(want && toHex(want));
        } else if (r < 0.25) {
          kind = 'scan';
          const range = randomRange(rng, shape.keys);
          expect(pairsHex(db.scan(range)), `${where}: scan ${JSON.stringify(range)}`).toEqual(
            pairsHex(model.scan(range)),
          );
        } else if (r < 0.25 + shape.pSync) {
          step = { type: 'sync' };
        } else if (r < 0.25 + shape.pSync + shape.pReopen) {
          step = { type: 'reopen' };
        } else if (r < 0.25 + shape.pSync + shape.pReopen + shape.pCompact) {
          step = { type: 'compact' };
        } else if (r < 0.33) {
          const batch = [];
          for (let j = 1 + rng.int(8); j > 0; j--) batch.push(randomOp(rng, shape));
          step = { type: 'batch', ops: batch };
        } else {
          step = randomOp(rng, shape);
        }
        if (step) {
          kind = step.type;
          db = applyToStore(db, step, open);
          applyToModel(model, step);
        }
        counts[kind!] = (counts[kind!] ?? 0) + 1;
        if (i % 1000 === 999) expect(pairsHex(db.scan()), `${where}: full contents`).toEqual(pairsHex(model.scan()));
      }
      db.close();
      db = open();
      expect(pairsHex(db.scan()), 'after the final reopen').toEqual(pairsHex(model.scan()));
      db.close();
      // Every kind of step ran.
      for (const k of ['get', 'scan', 'put', 'delete', 'batch', 'sync', 'reopen', 'compact'])
        expect(counts[k], k).toBeGreaterThan(0);
    });
  });
}
