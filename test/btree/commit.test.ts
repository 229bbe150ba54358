/**
 * commit.test.ts: copy-on-write commits with two meta pages. A crash at every file-system call
 * of a commit leaves either the old state or the new one, never a mix; a page the last commit
 * uses is never overwritten before the next commit is durable; the meta pages take turns.
 */
import { describe, it, expect } from 'vitest';
import { MemoryFileSystem, KVError, utf8 } from '../../engines/index.js';
import type { TraceEvent } from '../../engines/index.js';
import { BtreeStore } from '../../engines/btree/store.js';
import { META_SIZE, decodeMeta } from '../../engines/btree/format.js';
import { readWhole } from '../../engines/storage/fs.js';
import { storeFingerprint } from '../util/model.js';
import { Rng } from '../util/rng.js';

const key = (n: number) => utf8(`key${String(n).padStart(5, '0')}`);
const OPTS = { dir: '/c', pageSize: 512, cachePages: 16, dirtyPageBudget: 1000 };

/** Builds a synced state A, then changes (state B) not yet committed. Deterministic. */
function setup(fs: MemoryFileSystem): BtreeStore {
  const db = new BtreeStore({ ...OPTS, fs });
  const rng = new Rng(11);
  for (let i = 0; i < 300; i++) db.put(key(i), rng.bytes(20));
  db.put('big', rng.bytes(2000));
  db.sync();
  // State B: overwrites, deletes, new keys, a new big value: splits, merges, COW, frees.
  for (let i = 0; i < 300; i += 3) db.delete(key(i));
  for (let i = 300; i < 400; i++) db.put(key(i), rng.bytes(25));
  db.put('big', rng.bytes(1500));
  return db;
}

describe('btree commits', () => {
  it('a crash at any file-system call of a commit recovers the state before it or after it', () => {
    // Dry run: the two fingerprints, and how many calls the commit makes.
    const dry = new MemoryFileSystem();
    const d = setup(dry);
    const before = dry.calls;
    d.sync();
    const commitCalls = dry.calls - before;
    const fpNew = storeFingerprint(d);
    d.close();
    const fsOld = new MemoryFileSystem();
    setup(fsOld);
    fsOld.powerLoss();
    const oldDb = new BtreeStore({ ...OPTS, fs: fsOld });
    const fpOld = storeFingerprint(oldDb);
    oldDb.close();
    expect(fpOld).not.toBe(fpNew);
    expect(commitCalls).toBeGreaterThan(5);

    const seen = { old: 0, new: 0 };
    // n = commitCalls: the crash comes just after the commit returned.
    for (let n = 0; n <= commitCalls; n++) {
      // Each crash point with: nothing unsynced landing, everything landing, and a torn write.
      for (const loss of ['none', 'all', 'torn'] as const) {
        const fs = new MemoryFileSystem();
        const db = setup(fs);
        fs.injectFault({ call: 'any', skip: n, times: Infinity });
        let err: unknown;
        try {
          db.sync();
        } catch (e) {
          err = e;
        }
        if (n < commitCalls) {
          expect(err, `call ${n}`).toBeInstanceOf(KVError);
          expect((err as KVError).code).toBe('KV_IO');
        } else expect(err).toBeUndefined();
        fs.clearFaults();
        const pending = fs.pendingWrites();
        if (loss === 'none') fs.powerLoss();
        else if (loss === 'all') fs.powerLoss({ keepWrites: pending });
        else fs.powerLoss({ keepWrites: Math.floor(pending / 2), tornBytes: 100 });
        const re = new BtreeStore({ ...OPTS, fs });
        const fp = storeFingerprint(re);
        expect(
          fp === fpOld || fp === fpNew,
          `call ${n} of ${commitCalls}, ${loss}: recovered a state that is neither`,
        ).toBe(true);
        seen[fp === fpOld ? 'old' : 'new']++;
        expect(re.check().problems, `call ${n}, ${loss}`).toEqual([]);
        re.close();
      }
    }
    // A crash before the meta page is durable gives the old state; after, the new.
    expect(seen.old).toBeGreaterThan(0);
    expect(seen.new).toBeGreaterThan(0);
  });

  it('never allocates a page the last commit still uses before the next commit is durable', () => {
    const pendingIds = new Set<number>();
    let violations = 0;
    let allocs = 0;
    const trace = (e: TraceEvent) => {
      if (e.type === 'btree.free' && e.reusable === 'afterCommit') pendingIds.add(e.page);
      if (e.type === 'btree.alloc') {
        allocs++;
        if (pendingIds.has(e.page)) violations++;
      }
      if (e.type === 'btree.commit' && e.step === 'meta') pendingIds.clear();
    };
    const fs = new MemoryFileSystem();
    const db = new BtreeStore({ dir: '/c', fs, pageSize: 512, cachePages: 16, dirtyPageBudget: 8, trace });
    const rng = new Rng(5);
    for (let i = 0; i < 3000; i++) {
      const k = key(rng.int(500));
      if (rng.chance(0.3)) db.delete(k);
      else db.put(k, rng.bytes(rng.chance(0.05) ? 1200 : 30));
    }
    db.close();
    expect(allocs).toBeGreaterThan(1000);
    expect(violations).toBe(0);
  });

  it('writes meta pages in turns, each with a higher txid, at sync and when the dirty budget is used up', () => {
    const fs = new MemoryFileSystem();
    const steps: string[] = [];
    const db = new BtreeStore({
      dir: '/c',
      fs,
      pageSize: 512,
      dirtyPageBudget: 4,
      trace: (e) => {
        if (e.type === 'btree.commit' && e.step === 'meta') steps.push(`${e.reason}:${e.txid}:${e.slot}`);
      },
    });
    db.put('a', '1');
    db.sync();
    db.sync(); // nothing changed: no commit
    for (let i = 0; i < 200; i++) db.put(key(i), 'x'.repeat(30));
    db.close();
    expect(steps[0]).toBe('sync:2:0');
    expect(steps.filter((s) => s.startsWith('budget')).length).toBeGreaterThan(2);
    for (let i = 1; i < steps.length; i++) {
      const [, t, slot] = steps[i]!.split(':').map(Number);
      expect(t).toBe(i + 2);
      expect(slot).toBe(t! % 2);
    }
    const file = readWhole(fs, '/c/btree.db');
    const metas = [0, 1].map((s) => decodeMeta(file.subarray(s * 512, s * 512 + META_SIZE), s, s * 512, 'btree.db'));
    expect(Math.abs(metas[0]!.txid - metas[1]!.txid)).toBe(1);
  });

  it('falls back to the other meta page when a crash tore the newest one (the shutdown flag says dirty)', () => {
    const fs = new MemoryFileSystem();
    const db = new BtreeStore({ dir: '/c', fs, pageSize: 512 });
    db.put('a', 'first');
    db.sync();
    db.put('a', 'second');
    db.sync();
    db.close();
    // Damage the newest meta page's checksummed bytes, and leave the marker a crash leaves.
    const file = readWhole(fs, '/c/btree.db');
    const m = [0, 1].map((s) => decodeMeta(file.subarray(s * 512, s * 512 + META_SIZE), s, s * 512, 'btree.db'));
    const newest = m[0]!.txid > m[1]!.txid ? 0 : 1;
    const f = fs.open('/c/btree.db');
    f.write(newest * 512 + 40, new Uint8Array([0xee]));
    f.sync();
    f.close();
    const flag = fs.open('/c/btree.db');
    flag.write(META_SIZE, utf8('D'));
    flag.sync();
    flag.close();
    const re = new BtreeStore({ dir: '/c', fs });
    expect(new TextDecoder().decode(re.get('a'))).toBe('first');
    expect(re.check().problems).toEqual([]);
    re.close();
    // The recovery rewrote the torn slot; the clean close set the flag clean.
    expect(String.fromCharCode(readWhole(fs, '/c/btree.db')[META_SIZE]!)).toBe('C');
    const again = new BtreeStore({ dir: '/c', fs });
    expect(new TextDecoder().decode(again.get('a'))).toBe('first');
    again.close();
  });

  it('refuses a cleanly closed file with a damaged meta page, naming the page', () => {
    const fs = new MemoryFileSystem();
    const db = new BtreeStore({ dir: '/c', fs, pageSize: 512 });
    db.put('a', 'first');
    db.sync();
    db.put('a', 'second');
    db.close();
    const f = fs.open('/c/btree.db');
    f.write(40, new Uint8Array([0xee]));
    f.sync();
    f.close();
    expect(() => new BtreeStore({ dir: '/c', fs })).toThrow(
      expect.objectContaining({ code: 'KV_CORRUPT', file: '/c/btree.db', offset: 0 }),
    );
  });

  it('reports a damaged tree page as KV_CORRUPT naming the file and the page offset', () => {
    const fs = new MemoryFileSystem();
    const db = new BtreeStore({ dir: '/c', fs, pageSize: 512 });
    for (let i = 0; i < 100; i++) db.put(key(i), 'x'.repeat(20));
    db.close();
    const re = new BtreeStore({ dir: '/c', fs });
    const root = re.inspect();
    re.close();
    if (root.engine !== 'btree') throw new Error('unreachable');
    const f = fs.open('/c/btree.db');
    f.write(root.root * 512 + 100, new Uint8Array([1, 2, 3]));
    f.sync();
    f.close();
    const broken = new BtreeStore({ dir: '/c', fs });
    let err: unknown;
    try {
      broken.get(key(5));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(KVError);
    expect((err as KVError).code).toBe('KV_CORRUPT');
    expect((err as KVError).file).toBe('/c/btree.db');
    expect((err as KVError).offset).toBe(root.root * 512);
    broken.close();
  });

  it("refuses to open a file with a different page size than asked, and uses the file's when none is asked", () => {
    const fs = new MemoryFileSystem();
    const db = new BtreeStore({ dir: '/c', fs, pageSize: 1024 });
    db.put('a', 'b');
    db.close();
    expect(() => new BtreeStore({ dir: '/c', fs, pageSize: 4096 })).toThrow(/1024/);
    const re = new BtreeStore({ dir: '/c', fs });
    expect(re.g.pageSize).toBe(1024);
    expect(new TextDecoder().decode(re.get('a'))).toBe('b');
    re.close();
  });

  it('rejects bad tuning options with KV_BAD_OPTION', () => {
    const fs = new MemoryFileSystem();
    for (const bad of [
      { pageSize: 1000 },
      { pageSize: 256 },
      { cachePages: 0 },
      { dirtyPageBudget: -1 },
      { cachePages: 1.5 },
    ]) {
      let err: unknown;
      try {
        new BtreeStore({ dir: '/c', fs, ...bad });
      } catch (e) {
        err = e;
      }
      expect((err as KVError).code, JSON.stringify(bad)).toBe('KV_BAD_OPTION');
    }
    // The lock was released each time.
    new BtreeStore({ dir: '/c', fs }).close();
  });
});
