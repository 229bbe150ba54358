/**
 * fuzz.test.ts: bad input. Random keys, values, ranges, batch shapes and option objects,
 * of wrong types and over the limits, thrown at every engine. Each call is either accepted
 * and behaves as the model says, or refused with a typed KVError; a refused call changes
 * nothing, and the store stays usable.
 */
import { describe, it, expect } from 'vitest';
import { openStore, MemoryFileSystem, KVError } from '../../engines/index.js';
import { utf8 } from '../../engines/bytes.js';
import { Model, pairsHex, storeFingerprint } from '../util/model.js';
import { Rng } from '../util/rng.js';
import { PROFILES } from './profiles.js';
import { SEED, rounds, count, report } from './campaign.js';

/** A random argument: sometimes valid bytes or strings, often something wrong. */
function anything(rng: Rng, maxKey: number, maxValue: number): unknown {
  switch (rng.int(16)) {
    case 0:
      return rng.int(1000);
    case 1:
      return null;
    case 2:
      return undefined;
    case 3:
      return {};
    case 4:
      return [1, 2, 3];
    case 5:
      return '';
    case 6:
      return new Uint8Array(0);
    case 7:
      return new Uint8Array(maxKey + 1 + rng.int(3));
    case 8:
      return new Uint8Array(maxValue + 1);
    case 9:
      return true;
    case 10:
      return new ArrayBuffer(4);
    case 11:
      return Symbol('s');
    case 12:
      return () => 1;
    case 13:
      return new Uint16Array(2);
    default:
      return rng.chance(0.5) ? `k${rng.int(20)}` : rng.bytes(1 + rng.int(8));
  }
}

/** A random range object, often malformed. */
function anyRange(rng: Rng): unknown {
  const r: Record<string, unknown> = {};
  for (const name of ['gt', 'gte', 'lt', 'lte', 'reverse', 'limit', 'bogus']) {
    if (!rng.chance(0.3)) continue;
    if (name === 'reverse') r[name] = rng.pick([true, false, 'yes', 1]);
    else if (name === 'limit') r[name] = rng.pick([0, 3, -1, -5, 1.5, '2', NaN, Infinity]);
    else r[name] = rng.chance(0.6) ? `k${rng.int(20)}` : anything(rng, 8, 8);
  }
  return rng.chance(0.1) ? rng.pick([null, 5, 'range']) : r;
}

/** Converts a valid key/value argument as the contract does (the empty key and value are valid), or undefined if invalid. */
function asBytes(x: unknown, max: number): Uint8Array | undefined {
  const b = typeof x === 'string' ? utf8(x) : x instanceof Uint8Array && !(x instanceof Uint16Array) ? x : undefined;
  if (!b || b.length > max) return undefined;
  return b;
}

for (const profile of PROFILES) {
  describe(`${profile.name}: bad input`, () => {
    it('accepts valid calls, refuses bad ones with a typed error, and a refused call changes nothing', () => {
      rounds(2, (round) => {
        const rng = new Rng(SEED + 7000 + round);
        const fs = new MemoryFileSystem();
        const db = openStore(profile.engine, { ...profile.tuning, dir: '/z', fs });
        const model = new Model();
        const { maxKeyBytes, maxValueBytes } = db.limits;
        for (let i = 0; i < 1500; i++) {
          const where = `${profile.name} round ${round} call ${i}`;
          const before = storeFingerprint(db);
          const op = rng.int(5);
          let valid = false;
          let apply = () => {};
          let call: () => unknown;
          let range: unknown;
          if (op === 0) {
            const k = anything(rng, maxKeyBytes, maxValueBytes);
            const v = rng.chance(0.7) ? 'value' : anything(rng, maxKeyBytes, maxValueBytes);
            const kb = asBytes(k, maxKeyBytes);
            const vb = asBytes(v, maxValueBytes);
            valid = kb !== undefined && vb !== undefined;
            apply = () => model.put(kb!, vb!);
            call = () => db.put(k as never, v as never);
          } else if (op === 1) {
            const k = anything(rng, maxKeyBytes, maxValueBytes);
            const kb = asBytes(k, maxKeyBytes);
            valid = kb !== undefined;
            apply = () => model.delete(kb!);
            call = () => db.delete(k as never);
          } else if (op === 2) {
            const k = anything(rng, maxKeyBytes, maxValueBytes);
            valid = asBytes(k, maxKeyBytes) !== undefined;
            call = () => db.get(k as never);
          } else if (op === 3) {
            const ops: unknown[] = [];
            let allOk = true;
            const effects: (() => void)[] = [];
            for (let j = rng.int(5); j >= 0; j--) {
              const good = rng.chance(0.8);
              const k = good ? `k${rng.int(20)}` : anything(rng, maxKeyBytes, maxValueBytes);
              const type = rng.chance(0.9) ? rng.pick(['put', 'delete']) : rng.pick(['merge', undefined, 7]);
              const v = rng.chance(0.9) ? 'bv' : anything(rng, maxKeyBytes, maxValueBytes);
              const kb = asBytes(k, maxKeyBytes);
              const vb = asBytes(v, maxValueBytes);
              if (kb === undefined || (type !== 'put' && type !== 'delete') || (type === 'put' && vb === undefined))
                allOk = false;
              else effects.push(type === 'put' ? () => model.put(kb, vb!) : () => model.delete(kb));
              ops.push(rng.chance(0.05) ? null : { type, key: k, value: v });
            }
            valid = allOk && !ops.includes(null);
            apply = () => effects.forEach((f) => f());
            const arg = rng.chance(0.05) ? { notAnArray: true } : ops;
            if (!Array.isArray(arg)) valid = false;
            call = () => db.batch(arg as never);
          } else {
            range = anyRange(rng);
            call = () => [...db.scan(range as never)];
            valid = true; // checked below by comparing with the model when accepted
          }
          let err: unknown;
          let result: unknown;
          try {
            result = call();
          } catch (e) {
            err = e;
          }
          count(profile.name, 'fuzz cases');
          if (err !== undefined) {
            expect(err, `${where}: threw a non-KVError ${String(err)}`).toBeInstanceOf(KVError);
            expect(storeFingerprint(db), `${where}: a refused call changed the store`).toBe(before);
            if (op !== 4) expect(valid, `${where}: a valid call was refused: ${(err as Error).message}`).toBe(false);
          } else {
            expect(op === 4 || valid, `${where}: an invalid call was accepted`).toBe(true);
            if (op === 4)
              expect(pairsHex(result as [Uint8Array, Uint8Array][]), `${where}: scan ${String(range)}`).toEqual(
                pairsHex(model.scan(range as never)),
              );
            apply();
          }
          expect(storeFingerprint(db), `${where}: contents`).toBe(model.fingerprint());
        }
        db.close();
      });
      report(profile.name);
    });

    it('refuses bad option objects with KV_BAD_OPTION and opens nothing', () => {
      const fs = new MemoryFileSystem();
      for (const bad of [undefined, null, 5, {}, { dir: 5 }, { dir: '' }, { dir: '/o', trace: 'loud' }]) {
        let err: unknown;
        try {
          openStore(
            profile.engine,
            (bad === undefined || bad === null || typeof bad !== 'object' ? bad : { ...bad, fs }) as never,
          );
        } catch (e) {
          err = e;
        }
        expect(err, JSON.stringify(bad)).toBeInstanceOf(KVError);
        expect((err as KVError).code).toBe('KV_BAD_OPTION');
        count(profile.name, 'fuzz cases');
      }
      expect(() => openStore('nosuch' as never, { dir: '/o', fs })).toThrow(/unknown engine/);
      openStore(profile.engine, { ...profile.tuning, dir: '/o', fs }).close();
    });
  });
}
