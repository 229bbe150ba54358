/**
 * workload.ts: random operation lists for the model and crash suites, and applying them to
 * a store and to the model in the same way.
 */
import { utf8 } from '../../engines/bytes.js';
import type { KVStore } from '../../engines/kv.js';
import type { ByteOp } from '../../engines/store.js';
import { Model } from './model.js';
import { Rng } from './rng.js';

/** One step of a workload. `sync` and `reopen` are durability points; the rest change data. */
export type Step =
  ByteOp | { type: 'batch'; ops: ByteOp[] } | { type: 'sync' } | { type: 'reopen' } | { type: 'compact' };

/** Shape of a random workload. */
export interface WorkloadShape {
  keys: number; // distinct keys to choose from
  maxValue: number; // usual largest value
  bigValue: number; // occasional large value
  pSync: number;
  pReopen: number;
  pCompact: number;
  /** Key number 0 is the empty key (off by default, so the seeds of recorded regressions replay as they were). */
  emptyKey?: boolean;
}

export const SMALL_SHAPE: WorkloadShape = {
  keys: 30,
  maxValue: 40,
  bigValue: 700,
  pSync: 0.12,
  pReopen: 0.03,
  pCompact: 0.02,
};

/** A random key: mostly `k<n>`, sometimes raw bytes with 0x00 and 0xFF, and with `emptyKey` sometimes the empty key. */
function randomKey(rng: Rng, shape: WorkloadShape): Uint8Array {
  const n = rng.int(shape.keys);
  if (n === 0 && shape.emptyKey) return new Uint8Array(0);
  if (n % 10 === 9) return new Uint8Array([0xff, n & 0xff, 0x00, 1]);
  return utf8(`k${String(n).padStart(4, '0')}`);
}

/** A random value: usually short, sometimes empty, sometimes big. */
function randomValue(rng: Rng, shape: WorkloadShape): Uint8Array {
  if (rng.chance(0.05)) return rng.bytes(shape.bigValue + rng.int(shape.bigValue));
  return rng.bytes(rng.int(shape.maxValue + 1));
}

/** A random put or delete. */
export function randomOp(rng: Rng, shape: WorkloadShape): ByteOp {
  const key = randomKey(rng, shape);
  return rng.chance(0.25) ? { type: 'delete', key } : { type: 'put', key, value: randomValue(rng, shape) };
}

/** A random workload of `n` steps. */
export function randomWorkload(rng: Rng, n: number, shape: WorkloadShape = SMALL_SHAPE): Step[] {
  const steps: Step[] = [];
  for (let i = 0; i < n; i++) {
    const r = rng.next();
    if (r < shape.pSync) steps.push({ type: 'sync' });
    else if (r < shape.pSync + shape.pReopen) steps.push({ type: 'reopen' });
    else if (r < shape.pSync + shape.pReopen + shape.pCompact) steps.push({ type: 'compact' });
    else if (r < shape.pSync + shape.pReopen + shape.pCompact + 0.1) {
      const ops: ByteOp[] = [];
      for (let j = 1 + rng.int(6); j > 0; j--) ops.push(randomOp(rng, shape));
      steps.push({ type: 'batch', ops });
    } else steps.push(randomOp(rng, shape));
  }
  return steps;
}

/** True for steps that change data (and so are "operations" for the durability rule). */
export function isWrite(s: Step): boolean {
  return s.type === 'put' || s.type === 'delete' || s.type === 'batch';
}

/** Applies a data-changing step to the model. */
export function applyToModel(m: Model, s: Step): void {
  if (s.type === 'put') m.put(s.key, s.value);
  else if (s.type === 'delete') m.delete(s.key);
  else if (s.type === 'batch') for (const op of s.ops) applyToModel(m, op);
}

/** Runs a step on a store; `reopen` closes and calls `open` for the next store, which is returned. */
export function applyToStore(db: KVStore, s: Step, open: () => KVStore): KVStore {
  switch (s.type) {
    case 'put':
      db.put(s.key, s.value);
      return db;
    case 'delete':
      db.delete(s.key);
      return db;
    case 'batch':
      db.batch(s.ops);
      return db;
    case 'sync':
      db.sync();
      return db;
    case 'compact':
      db.compact();
      return db;
    case 'reopen':
      db.close();
      return open();
  }
}
