/**
 * A crash at every file-system call of a flush, of an automatic compaction, and of compact(),
 * in several disk states, keeps the durability rule: the reopened store holds exactly the
 * state before the interrupted write or the state after it (everything before was synced).
 * The flush gets every disk state at every call; the longer compactions get two per call
 * (everything unsynced lost, and the others in turn), so every state meets many calls.
 */
import { describe, it, expect } from 'vitest';
import { MemoryFileSystem, KVError } from '../../engines/index.js';
import type { PowerLossOptions } from '../../engines/storage/memory.js';
import { LsmStore } from '../../engines/lsm/store.js';
import type { StoreOptions } from '../../engines/kv.js';
import { Model, storeFingerprint } from '../util/model.js';
import { utf8 } from '../../engines/bytes.js';
import { checkLsmDir } from '../../engines/lsm/check.js';

const TUNING: Partial<StoreOptions> = {
  memtableBytes: 600,
  blockBytes: 128,
  l0CompactionTrigger: 3,
  level1Bytes: 1500,
  levelSizeMultiplier: 2,
  targetFileBytes: 500,
};
const open = (fs: MemoryFileSystem) => new LsmStore({ ...TUNING, dir: '/db', fs });
const key = (i: number) => utf8(`key${String(i).padStart(4, '0')}`);
const val = (i: number, round: number) => utf8(`value-${i}-${round}-${'x'.repeat(i % 23)}`);

/** The disk states to try after the crash, for what is pending. */
function states(fs: MemoryFileSystem): PowerLossOptions[] {
  const n = fs.pendingWrites();
  const out: PowerLossOptions[] = [
    {},
    { keepWrites: n, keepDirChanges: true },
    { keepWrites: n },
    { keepSector: (w, s) => ((w * 7 + s / 512) & 1) === 0 },
  ];
  if (n > 0) out.push({ keepWrites: n - 1, tornBytes: Math.floor(fs.pendingWriteLength(n - 1) / 2) });
  return out;
}

/**
 * Builds a synced, closed store by `setup`, then for every call n of `op` (counted by a dry
 * run): fail call n and every call after it (the process dies there), lose power in each
 * disk state, reopen, and compare with the models before and after the op.
 */
function everyCall(
  setup: (db: LsmStore, m: Model) => void,
  op: (db: LsmStore, m: Model) => void,
  expectEvent: string,
  allStates = true,
): number {
  const base = new MemoryFileSystem();
  const before = new Model();
  let db = open(base);
  setup(db, before);
  db.close();
  const after = before.clone();
  // Dry run: count the op's calls, and check it does the step we mean to crash.
  const dry = base.clone();
  const events: string[] = [];
  const picks: unknown[] = [];
  db = new LsmStore({
    ...TUNING,
    dir: '/db',
    fs: dry,
    trace: (e) => {
      events.push(e.type);
      if (e.type === 'lsm.compaction.pick') picks.push(e);
    },
  });
  const start = dry.calls;
  op(db, after);
  const calls = dry.calls - start;
  db.close();
  expect(events, JSON.stringify(picks)).toContain(expectEvent);
  const allowed = new Set([before.fingerprint(), after.fingerprint()]);
  for (let n = 0; n < calls; n++) {
    const probe = base.clone();
    // Every disk state at every call, or (for long ops) two per call: all-lost and one in turn.
    const all = states(probeAfterCrash(probe, n, op));
    for (const state of allStates ? all : [all[0]!, all[1 + (n % (all.length - 1))]!]) {
      const fs = probeAfterCrash(base.clone(), n, op);
      fs.powerLoss(state);
      const re = open(fs);
      const fp = storeFingerprint(re);
      expect(
        allowed.has(fp),
        `crash at call ${n} of ${calls}, state ${JSON.stringify(state, (k, v) => (typeof v === 'function' ? 'fn' : v))}`,
      ).toBe(true);
      // The recovered store is usable and stable.
      re.put('after', 'crash');
      re.close();
      // The closed store passes the full structural check.
      checkLsmDir(fs, '/db');
      const again = open(fs);
      expect(again.get('after')).toEqual(utf8('crash'));
      again.close();
    }
  }
  return calls;
}

/** Opens the store on `fs`, fails the op's call `n` and all after, and returns the fs. */
function probeAfterCrash(fs: MemoryFileSystem, n: number, op: (db: LsmStore, m: Model) => void): MemoryFileSystem {
  const db = open(fs);
  fs.injectFault({ call: 'any', skip: n, times: Infinity });
  try {
    op(db, new Model());
    db.sync();
  } catch (e) {
    if (!(e instanceof KVError && e.code === 'KV_IO')) throw e;
  }
  fs.clearFaults();
  return fs;
}

/** Fills the memtable to just below its threshold, and syncs. */
function nearlyFull(db: LsmStore, m: Model, round: number, from = 0): number {
  let i = from;
  while (db.stats().engineStats.memtableBytes! + 60 < TUNING.memtableBytes!) {
    const k = key(i % 60);
    db.put(k, val(i, round));
    m.put(k, val(i, round));
    if (i % 7 === 3) {
      db.delete(key((i * 3) % 60));
      m.delete(key((i * 3) % 60));
    }
    i++;
  }
  db.sync();
  return i;
}

/** A write that fills the memtable (a batch, so the crash may land in either half of it). */
function fillingWrite(db: LsmStore, m: Model): void {
  const ops = [
    { type: 'put' as const, key: key(5), value: utf8('y'.repeat(120)) },
    { type: 'delete' as const, key: key(6) },
  ];
  db.batch(ops);
  m.put(key(5), utf8('y'.repeat(120)));
  m.delete(key(6));
}

describe('lsm crash points', () => {
  it('a crash at every file-system call of a flush keeps the durability rule', () => {
    const calls = everyCall(
      (db, m) => void nearlyFull(db, m, 0),
      (db, m) => fillingWrite(db, m),
      'lsm.flush',
    );
    expect(calls).toBeGreaterThan(8);
  });

  it('a crash at every file-system call of an automatic level-0 compaction keeps the durability rule', () => {
    const calls = everyCall(
      (db, m) => {
        // Two flushed level-0 tables, then a nearly full memtable: the next flush makes three (the trigger).
        let i = 0;
        while (db.stats().engineStats.level0Files! < 2) {
          db.put(key(i % 60), val(i, 1));
          m.put(key(i % 60), val(i, 1));
          i++;
        }
        nearlyFull(db, m, 9, i);
        expect(db.stats().engineStats.level0Files).toBe(2);
      },
      (db, m) => fillingWrite(db, m),
      'lsm.compaction.merge',
      false,
    );
    expect(calls).toBeGreaterThan(20);
  });

  it('a crash at every file-system call of compact() keeps the durability rule', () => {
    everyCall(
      (db, m) => {
        let i = 0;
        for (let round = 0; round < 4; round++) {
          i = nearlyFull(db, m, round, i);
          fillingWrite(db, m);
        }
        nearlyFull(db, m, 7, i);
      },
      (db) => db.compact(),
      'lsm.compaction.install',
      false,
    );
  });
});
