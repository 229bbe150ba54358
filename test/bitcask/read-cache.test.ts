import { describe, it, expect } from 'vitest';
import { openStore, MemoryFileSystem, KVError } from '../../engines/index.js';
import type { StoreOptions } from '../../engines/index.js';
import { readWhole } from '../../engines/storage/fs.js';

const v = (i: number): string => `value-${i}-`.padEnd(100, String(i % 10));
const k = (i: number): string => `key${String(i).padStart(6, '0')}`;

function open(fs: MemoryFileSystem, tuning: Partial<StoreOptions> = {}) {
  return openStore('bitcask', { dir: '/db', fs, ...tuning });
}

describe('bitcask read cache', () => {
  it('serves a repeated get of a record from the cache, with no read', () => {
    const fs = new MemoryFileSystem();
    const db = open(fs);
    for (let i = 0; i < 200; i++) db.put(k(i), v(i));
    expect(new TextDecoder().decode(db.get(k(5)))).toBe(v(5));
    const before = db.stats();
    expect(new TextDecoder().decode(db.get(k(5)))).toBe(v(5));
    const after = db.stats();
    expect(after.bytesRead).toBe(before.bytesRead);
    expect(after.engineStats.cacheHits).toBe(before.engineStats.cacheHits! + 1);
    expect(after.memoryBytes).toBeGreaterThanOrEqual(after.engineStats.keydirBytes! + after.engineStats.cacheBytes!);
    db.close();
  });

  it('never serves a stale block of the active file: later appends are read back right', () => {
    const fs = new MemoryFileSystem();
    const db = open(fs);
    for (let i = 0; i < 300; i++) {
      db.put(k(i), v(i));
      for (const j of [0, i >> 1, i]) expect(new TextDecoder().decode(db.get(k(j)))).toBe(v(j));
    }
    db.close();
  });

  it('stays within readCacheBytes, and 0 turns it off', () => {
    const fs = new MemoryFileSystem();
    const db = open(fs, { readCacheBytes: 8192 });
    for (let i = 0; i < 500; i++) db.put(k(i), v(i));
    for (let i = 0; i < 500; i++) db.get(k(i));
    expect(db.stats().engineStats.cacheBytes).toBeLessThanOrEqual(8192);
    db.close();
    const off = open(fs, { readCacheBytes: 0 });
    off.get(k(1));
    off.get(k(1));
    expect(off.stats().engineStats.cacheBytes).toBe(0);
    expect(off.stats().engineStats.cacheHits).toBe(0);
    off.close();
  });

  it('checks a record from the cache as it checks one from the file: a bad byte is KV_CORRUPT', () => {
    const fs = new MemoryFileSystem();
    const db = open(fs);
    for (let i = 0; i < 100; i++) db.put(k(i), v(i));
    db.sync();
    // Damage one value byte under the open store, then read it twice (from disk, then from the cache).
    const name = fs.list('/db').find((n) => n.endsWith('.data'))!;
    const bytes = readWhole(fs, `/db/${name}`);
    const at = new TextDecoder('latin1').decode(bytes).indexOf(v(7));
    const h = fs.open(`/db/${name}`);
    h.write(at + 3, new Uint8Array([bytes[at + 3]! ^ 1]));
    h.close();
    const back = db;
    for (let round = 0; round < 2; round++) {
      expect(() => back.get(k(7))).toThrow(KVError);
      try {
        back.get(k(7));
      } catch (e) {
        expect((e as KVError).code).toBe('KV_CORRUPT');
      }
    }
    expect(new TextDecoder().decode(back.get(k(8)))).toBe(v(8));
    back.close();
  });
});
