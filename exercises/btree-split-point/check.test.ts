/**
 * Exercise btree-split-point: splits cut where the bytes balance, so pages of mixed-size
 * entries stay within bounds, and a sequential load packs pages about three quarters full.
 * Run: npm run exercise -- btree-split-point
 */
import { describe, expect, it } from 'vitest';
import { MemoryFileSystem, utf8 } from '../../engines/index.js';
import { BtreeStore } from '../../engines/btree/store.js';

const key = (n: number) => utf8(`key${String(n).padStart(6, '0')}`);

/** A store with 512-byte pages on a fresh memory file system. */
function open(): BtreeStore {
  return new BtreeStore({ dir: '/t', fs: new MemoryFileSystem(), pageSize: 512, cachePages: 64 });
}

describe('where a page splits', () => {
  it('keeps every page between a quarter full and full when entry sizes differ a lot', () => {
    const db = open();
    const big = db.g.maxEntry - 20;
    // Runs of tiny entries with a big one every few keys, inserted out of order.
    for (let i = 0; i < 600; i++) {
      const n = (i * 7) % 600;
      db.put(key(n), n % 5 === 0 ? 'B'.repeat(big) : 'x');
    }
    expect(db.check().problems).toEqual([]);
    db.close();
  });

  it('packs a sequential load: keys and values fill at least 45% of the leaf pages (a middle cut leaves under 40%)', () => {
    const db = open();
    const n = 3000;
    for (let i = 0; i < n; i++) db.put(key(i), 'value-' + String(i).padStart(6, '0'));
    const r = db.check();
    expect(r.problems).toEqual([]);
    // Key and value bytes against the leaf pages' bytes (entry headers and slack not counted).
    const perEntry = key(0).length + 12;
    const fill = (n * perEntry) / (r.leafPages * db.g.pageSize);
    expect(fill).toBeGreaterThan(0.45);
    db.close();
  });
});
