/**
 * space.test.ts: freed pages are reused. Copy-on-write frees a page on every change, and the
 * file must not grow with the number of writes, only with the live data.
 */
import { describe, it, expect } from 'vitest';
import { MemoryFileSystem, utf8 } from '../../engines/index.js';
import { BtreeStore } from '../../engines/btree/store.js';
import { Rng } from '../util/rng.js';

const key = (n: number) => utf8(`key${String(n).padStart(6, '0')}`);

describe('btree free-space reuse', () => {
  it('filling 10,000 keys then overwriting each 20 times leaves the file at most 3x its size after the fill', () => {
    const fs = new MemoryFileSystem();
    const db = new BtreeStore({ dir: '/s', fs });
    const rng = new Rng(3);
    for (let i = 0; i < 10_000; i++) db.put(key(i), rng.bytes(50));
    db.sync();
    const afterFill = db.stats().diskBytes;
    for (let round = 0; round < 20; round++) {
      for (let i = 0; i < 10_000; i++) db.put(key(i), rng.bytes(50));
      db.sync();
    }
    const after = db.stats().diskBytes;
    console.log(
      `space: ${afterFill} bytes after the fill, ${after} after 20 overwrites (${(after / afterFill).toFixed(2)}x)`,
    );
    expect(after).toBeLessThanOrEqual(3 * afterFill);
    expect(db.check().problems).toEqual([]);
    db.close();
  });

  it('reuses the pages of deleted keys and of big values for new ones', () => {
    const fs = new MemoryFileSystem();
    const db = new BtreeStore({ dir: '/s', fs, pageSize: 512 });
    const rng = new Rng(4);
    for (let i = 0; i < 2000; i++) db.put(key(i), rng.bytes(i % 50 === 0 ? 3000 : 30));
    db.sync();
    const full = db.stats().diskBytes;
    for (let cycle = 0; cycle < 5; cycle++) {
      for (let i = 0; i < 2000; i++) db.delete(key(i));
      db.sync();
      for (let i = 0; i < 2000; i++) db.put(key(i), rng.bytes(i % 50 === 0 ? 3000 : 30));
      db.sync();
    }
    expect(db.stats().diskBytes).toBeLessThanOrEqual(2 * full);
    expect(db.check().problems).toEqual([]);
    db.close();
  });
});
