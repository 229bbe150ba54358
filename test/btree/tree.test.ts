/**
 * tree.test.ts: the B+tree's shape. After random puts, overwrites and deletes the invariant
 * checker (engines/btree/check.ts) must find nothing wrong, at every page size the engine
 * promises; splits, merges, borrows and root changes happen and are traced; and deleting
 * every key leaves one empty leaf.
 */
import { describe, it, expect } from 'vitest';
import { MemoryFileSystem, utf8 } from '../../engines/index.js';
import type { TraceEvent } from '../../engines/index.js';
import { BtreeStore } from '../../engines/btree/store.js';
import { Model, pairsHex } from '../util/model.js';
import { Rng } from '../util/rng.js';

/** A key of the random workload: zero-padded so bytewise order is numeric order. */
const key = (n: number) => utf8(`key${String(n).padStart(6, '0')}`);

/** Opens a store on a fresh memory file system. */
function open(pageSize: number, extra: { trace?: (e: TraceEvent) => void; cachePages?: number } = {}) {
  const fs = new MemoryFileSystem();
  return {
    fs,
    db: new BtreeStore({
      dir: '/t',
      fs,
      pageSize,
      cachePages: extra.cachePages ?? 32,
      ...(extra.trace ? { trace: extra.trace } : {}),
    }),
  };
}

/** Expects the invariant checker to find nothing. */
function expectValid(db: BtreeStore, where: string): void {
  const r = db.check();
  expect(r.problems, where).toEqual([]);
}

describe('btree structure', () => {
  for (const pageSize of [512, 4096, 16384]) {
    it(`keeps every invariant through random puts, overwrites and deletes with ${pageSize}-byte pages`, () => {
      const rng = new Rng(pageSize);
      const { fs, db: first } = open(pageSize);
      let db = first;
      const model = new Model();
      const keys = pageSize === 512 ? 1500 : 4000;
      const ops = pageSize === 512 ? 6000 : pageSize === 4096 ? 10000 : 6000;
      const g = db.g;
      for (let i = 0; i < ops; i++) {
        const k = key(rng.int(keys));
        const r = rng.next();
        if (r < 0.6) {
          // Mostly small values; some fill a quarter page, some need overflow pages.
          const size = rng.chance(0.05)
            ? g.maxEntry + rng.int(pageSize === 16384 ? 20000 : 3 * pageSize)
            : rng.chance(0.1)
              ? rng.int(g.maxEntry - 20)
              : rng.int(40);
          const v = rng.bytes(size);
          db.put(k, v);
          model.put(k, v);
        } else {
          db.delete(k);
          model.delete(k);
        }
        if (i % 500 === 499) expectValid(db, `${pageSize}: after op ${i}`);
        if (i % 2500 === 2499) {
          db.close();
          db = new BtreeStore({ dir: '/t', fs, pageSize, cachePages: 32 });
          expectValid(db, `${pageSize}: after reopen at op ${i}`);
        }
      }
      expect(pairsHex(db.scan())).toEqual(pairsHex(model.scan()));
      expect(db.check().height).toBeGreaterThan(1);
      db.close();
    });
  }

  it('splits a full leaf in two, grows a new root, and traces which keys went where', () => {
    const events: TraceEvent[] = [];
    const { db } = open(512, { trace: (e) => events.push(e) });
    for (let i = 0; i < 40; i++) db.put(key(i), 'x'.repeat(20));
    const splits = events.filter((e) => e.type === 'btree.split');
    expect(splits.length).toBeGreaterThan(0);
    const s = splits[0]!;
    if (s.type !== 'btree.split') throw new Error('unreachable');
    expect(s.leaf).toBe(true);
    // The separator is the right page's first key, and the halves are in order.
    expect(s.rightFirst).toBe(s.separator);
    expect(s.leftLast < s.rightFirst).toBe(true);
    expect(s.leftKeys + s.rightKeys).toBeGreaterThan(10);
    expect(events.some((e) => e.type === 'btree.root' && e.reason === 'split' && e.height === 2)).toBe(true);
    expectValid(db, 'after splits');
    db.close();
  });

  it('merges and borrows when deletes leave pages underfull, and shrinks the root', () => {
    const events: TraceEvent[] = [];
    const { db } = open(512, { trace: (e) => events.push(e) });
    // Random order, so pages are between half and completely full.
    for (let i = 0; i < 1500; i++) db.put(key((i * 37) % 1500), 'v'.repeat(10));
    const height = db.check().height;
    expect(height).toBeGreaterThanOrEqual(3);
    // Delete in a pattern that leaves some pages thin next to full ones (borrow) and some
    // pairs thin together (merge).
    for (let i = 0; i < 1500; i++) if (i % 3 !== 0 || i > 750) db.delete(key(i));
    expect(events.some((e) => e.type === 'btree.merge')).toBe(true);
    expect(events.some((e) => e.type === 'btree.borrow')).toBe(true);
    expectValid(db, 'after the first deletes');
    // Then nearly everything: the tree shrinks level by level.
    for (let i = 15; i <= 750; i += 3) db.delete(key(i));
    expect(events.some((e) => e.type === 'btree.root' && e.reason === 'collapse')).toBe(true);
    expect(db.check().height).toBeLessThan(height);
    expectValid(db, 'after deletes');
    db.close();
  });

  for (const pageSize of [512, 4096]) {
    it(`returns to a single empty leaf when every key is deleted (${pageSize}-byte pages)`, () => {
      const { fs, db } = open(pageSize);
      const rng = new Rng(7);
      const n = pageSize === 512 ? 3000 : 12000;
      const order = Array.from({ length: n }, (_, i) => i);
      for (const i of order) db.put(key(i), rng.bytes(rng.int(30)));
      // Big values too, so overflow chains are freed as well.
      for (let i = 0; i < 20; i++) db.put(key(i * 7), rng.bytes(3 * pageSize));
      db.sync();
      expect(db.check().height).toBeGreaterThanOrEqual(pageSize === 512 ? 3 : 2);
      // Delete in a shuffled order.
      for (let i = n - 1; i > 0; i--) {
        const j = rng.int(i + 1);
        [order[i], order[j]] = [order[j]!, order[i]!];
      }
      for (const i of order) db.delete(key(i));
      const r = db.check();
      expect(r.problems).toEqual([]);
      expect({
        height: r.height,
        leaves: r.leafPages,
        branches: r.branchPages,
        overflow: r.overflowPages,
        keys: r.keys,
      }).toEqual({
        height: 1,
        leaves: 1,
        branches: 0,
        overflow: 0,
        keys: 0,
      });
      expect([...db.scan()]).toEqual([]);
      const pic = db.inspect();
      if (pic.engine !== 'btree') throw new Error('unreachable');
      expect(pic.tree.type).toBe('leaf');
      expect(pic.tree.keyCount).toBe(0);
      db.close();
      // And so it stays after reopening.
      const again = new BtreeStore({ dir: '/t', fs });
      expect(again.check().leafPages).toBe(1);
      expect(again.check().problems).toEqual([]);
      again.close();
    });
  }

  it('keeps values past the inline threshold in overflow pages, and frees them on overwrite', () => {
    const { db } = open(512);
    const big = new Uint8Array(5000).map((_, i) => i & 0xff);
    db.put('big', big);
    expect(db.check().overflowPages).toBe(Math.ceil(5000 / db.g.overflowBytes));
    expect(db.get('big')).toEqual(big);
    db.put('big', 'small now');
    expect(db.check().overflowPages).toBe(0);
    expectValid(db, 'after overwrite');
    db.close();
  });

  it('limits keys so that any key fits a page: 113 bytes at 512, 1009 at 4096, 1024 at 16384', () => {
    for (const [pageSize, max] of [
      [512, 113],
      [4096, 1009],
      [16384, 1024],
    ] as const) {
      const { db } = open(pageSize);
      expect(db.limits.maxKeyBytes).toBe(max);
      // Many maximal keys with maximal inline values still make a valid tree.
      for (let i = 0; i < 60; i++) db.put(`${String(i).padStart(4, '0')}`.padEnd(max, 'k'), 'v'.repeat(db.g.maxEntry));
      expect(() => db.put('k'.repeat(max + 1), 'v')).toThrow(/at most/);
      expectValid(db, `max keys at ${pageSize}`);
      db.close();
    }
  });
});
