/**
 * shutdown.test.ts: the shutdown flag (byte 88 of btree.db) tells a crash's leftovers from damage.
 * A session marks the store dirty, durably, before its first write; a clean close marks it
 * clean. Clean, the file must be exactly its committed pages with every page checksummed;
 * dirty (a crash), open cleans up what a crash leaves and reopens at the last commit.
 */
import { describe, it, expect } from 'vitest';
import { MemoryFileSystem, utf8 } from '../../engines/index.js';
import { BtreeStore, checkBtreeDir } from '../../engines/btree/store.js';
import { META_SIZE, STATE_OFFSET, decodeMeta } from '../../engines/btree/format.js';
import { readWhole } from '../../engines/storage/fs.js';

const P = 512;
const key = (n: number) => utf8(`key${String(n).padStart(5, '0')}`);
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));

/** A closed store with some commits, overwrites and deletes (so it has free pages). */
function built(): MemoryFileSystem {
  const fs = new MemoryFileSystem();
  const db = new BtreeStore({ dir: '/s', fs, pageSize: P, cachePages: 8, dirtyPageBudget: 4 });
  for (let i = 0; i < 80; i++) db.put(key(i), `value ${i}`.repeat(3));
  db.sync();
  for (let i = 0; i < 80; i += 2) db.delete(key(i));
  db.put('big', 'x'.repeat(1500));
  db.close();
  return fs;
}

/** Writes `bytes` at `at` in /s/<name>, durably. */
function poke(fs: MemoryFileSystem, name: string, at: number, bytes: Uint8Array): void {
  const f = fs.open(`/s/${name}`, { create: true });
  f.write(at, bytes);
  f.sync();
  f.close();
}

/** The ids of the free pages of the closed store at /s. */
function freePages(fs: MemoryFileSystem): number[] {
  const db = new BtreeStore({ dir: '/s', fs });
  const info = db.inspect();
  db.close();
  if (info.engine !== 'btree') throw new Error('unreachable');
  return info.freelist.free;
}

/** The shutdown flag of the store at /s. */
const flagOf = (fs: MemoryFileSystem) => String.fromCharCode(readWhole(fs, '/s/btree.db')[STATE_OFFSET]!);

/** The slot of the older meta page. */
function olderSlot(fs: MemoryFileSystem): number {
  const b = readWhole(fs, '/s/btree.db');
  const t = [0, 1].map((s) => decodeMeta(b.subarray(s * P, s * P + META_SIZE), s, s * P, 'btree.db').txid);
  return t[0]! < t[1]! ? 0 : 1;
}

describe('btree shutdown flag', () => {
  it('is clean in a new file, says dirty from the first write, and clean again after close', () => {
    const fs = new MemoryFileSystem();
    const db = new BtreeStore({ dir: '/s', fs, pageSize: P });
    expect(fs.list('/s')).toEqual(['btree.db']);
    expect(flagOf(fs)).toBe('C');
    db.put('a', '1');
    db.sync();
    expect(flagOf(fs)).toBe('D');
    db.close();
    expect(flagOf(fs)).toBe('C');
    // A session that only reads writes nothing, the flag included.
    const ro = new BtreeStore({ dir: '/s', fs });
    expect(text(ro.get('a'))).toBe('1');
    ro.close();
    expect(flagOf(fs)).toBe('C');
  });

  it('leaves a cleanly closed file exactly its committed pages, every page with a valid checksum', () => {
    const fs = built();
    expect(() => checkBtreeDir(fs, '/s')).not.toThrow();
    // A batch that grows the tree at the end of the file and shrinks it again frees pages
    // nothing was written to: the commit writes placeholders to them.
    const db = new BtreeStore({ dir: '/s', fs, cachePages: 64, dirtyPageBudget: 1000 });
    db.batch([
      ...Array.from({ length: 60 }, (_, i) => ({ type: 'put' as const, key: key(1000 + i), value: 'y'.repeat(40) })),
      ...Array.from({ length: 60 }, (_, i) => ({ type: 'delete' as const, key: key(1000 + i) })),
    ]);
    db.close();
    expect(() => checkBtreeDir(fs, '/s')).not.toThrow();
  });

  it('reports a flipped bit in a free page of a cleanly closed file', () => {
    const fs = built();
    const free = freePages(fs);
    expect(free.length).toBeGreaterThan(0);
    const b = readWhole(fs, '/s/btree.db');
    const at = free[0]! * P + 200;
    poke(fs, 'btree.db', at, Uint8Array.of(b[at]! ^ 4));
    let msg = '';
    try {
      checkBtreeDir(fs, '/s');
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toMatch(new RegExp(`free page ${free[0]} fails its check`));
  });

  it('refuses a cleanly closed file with a damaged older meta page, a non-zero unused meta byte, or pages past its count', () => {
    const a = built();
    const older = olderSlot(a);
    poke(a, 'btree.db', older * P + 50, Uint8Array.of(readWhole(a, '/s/btree.db')[older * P + 50]! ^ 1));
    expect(() => new BtreeStore({ dir: '/s', fs: a })).toThrow(
      expect.objectContaining({ code: 'KV_CORRUPT', offset: older * P }),
    );
    const b = built();
    poke(b, 'btree.db', P + 300, Uint8Array.of(8));
    expect(() => new BtreeStore({ dir: '/s', fs: b })).toThrow(
      expect.objectContaining({ code: 'KV_CORRUPT', offset: P + 300 }),
    );
    const b0 = built();
    poke(b0, 'btree.db', STATE_OFFSET + 1, Uint8Array.of(1));
    expect(() => new BtreeStore({ dir: '/s', fs: b0 })).toThrow(
      expect.objectContaining({ code: 'KV_CORRUPT', offset: STATE_OFFSET + 1 }),
    );
    const c = built();
    const size = readWhole(c, '/s/btree.db').length;
    poke(c, 'btree.db', size, new Uint8Array(P));
    expect(() => new BtreeStore({ dir: '/s', fs: c })).toThrow(
      expect.objectContaining({ code: 'KV_CORRUPT', offset: size }),
    );
  });

  it('after a crash, cleans up torn free pages, pages past the count and a torn meta page, and keeps every value', () => {
    const fs = built();
    const free = freePages(fs);
    const older = olderSlot(fs);
    const size = readWhole(fs, '/s/btree.db').length;
    // What a crash in a commit can leave: a half-written free page, pages past the count, a
    // torn meta write in the slot the commit was writing; and the flag says dirty.
    poke(fs, 'btree.db', free[0]! * P + 100, new Uint8Array(50).fill(0xab));
    poke(fs, 'btree.db', size, new Uint8Array(2 * P).fill(0xcd));
    poke(fs, 'btree.db', older * P + 40, Uint8Array.of(0xee, 0xee));
    poke(fs, 'btree.db', STATE_OFFSET, utf8('D'));
    const events: string[] = [];
    const db = new BtreeStore({
      dir: '/s',
      fs,
      trace: (e) => void events.push(e.type === 'btree.commit' ? `${e.type}:${e.step}:${e.reason}` : e.type),
    });
    expect(events).toContain('btree.recover');
    expect(events).toContain('btree.commit:meta:recover');
    for (let i = 1; i < 80; i += 2) expect(text(db.get(key(i)))).toBe(`value ${i}`.repeat(3));
    expect(db.get(key(0))).toBeUndefined();
    expect(text(db.get('big'))).toBe('x'.repeat(1500));
    db.close();
    expect(readWhole(fs, '/s/btree.db').length).toBe(size);
    expect(flagOf(fs)).toBe('C');
    expect(() => checkBtreeDir(fs, '/s')).not.toThrow();
  });

  it('refuses a flag that is neither clean nor dirty, naming its offset', () => {
    const fs = built();
    poke(fs, 'btree.db', STATE_OFFSET, Uint8Array.of('C'.charCodeAt(0) ^ 1));
    expect(() => new BtreeStore({ dir: '/s', fs })).toThrow(
      expect.objectContaining({ code: 'KV_CORRUPT', file: '/s/btree.db', offset: STATE_OFFSET }),
    );
  });
});
