/**
 * Exercise lsm-bloom-check: a get for a key a table does not hold asks the table's bloom
 * filter and, on its "no", reads no data block. Run: npm run exercise -- lsm-bloom-check
 */
import { describe, expect, it } from 'vitest';
import { MemoryFileSystem, openStore, type TraceEvent } from '../../engines/index.js';

const key = (n: number) => `key${String(n).padStart(5, '0')}`;

describe('the bloom filter on the get path', () => {
  it('answers most missing keys without reading a data block', () => {
    const fs = new MemoryFileSystem();
    const events: TraceEvent[] = [];
    const db = openStore('lsm', {
      dir: '/db',
      fs,
      memtableBytes: 4096,
      blockCacheBytes: 0,
      trace: (e) => events.push(e),
    });
    // Even keys only, so the odd ones fall inside every table's range but are absent.
    for (let i = 0; i < 2000; i += 2) db.put(key(i), `v${i}`);
    db.compact();
    events.length = 0;
    for (let i = 1; i < 2000; i += 20) expect(db.get(key(i))).toBeUndefined();
    const lookups = 100;
    const bloom = events.filter((e) => e.type === 'lsm.bloom');
    const no = bloom.filter((e) => e.type === 'lsm.bloom' && e.answer === 'no');
    const reads = events.filter((e) => e.type === 'lsm.block.read');
    expect(bloom.length).toBeGreaterThanOrEqual(lookups);
    expect(no.length).toBeGreaterThan(lookups * 0.8);
    // Only the filter's false positives read a block.
    expect(reads.length).toBeLessThan(lookups * 0.2);
    db.close();
  });

  it('still finds every key the tables hold', () => {
    const fs = new MemoryFileSystem();
    const db = openStore('lsm', { dir: '/db', fs, memtableBytes: 4096 });
    for (let i = 0; i < 2000; i += 2) db.put(key(i), `v${i}`);
    db.compact();
    for (let i = 0; i < 2000; i += 2) expect(new TextDecoder().decode(db.get(key(i))!)).toBe(`v${i}`);
    db.close();
  });
});
