/**
 * inspect.test.ts: inspect() draws the tree of pages with their keys, which pages are cached
 * and dirty, the meta pages and the free list; trace events and the picture are plain JSON.
 */
import { describe, it, expect } from 'vitest';
import { MemoryFileSystem } from '../../engines/index.js';
import type { TraceEvent } from '../../engines/index.js';
import { BtreeStore } from '../../engines/btree/store.js';
import type { BtreeInspect, BtreeInspectPage } from '../../engines/btree/inspect.js';

const key = (n: number) => `key${String(n).padStart(4, '0')}`;

/** Every page of a nested picture. */
function pages(p: BtreeInspectPage): BtreeInspectPage[] {
  return [p, ...(p.children ?? []).flatMap(pages)];
}

describe('btree inspect and events', () => {
  it('shows the tree, cache, metas and free list as JSON', () => {
    const fs = new MemoryFileSystem();
    const events: TraceEvent[] = [];
    const db = new BtreeStore({
      dir: '/i',
      fs,
      pageSize: 512,
      cachePages: 4,
      dirtyPageBudget: 1000,
      trace: (e) => events.push(e),
    });
    for (let i = 0; i < 120; i++) db.put(key((i * 37) % 120), 'value');
    db.sync();
    for (let i = 0; i < 30; i++) db.delete(key(i));
    const pic = db.inspect() as BtreeInspect;
    expect(JSON.parse(JSON.stringify(pic))).toEqual(pic);
    expect(pic.engine).toBe('btree');
    expect(pic.height).toBeGreaterThanOrEqual(2);
    const all = pages(pic.tree);
    const leaves = all.filter((p) => p.type === 'leaf');
    // The leaves hold the keys in order, and the picture agrees with the cache.
    expect(leaves.flatMap((p) => p.keys)).toEqual(Array.from({ length: 90 }, (_, i) => key(i + 30)));
    expect(all.filter((p) => p.cached).length).toBe(pic.cache.pages.length);
    expect(all.some((p) => p.fresh)).toBe(true);
    expect(all.filter((p) => p.dirty).length).toBe(pic.cache.pages.filter((p) => p.dirty).length);
    expect(pic.uncommitted.length).toBeGreaterThan(0);
    // Both meta pages are valid; the current one holds the last durable txid.
    expect(pic.metas.map((m) => m.valid)).toEqual([true, true]);
    expect(pic.metas.find((m) => m.current)!.txid).toBe(pic.txid);
    // The page map accounts for every page.
    expect(pic.pageMap!.length).toBe(pic.pageCount);
    expect(pic.pageMap!.filter((r) => r === 'pending').length).toBe(pic.freelist.pending.length);
    // Events are JSON, and the kinds the lesson draws all appeared.
    expect(JSON.parse(JSON.stringify(events))).toEqual(events);
    const kinds = new Set(events.map((e) => e.type));
    for (const k of [
      'btree.open',
      'btree.split',
      'btree.root',
      'btree.alloc',
      'btree.cow',
      'btree.free',
      'btree.commit',
      'btree.cacheHit',
      'btree.pageWrite',
      'btree.evict',
    ]) {
      expect(kinds, k).toContain(k);
    }
    db.close();
  });

  it('does not change the cache or the counters when inspecting', () => {
    const fs = new MemoryFileSystem();
    const db = new BtreeStore({ dir: '/i', fs, pageSize: 512, cachePages: 4 });
    for (let i = 0; i < 400; i++) db.put(key(i), 'value');
    db.close();
    const re = new BtreeStore({ dir: '/i', fs, pageSize: 512, cachePages: 4 });
    re.get(key(5));
    const before = re.stats();
    const pic = re.inspect() as BtreeInspect;
    const after = re.stats();
    expect(after.bytesRead).toBe(before.bytesRead);
    expect(after.engineStats).toEqual(before.engineStats);
    expect(pages(pic.tree).length).toBeGreaterThan(4);
    re.close();
  });

  it('reports height, page counts and the cache hit ratio in stats', () => {
    const fs = new MemoryFileSystem();
    const db = new BtreeStore({ dir: '/i', fs, pageSize: 512, cachePages: 16 });
    for (let i = 0; i < 500; i++) db.put(key(i), 'value');
    for (let i = 0; i < 500; i++) db.get(key(i));
    const s = db.stats().engineStats;
    expect(s.height).toBeGreaterThanOrEqual(2);
    expect(s.leafPages! + s.branchPages!).toBeGreaterThan(10);
    expect(s.cacheHitRatio).toBeGreaterThan(0);
    expect(s.cacheHitRatio).toBeLessThanOrEqual(1);
    db.close();
  });
});
