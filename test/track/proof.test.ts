/**
 * proof.test.ts: every track's step checks pass on its reference engine, and every one of
 * them fails on a fresh scaffold (with the scaffold's "not written yet" error), so a check
 * that cannot fail, or one the reference cannot pass, is caught here.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runChecks } from '../../track/check.js';
import { YOURS, loadEngineFrom } from '../../track/learners.js';
import { subjectFor, type Subject } from '../../track/subject.js';
import { KVError } from '../../engines/index.js';
import { scaffoldSource } from '../../track/template.js';
import { TRACKS } from '../../track/tracks.js';

/** A scratch engine folder beside the learners' (so its imports of ../../engines resolve). */
const scratch = (track: string) => join(YOURS, `.proof-${process.pid}-${track}`);

describe('the build-your-own tracks', () => {
  afterAll(() => {
    for (const t of Object.keys(TRACKS)) rmSync(scratch(t), { recursive: true, force: true });
  });

  for (const track of Object.values(TRACKS)) {
    it(`${track.name}: every step has checks, and every check passes on the reference ${track.reference} engine`, () => {
      for (const step of track.steps)
        expect(track.checks.filter((c) => c.step === step.n).length, `step ${step.n}`).toBeGreaterThan(0);
      const failed = runChecks(track.checks, subjectFor(track.reference)).filter((r) => !r.ok);
      expect(failed.map((r) => `step ${r.check.step}: ${r.check.title}: ${r.message}`)).toEqual([]);
    });

    it(`${track.name}: each step's checks need only the methods of that step and earlier ones`, () => {
      // The reference engine with every method a later step writes throwing, as a learner's would.
      const stepOf = (m: string) => track.steps.find((st) => st.methods.includes(m))?.n ?? track.steps.length;
      const failed: string[] = [];
      for (const step of track.steps) {
        const reference = subjectFor(track.reference);
        const partial: Subject = {
          name: `${track.reference}-through-step-${step.n}`,
          open: (o) => {
            const db = reference.open(o);
            return new Proxy(db, {
              get(target, prop, receiver) {
                const v = Reflect.get(target, prop, receiver);
                if (typeof prop === 'string' && typeof v === 'function' && stepOf(prop) > step.n) {
                  return () => {
                    throw new KVError('KV_NOT_WRITTEN', `${prop}() is not written yet: step ${stepOf(prop)}`);
                  };
                }
                return typeof v === 'function' ? v.bind(target) : v;
              },
            });
          },
        };
        const mine = track.checks.filter((c) => c.step === step.n);
        for (const r of runChecks(mine, partial))
          if (!r.ok) failed.push(`step ${step.n}: ${r.check.title}: ${r.message}`);
      }
      expect(failed).toEqual([]);
    });

    it(`${track.name}: every check fails on a fresh scaffold, saying which step writes what it needs`, async () => {
      const name = `proof-${track.name}`;
      const dir = scratch(track.name);
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'index.ts'), scaffoldSource(name, track));
      await loadEngineFrom(name, dir);
      const results = runChecks(track.checks, subjectFor(name));
      expect(results.filter((r) => r.ok).map((r) => r.check.title)).toEqual([]);
      for (const r of results) expect(r.message, r.check.title).toMatch(/not written yet: step \d/);
    });
  }
});
