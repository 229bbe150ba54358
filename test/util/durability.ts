/**
 * durability.ts: running a workload until a crash, and checking the durability rule of
 * DESIGN.md on what a reopen recovers. Shared by the crash suite and the reliability campaign.
 */
import { expect } from 'vitest';
import type { KVStore } from '../../engines/index.js';
import { Model, storeFingerprint } from './model.js';
import { applyToModel, applyToStore, isWrite, type Step } from './workload.js';

/** What running a workload until a crash produced. */
export interface Outcome {
  /** Model fingerprints after 0, 1, 2... completed writes. */
  states: string[];
  /** Writes acknowledged before the last completed sync (or clean reopen). */
  durable: number;
  /** Writes completed (acknowledged). */
  completed: number;
  /** True if a write was in flight when the crash came (it may or may not have landed). */
  inFlight: boolean;
}

/** Runs `steps` until one throws; tracks what the durability rule allows afterwards. */
export function runUntilCrash(
  open: () => KVStore,
  steps: Step[],
): Outcome & { db: KVStore | undefined; error: unknown; failed?: Step; ran: number } {
  const model = new Model();
  const states = [model.fingerprint()];
  let durable = 0;
  let completed = 0;
  let db: KVStore | undefined;
  try {
    db = open();
  } catch (e) {
    return { states, durable, completed, inFlight: false, db: undefined, error: e, ran: 0 };
  }
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    try {
      db = applyToStore(db!, step, open);
    } catch (e) {
      // The step failed part-way: a write may have landed, a sync or reopen proves nothing.
      if (isWrite(step)) {
        const m = model.clone();
        applyToModel(m, step);
        states.push(m.fingerprint());
      }
      return { states, durable, completed, inFlight: isWrite(step), db, error: e, failed: step, ran: i };
    }
    if (isWrite(step)) {
      applyToModel(model, step);
      completed++;
      states.push(model.fingerprint());
    } else if (step.type === 'sync' || step.type === 'reopen') {
      durable = completed;
    }
  }
  return { states, durable, completed, inFlight: false, db, error: undefined, ran: steps.length };
}

/**
 * Checks the rule on a reopened store, then (if given) the engine's structural check on the
 * closed store, then that the store works and a second recovery sees the same contents.
 */
export function checkRecovered(open: () => KVStore, out: Outcome, where: string, structural?: () => void): void {
  let db: KVStore;
  try {
    db = open();
  } catch (e) {
    throw new Error(`${where}: reopen after the crash failed: ${(e as Error).message}`);
  }
  const fp = storeFingerprint(db);
  const last = out.completed + (out.inFlight ? 1 : 0);
  const allowed = out.states.slice(out.durable, last + 1);
  // expect() only on a failure: this runs for every one of a campaign's crash states.
  if (!allowed.includes(fp))
    expect(fp, `${where}: the recovered contents match no prefix of ${out.durable}..${last} writes`).toBe(
      allowed[allowed.length - 1],
    );
  if (structural) {
    db.close();
    structural();
    db = open();
  }
  // The recovered store works, and a second recovery sees the same contents.
  db.put('after-crash', 'ok');
  db.close();
  const again = open();
  const back = again.get('after-crash');
  if (!back || new TextDecoder().decode(back) !== 'ok')
    expect(back && new TextDecoder().decode(back), `${where}: a write after recovery`).toBe('ok');
  again.delete('after-crash');
  const second = storeFingerprint(again);
  if (second !== fp) expect(second, `${where}: second reopen`).toBe(fp);
  again.close();
}
