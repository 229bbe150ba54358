/**
 * Exercise btree-borrow: after deletes, every non-root page is at least a quarter full; a
 * thin page next to a full one borrows from it. Run: npm run exercise -- btree-borrow
 */
import { describe, expect, it } from 'vitest';
import { MemoryFileSystem, utf8, type TraceEvent } from '../../engines/index.js';
import { BtreeStore } from '../../engines/btree/store.js';

/** A key whose bytewise order is its numeric order. */
const key = (n: number) => utf8(`key${String(n).padStart(6, '0')}`);

describe('borrowing from a sibling', () => {
  it('keeps every page at least a quarter full when deletes leave a thin page beside a full one', () => {
    const events: TraceEvent[] = [];
    const fs = new MemoryFileSystem();
    const db = new BtreeStore({ dir: '/t', fs, pageSize: 512, cachePages: 32, trace: (e) => events.push(e) });
    for (let i = 0; i < 1500; i++) db.put(key((i * 37) % 1500), 'v'.repeat(10));
    // Thin out pages unevenly: most keys go from the first half, none from the second.
    for (let i = 0; i < 1500; i++) if (i % 3 !== 0 || i > 750) db.delete(key(i));
    expect(events.some((e) => e.type === 'btree.borrow')).toBe(true);
    expect(db.check().problems).toEqual([]);
    // Every key left is still found.
    for (let i = 0; i <= 750; i += 3) expect(db.get(key(i)), `key ${i}`).toBeDefined();
    db.close();
  });

  it('keeps every invariant through a long run of random puts and deletes', () => {
    const fs = new MemoryFileSystem();
    const db = new BtreeStore({ dir: '/t', fs, pageSize: 512, cachePages: 32 });
    let x = 12345;
    const rand = (n: number) => ((x = (x * 1103515245 + 12345) % 2147483648), x % n);
    const live = new Set<number>();
    for (let op = 0; op < 6000; op++) {
      const k = rand(800);
      if (rand(10) < 6) {
        db.put(key(k), 'w'.repeat(rand(60)));
        live.add(k);
      } else {
        db.delete(key(k));
        live.delete(k);
      }
      if (op % 1000 === 999) expect(db.check().problems, `after op ${op}`).toEqual([]);
    }
    expect([...db.scan()].length).toBe(live.size);
    db.close();
  });
});
