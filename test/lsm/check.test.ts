import { describe, it, expect } from 'vitest';
import { MemoryFileSystem } from '../../engines/index.js';
import { LsmStore } from '../../engines/lsm/store.js';
import { checkLsmDir } from '../../engines/lsm/check.js';
import { readWhole } from '../../engines/storage/fs.js';
import { isKVError } from '../../engines/errors.js';
import { key, value, shuffled, SMALL } from './helpers.js';

/** A closed store with tables on several levels, tombstones and a log. */
function built(): MemoryFileSystem {
  const fs = new MemoryFileSystem();
  const db = new LsmStore({ ...SMALL, dir: '/db', fs });
  for (const i of shuffled(2500)) db.put(key(i), value(i));
  for (let i = 0; i < 2500; i += 9) db.delete(key(i));
  db.put('in', 'the log');
  db.close();
  return fs;
}

/** Runs the check and returns its KV_CORRUPT error, or undefined if it passed. */
function problem(fs: MemoryFileSystem): string | undefined {
  try {
    checkLsmDir(fs, '/db');
    return undefined;
  } catch (e) {
    expect(isKVError(e, 'KV_CORRUPT'), String(e)).toBe(true);
    return (e as Error).message;
  }
}

describe('lsm structural check', () => {
  it('passes a closed store, after reopening, and after a crash and recovery', () => {
    const fs = built();
    const r = checkLsmDir(fs, '/db');
    expect(r.tables).toBeGreaterThan(3);
    expect(r.logRecords).toBeGreaterThan(0);
    new LsmStore({ ...SMALL, dir: '/db', fs }).close();
    expect(problem(fs)).toBeUndefined();
    const db = new LsmStore({ ...SMALL, dir: '/db', fs });
    for (let i = 0; i < 300; i++) db.put(key(i), value(i, 1));
    fs.powerLoss({ keepWrites: 5, tornBytes: 3 });
    new LsmStore({ ...SMALL, dir: '/db', fs }).close();
    expect(problem(fs)).toBeUndefined();
  });

  it('finds a flipped bit anywhere in a table, a stray table, and a torn log', () => {
    const base = built();
    const table = base.list('/db').find((n) => n.endsWith('.sst'))!;
    const bytes = readWhole(base, `/db/${table}`);
    for (const o of [0, 100, Math.floor(bytes.length / 2), bytes.length - 40, bytes.length - 1]) {
      const fs = base.clone();
      const bad = bytes.slice();
      bad[o]! ^= 4;
      const h = fs.open(`/db/${table}`);
      h.write(0, bad);
      h.close();
      expect(problem(fs), `byte ${o}`).toMatch(table);
    }
    const stray = base.clone();
    stray.open('/db/999999.sst', { create: true }).close();
    expect(problem(stray)).toMatch(/does not list/);
    const torn = base.clone();
    const log = torn.list('/db').find((n) => n.endsWith('.log'))!;
    const h = torn.open(`/db/${log}`);
    h.append(new Uint8Array([9, 0, 0, 0, 1]));
    h.close();
    expect(problem(torn)).toMatch(/sealed at/);
  });
});
