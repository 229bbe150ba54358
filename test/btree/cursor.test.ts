/**
 * cursor.test.ts: scans walk the leaves through the cursor's path, forward and backward,
 * with every range option, across many pages, without loading the whole tree.
 */
import { describe, it, expect } from 'vitest';
import { MemoryFileSystem, utf8 } from '../../engines/index.js';
import type { Range } from '../../engines/index.js';
import { BtreeStore } from '../../engines/btree/store.js';
import { Model, pairsHex } from '../util/model.js';
import { Rng } from '../util/rng.js';

const key = (n: number) => `k${String(n).padStart(4, '0')}`;

describe('btree cursor', () => {
  it('matches a sorted model for random ranges in both directions over a multi-level tree', () => {
    const fs = new MemoryFileSystem();
    const db = new BtreeStore({ dir: '/r', fs, pageSize: 512, cachePages: 8 });
    const model = new Model();
    const rng = new Rng(21);
    // Every other key, so bounds fall both on and between keys.
    for (let i = 0; i < 2000; i += 2) {
      const v = rng.bytes(rng.int(30));
      db.put(key(i), v);
      model.put(utf8(key(i)), v);
    }
    expect(db.check().height).toBeGreaterThanOrEqual(3);
    for (let t = 0; t < 400; t++) {
      const r: Range = {};
      const b = () => key(rng.int(2100) - 50);
      const lo = rng.int(3);
      if (lo === 1) r.gt = b();
      else if (lo === 2) r.gte = b();
      const hi = rng.int(3);
      if (hi === 1) r.lt = b();
      else if (hi === 2) r.lte = b();
      if (rng.chance(0.5)) r.reverse = true;
      if (rng.chance(0.3)) r.limit = rng.int(50);
      expect(pairsHex(db.scan(r)), JSON.stringify(r)).toEqual(pairsHex(model.scan(r)));
    }
    db.close();
  });

  it('reads only the pages a short scan needs', () => {
    const fs = new MemoryFileSystem();
    const db = new BtreeStore({ dir: '/r', fs, pageSize: 512, cachePages: 4 });
    for (let i = 0; i < 3000; i++) db.put(key(i), 'v'.repeat(20));
    db.close();
    const re = new BtreeStore({ dir: '/r', fs, pageSize: 512, cachePages: 4 });
    const before = re.stats().engineStats.pagesRead!;
    const got = [...re.scan({ gte: key(1500), limit: 10 })].length;
    const read = re.stats().engineStats.pagesRead! - before;
    expect(got).toBe(10);
    expect(read).toBeLessThanOrEqual(re.check().height + 1);
    const total = re.stats().engineStats.leafPages;
    expect(total).toBeGreaterThan(50);
    re.close();
  });
});
