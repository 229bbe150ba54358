/**
 * cache.test.ts: the page cache is bounded. A store far larger than its cache still answers
 * every operation, reading pages from the file and evicting others (traced), and neither the
 * cached pages nor the dirty pages grow past their limits.
 */
import { describe, it, expect } from 'vitest';
import { MemoryFileSystem, utf8 } from '../../engines/index.js';
import type { TraceEvent } from '../../engines/index.js';
import { BtreeStore } from '../../engines/btree/store.js';
import { PageCache } from '../../engines/btree/cache.js';
import { emptyNode } from '../../engines/btree/node.js';
import { Rng } from '../util/rng.js';

const key = (n: number) => utf8(`key${String(n).padStart(8, '0')}`);
const value = (n: number) => utf8(`value-${n}-`.padEnd(24, '.'));

describe('btree page cache', () => {
  it('evicts the least recently used page', () => {
    const c = new PageCache(2);
    c.set(emptyNode(2, true));
    c.set(emptyNode(3, true));
    c.get(2); // 3 is now the oldest
    c.set(emptyNode(4, true));
    expect(c.over).toBe(true);
    expect(c.oldest()!.id).toBe(3);
    expect([c.hits, c.misses]).toEqual([1, 0]);
    expect(c.get(9)).toBeUndefined();
    expect(c.misses).toBe(1);
  });

  it('serves a 200,000-key store with a 64-page cache: pages are read and evicted, memory stays bounded', () => {
    const fs = new MemoryFileSystem();
    const cachePages = 64;
    let db = new BtreeStore({ dir: '/big', fs, cachePages });
    const N = 200_000;
    // Fill in batches of 1000 (inside a batch the dirty budget is kept by spilling pages).
    const memoryAt: number[] = [];
    for (let b = 0; b < N / 1000; b++) {
      const ops = [];
      for (let i = b * 1000; i < (b + 1) * 1000; i++) ops.push({ type: 'put' as const, key: key(i), value: value(i) });
      db.batch(ops);
      const s = db.stats().engineStats;
      expect(s.cachedPages).toBeLessThanOrEqual(cachePages);
      expect(s.dirtyPages).toBeLessThanOrEqual(cachePages / 2);
      if (b === 19 || b === N / 1000 - 1) memoryAt.push(db.stats().memoryBytes);
    }
    db.close();
    // Reopen with tracing, and work at random over the whole key space.
    const events: Record<string, number> = {};
    db = new BtreeStore({
      dir: '/big',
      fs,
      cachePages,
      trace: (e: TraceEvent) => {
        if (e.type.startsWith('btree.')) events[e.type] = (events[e.type] ?? 0) + 1;
      },
    });
    const rng = new Rng(64);
    for (let i = 0; i < 3000; i++) {
      const n = rng.int(N);
      const r = i % 4;
      if (r < 2) expect(db.get(key(n))).toEqual(value(n));
      else if (r === 2) db.put(key(n), value(n));
      else {
        const [pair] = db.scan({ gte: key(n), limit: 1 });
        expect(pair![0]).toEqual(key(n));
      }
      const s = db.stats().engineStats;
      expect(s.cachedPages).toBeLessThanOrEqual(cachePages);
      expect(s.dirtyPages).toBeLessThanOrEqual(cachePages);
    }
    const s = db.stats();
    // The tree is far bigger than the cache, so most lookups of leaves missed and were read.
    expect(s.engineStats.pages).toBeGreaterThan(20 * cachePages);
    expect(s.engineStats.height).toBeGreaterThanOrEqual(3);
    expect(events['btree.cacheMiss']).toBeGreaterThan(1000);
    // Every miss read its page (open also read the free list's pages).
    expect(events['btree.pageRead']).toBeGreaterThanOrEqual(events['btree.cacheMiss']!);
    expect(events['btree.evict']).toBeGreaterThan(1000);
    expect(events['btree.cacheHit']).toBeGreaterThan(0);
    expect(events['btree.commit']).toBeGreaterThan(0);
    // Memory: the cache's pages and the free list, nothing that grows with the keys.
    expect(s.memoryBytes).toBeLessThan(cachePages * 4096 * 2 + 64 * 1024);
    expect(memoryAt[1]! - memoryAt[0]!).toBeLessThan(16 * 1024);
    expect(db.check().problems).toEqual([]);
    db.close();
  });
});
