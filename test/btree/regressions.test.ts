/**
 * regressions.test.ts: the failures the full reliability campaign found on the B+tree, each
 * replayed exactly (seed, sequence, crash point, disk state), plus the rule they broke,
 * checked for every tear position of many commits.
 *
 * 1. A torn meta write whose old bytes differed from the new ones in a single bit (liveBytes
 *    0 -> 16) was taken for a flipped bit in a completed commit, and open refused the file.
 * 2. An EIO in the middle of a batch left the batch's first ops visible to reads.
 */
import { describe, it, expect } from 'vitest';
import { openStore, MemoryFileSystem, KVError, utf8 } from '../../engines/index.js';
import { BtreeStore, checkBtreeDir } from '../../engines/btree/store.js';
import { META_SIZE, STATE_OFFSET } from '../../engines/btree/format.js';
import { currentMeta, readMetaSlots } from '../../engines/btree/meta.js';
import { readWhole } from '../../engines/storage/fs.js';
import { Rng } from '../util/rng.js';
import { randomWorkload, SMALL_SHAPE, type Step } from '../util/workload.js';
import { runUntilCrash, checkRecovered } from '../util/durability.js';
import { storeFingerprint } from '../util/model.js';

const TUNING = { pageSize: 512, cachePages: 6, dirtyPageBudget: 4 };
const openOn = (fs: MemoryFileSystem, dir: string) => () => openStore('btree', { ...TUNING, dir, fs });

/** Runs `steps` with a crash after mutating call `n`, tears the in-flight write at `torn`, and checks the rule. */
function crashAndTear(steps: Step[], n: number, torn: number, where: string): void {
  const fs = new MemoryFileSystem();
  fs.injectFault({ call: 'mutate', skip: n, times: Infinity, crash: true });
  const out = runUntilCrash(openOn(fs, '/r'), steps);
  expect(out.error, where).toBeInstanceOf(KVError);
  fs.clearFaults();
  const pending = fs.pendingWrites();
  expect(fs.pendingWriteLength(pending - 1), `${where}: the in-flight write is a meta page`).toBe(META_SIZE);
  fs.powerLoss({ keepWrites: pending - 1, tornBytes: torn });
  checkRecovered(openOn(fs, '/r'), out, where, () => checkBtreeDir(fs, '/r'));
}

const put = (k: string, v: string): Step => ({ type: 'put', key: utf8(k), value: utf8(v) });

describe('btree regressions from the full reliability campaign', () => {
  it('opens after the first commit of a new store tears its meta page at byte 75 (exhaustive: [small put, batch], call 13 of 14)', () => {
    const steps: Step[] = [
      put('k0', 'base'),
      put('k1', 'base one'),
      { type: 'sync' },
      put('k1', 'small'),
      {
        type: 'batch',
        ops: [
          { type: 'put', key: utf8('k3'), value: utf8('batched') },
          { type: 'delete', key: utf8('k1') },
          { type: 'put', key: utf8('k0'), value: utf8('in a batch') },
        ],
      },
    ];
    crashAndTear(steps, 13, 75, 'sequence [small put, batch]');
  });

  it('opens after a meta page torn at byte 80 in a long session (crash-points seed 20261146, call 36 of 50)', () => {
    const rng = new Rng(20261146);
    const steps = randomWorkload(rng, 25, { ...SMALL_SHAPE, keys: 12, pSync: 0.15, pReopen: 0.06, pCompact: 0.06 });
    crashAndTear(steps, 36, 80, 'seed 20261146');
  });

  it('reads the state before a batch that an EIO stopped part-way (failing-disk seed 20261632, call 28 of 48)', () => {
    const rng = new Rng(20261632);
    const steps = randomWorkload(rng, 20, { ...SMALL_SHAPE, keys: 10, pSync: 0.2, pReopen: 0.05, pCompact: 0.05 });
    const fs = new MemoryFileSystem();
    fs.injectFault({ call: 'any', skip: 28, times: 1, errno: 'EIO' });
    const out = runUntilCrash(openOn(fs, '/f'), steps);
    expect(out.failed?.type).toBe('batch');
    expect(out.states.slice(out.completed, out.completed + 2)).toContain(storeFingerprint(out.db!));
    expect(() => out.db!.put('refused', 'x')).toThrow(/earlier write or sync failed/);
    out.db!.close();
    fs.clearFaults();
    checkRecovered(openOn(fs, '/f'), out, 'seed 20261632, reopened', () => checkBtreeDir(fs, '/f'));
  });

  it('shows the state before or after a batch that an I/O error stops, wherever it stops, and writes nothing after', () => {
    const ops = Array.from({ length: 60 }, (_, i) =>
      i % 3 === 2
        ? { type: 'delete' as const, key: `key${i}` }
        : { type: 'put' as const, key: `key${i}`, value: 'x'.repeat(i % 5 === 0 ? 700 : 30) },
    );
    const base = (fs: MemoryFileSystem) => {
      const db = new BtreeStore({ ...TUNING, dir: '/b', fs });
      for (let i = 0; i < 30; i++) db.put(`key${i}`, `value ${i}`.repeat(2));
      db.sync();
      for (let i = 30; i < 40; i++) db.put(`key${i}`, `unsynced ${i}`);
      return db;
    };
    const whole = base(new MemoryFileSystem());
    whole.batch(ops);
    const after = storeFingerprint(whole);
    let rolledBack = 0;
    for (let n = 0; n < 60; n++) {
      const fs = new MemoryFileSystem();
      const db = base(fs);
      const before = storeFingerprint(db);
      const calls = fs.calls;
      fs.injectFault({ call: 'any', skip: n, times: 1, errno: 'EIO' });
      let failed = false;
      try {
        db.batch(ops);
      } catch (e) {
        expect((e as KVError).code).toBe('KV_IO');
        failed = true;
      }
      fs.clearFaults();
      if (!failed) {
        db.close();
        continue;
      }
      const mutations = fs.mutations;
      const seen = storeFingerprint(db);
      expect([before, after], `EIO at call ${calls + n}`).toContain(seen);
      if (seen === before) rolledBack++;
      for (let i = 0; i < 60; i++) db.get(`key${i}`);
      expect(fs.mutations, 'a failed store writes nothing, reads included').toBe(mutations);
      db.close();
    }
    // Most failures hit the batch's own spills, before its last op: those must roll back.
    expect(rolledBack).toBeGreaterThan(10);
  });
});

describe('btree meta pages after a crash', () => {
  /** A store's file after `commits` commits, closed, with the flag set dirty (as a crash leaves it). */
  function history(commits: number): { fs: MemoryFileSystem; bytes: Uint8Array } {
    const fs = new MemoryFileSystem();
    const db = new BtreeStore({ dir: '/m', fs, pageSize: 512 });
    for (let c = 0; c < commits; c++) {
      for (let i = 0; i <= c; i++) db.put(`k${c}-${i}`, 'v'.repeat(1 + ((c * 7) % 40)));
      db.sync();
    }
    db.close();
    return { fs, bytes: readWhole(fs, '/m/btree.db') };
  }

  it('falls back past a torn meta write at every byte of it, for commits 2 to 40', () => {
    for (let commits = 0; commits < 39; commits++) {
      const { bytes } = history(commits);
      const slots = readMetaSlots((at, n) => bytes.subarray(at, at + n), 512, 'btree.db');
      const best = slots.map((s) => s.meta!).reduce((a, b) => (b.txid > a.txid ? b : a));
      // The next commit writes its meta page over the slot holding best - 1: take that page
      // from the same store one commit on (the workload is deterministic).
      const target = (best.txid + 1) % 2;
      const after = history(commits + 1).bytes.subarray(target * 512, target * 512 + META_SIZE);
      for (let t = 0; t < META_SIZE; t++) {
        const torn = new Uint8Array(bytes);
        torn.set(after.subarray(0, t), target * 512);
        torn[STATE_OFFSET] = 'D'.charCodeAt(0);
        const s = readMetaSlots((at, n) => torn.subarray(at, at + n), 512, 'btree.db');
        const choice = currentMeta(s, true, 'btree.db');
        expect(choice.ok, `commit ${best.txid + 1} torn at byte ${t}: ${choice.ok ? '' : choice.error.message}`).toBe(
          true,
        );
        // A tear that kept all old bytes, or all new ones, leaves a valid page.
        if (choice.ok) expect(choice.meta.txid).toBe(Math.max(best.txid, s[target]!.meta?.txid ?? 0));
      }
    }
  });

  it('after a clean close, refuses every single flipped bit of either meta page', () => {
    const { bytes } = history(5);
    for (let bit = 0; bit < 2 * META_SIZE * 8; bit++) {
      const slot = bit < META_SIZE * 8 ? 0 : 1;
      const b = bit % (META_SIZE * 8);
      const damaged = new Uint8Array(bytes);
      damaged[slot * 512 + (b >> 3)]! ^= 1 << (b & 7);
      const choice = currentMeta(
        readMetaSlots((at, n) => damaged.subarray(at, at + n), 512, 'btree.db'),
        false,
        'btree.db',
      );
      expect(choice.ok, `bit ${b} of meta page ${slot}`).toBe(false);
    }
  });

  it('after a crash, refuses a zeroed slot, a slot holding another page, and a txid no commit writes there', () => {
    const { bytes } = history(5);
    const slots = readMetaSlots((at, n) => bytes.subarray(at, at + n), 512, 'btree.db');
    const older = slots[0]!.meta!.txid < slots[1]!.meta!.txid ? 0 : 1;
    const cases: [string, (b: Uint8Array) => void][] = [
      ['zeros', (b) => b.fill(0, older * 512, older * 512 + META_SIZE)],
      ['a leaf page', (b) => b.copyWithin(older * 512, 2 * 512, 2 * 512 + META_SIZE)],
      ['txid + 5', (b) => (b[older * 512 + 32]! += 5)],
    ];
    for (const [name, damage] of cases) {
      const b = new Uint8Array(bytes);
      damage(b);
      const choice = currentMeta(
        readMetaSlots((at, n) => b.subarray(at, at + n), 512, 'btree.db'),
        true,
        'btree.db',
      );
      expect(choice.ok, name).toBe(false);
      if (!choice.ok) expect(choice.error).toMatchObject({ code: 'KV_CORRUPT', offset: older * 512 });
    }
  });
});
