import { describe, it, expect } from 'vitest';
import { MemoryFileSystem, KVError } from '../../engines/index.js';
import type { TraceEvent } from '../../engines/index.js';
import { LsmStore } from '../../engines/lsm/store.js';
import { readWhole } from '../../engines/storage/fs.js';
import { utf8, fromUtf8 } from '../../engines/bytes.js';
import { isKVError } from '../../engines/errors.js';
import { encodeFrame } from '../../engines/codec/frame.js';
import { encodeEdit } from '../../engines/lsm/format.js';
import { key, value, shuffled, SMALL } from './helpers.js';

const open = (fs: MemoryFileSystem, events?: TraceEvent[]) =>
  new LsmStore({ ...SMALL, dir: '/db', fs, ...(events ? { trace: (e) => events.push(e) } : {}) });

/** A closed store with tables in several levels and a non-empty log. */
function built(): MemoryFileSystem {
  const fs = new MemoryFileSystem();
  const db = open(fs);
  for (const i of shuffled(3000)) db.put(key(i), value(i));
  db.put('last', 'in the log');
  db.close();
  return fs;
}

describe('lsm recovery', () => {
  it('replays the log into the memtable and starts a new log, without writing a table', () => {
    const fs = built();
    const events: TraceEvent[] = [];
    const db = open(fs, events);
    expect(fromUtf8(db.get('last')!)).toBe('in the log');
    const steps = events.filter((e) => e.type === 'lsm.recover').map((e) => (e as { step: string }).step);
    expect(steps).toEqual(['current', 'manifest', 'log', 'manifest', 'done']);
    expect(events.some((e) => e.type === 'lsm.table.written')).toBe(false);
    expect(db.inspect().memtable.entries).toBeGreaterThan(0);
    for (let i = 0; i < 3000; i += 31) expect(fromUtf8(db.get(key(i))!)).toBe(fromUtf8(value(i)));
    db.close();
  });

  it('deletes only unreferenced files: garbage tables, old manifests, stale logs and CURRENT.tmp, never a live file or a foreign one', () => {
    const fs = built();
    const before = fs.list('/db');
    const live = before.filter(
      (n) => n.endsWith('.sst') || n.endsWith('.log') || n === 'CURRENT' || n.startsWith('MANIFEST'),
    );
    const write = (name: string, bytes = utf8('junk')) => {
      const h = fs.open(`/db/${name}`, { create: true });
      h.write(0, bytes);
      h.sync();
      h.close();
      fs.syncDir('/db');
    };
    write('999990.sst'); // a table a crashed flush or compaction left
    write('000000.log'); // a log below the manifest's log number
    write('MANIFEST-000001'); // an old manifest
    write('CURRENT.tmp');
    write('notes.txt'); // not ours
    const events: TraceEvent[] = [];
    const db = open(fs, events);
    const deleted = events
      .filter((e) => e.type === 'lsm.file.delete')
      .map((e) => (e as { file: string }).file)
      .sort();
    // (CURRENT.tmp is overwritten by the new manifest's switch, then renamed over CURRENT.)
    expect(deleted).toEqual(
      ['000000.log', '999990.sst', 'MANIFEST-000001', ...live.filter((n) => n.startsWith('MANIFEST'))].sort(),
    );
    const after = fs.list('/db');
    expect(after).not.toContain('CURRENT.tmp');
    expect(after).toContain('notes.txt');
    for (const n of live.filter((x) => x.endsWith('.sst') || x.endsWith('.log'))) expect(after).toContain(n);
    // New file numbers start above every number seen, even garbage's.
    expect(db.inspect().nextFile).toBeGreaterThan(999990);
    db.close();
  });

  it('drops a torn manifest edit (a flush or compaction that never committed)', () => {
    const fs = built();
    const current = fromUtf8(readWhole(fs, '/db/CURRENT')).trim();
    const h = fs.open(`/db/${current}`);
    const frame = encodeFrame(encodeEdit({ logNumber: 99999, deleted: [], added: [] }));
    h.append(frame.subarray(0, frame.length - 3));
    h.sync();
    h.close();
    const events: TraceEvent[] = [];
    const db = open(fs, events);
    expect(events.some((e) => e.type === 'lsm.recover' && /torn edit/.test(e.detail))).toBe(true);
    expect(db.inspect().logNumber).not.toBe(99999);
    expect(fromUtf8(db.get('last')!)).toBe('in the log');
    db.close();
  });

  it('refuses to open with KV_CORRUPT naming the file when a table the manifest lists is missing', () => {
    const fs = built();
    const table = fs.list('/db').find((n) => n.endsWith('.sst'))!;
    fs.remove(`/db/${table}`);
    let err: unknown;
    try {
      open(fs);
    } catch (e) {
      err = e;
    }
    expect(isKVError(err, 'KV_CORRUPT')).toBe(true);
    expect((err as KVError).file).toBe(table);
    // The failed open released the lock.
    fs.open(`/db/${table}`, { create: true }).close();
  });

  it('treats a directory whose first open crashed before CURRENT existed as a new store', () => {
    const fs = new MemoryFileSystem();
    fs.mkdir('/db');
    for (const name of ['000001.log', 'MANIFEST-000002', 'CURRENT.tmp'])
      fs.open(`/db/${name}`, { create: true }).close();
    const db = open(fs);
    expect([...db.scan()]).toEqual([]);
    db.put('a', 'b');
    db.close();
    expect(fromUtf8(open(fs).get('a')!)).toBe('b');
  });

  it('refuses to start over a directory that lost CURRENT but holds tables (KV_CORRUPT, nothing deleted)', () => {
    const fs = built();
    fs.remove('/db/CURRENT');
    const before = fs.list('/db');
    let err: unknown;
    try {
      open(fs);
    } catch (e) {
      err = e;
    }
    expect(isKVError(err, 'KV_CORRUPT')).toBe(true);
    expect(fs.list('/db')).toEqual(before);
  });

  it('refuses to open when a log the manifest sealed at close is damaged or missing', () => {
    const fs = built();
    const log = fs.list('/db').find((n) => n.endsWith('.log'))!;
    const damaged = fs.clone();
    const h = damaged.open(`/db/${log}`);
    h.truncate(h.size() - 1);
    h.close();
    expect(() => open(damaged)).toThrow(/sealed at/);
    const missing = fs.clone();
    missing.remove(`/db/${log}`);
    expect(() => open(missing)).toThrow(/missing/);
  });

  it('keeps every synced write through a power loss, and loses only a suffix of the unsynced ones', () => {
    const fs = new MemoryFileSystem();
    const db = open(fs);
    for (let i = 0; i < 500; i++) db.put(key(i), value(i));
    db.sync();
    for (let i = 500; i < 520; i++) db.put(key(i), value(i));
    fs.powerLoss({ keepWrites: 0 });
    const re = open(fs);
    for (let i = 0; i < 500; i++) expect(re.get(key(i)), `key ${i}`).toBeDefined();
    // Unsynced writes may survive (a flush made them durable), but only as a prefix.
    const kept = [...re.scan({ gte: key(500) })].map(([k]) => fromUtf8(k));
    expect(kept).toEqual(Array.from({ length: kept.length }, (_, i) => fromUtf8(key(500 + i))));
    re.close();
  });

  it('opens again after repeated crashes without piling up logs', () => {
    const fs = new MemoryFileSystem();
    for (let round = 0; round < 10; round++) {
      const db = open(fs);
      db.put(`k${round}`, 'v');
      db.sync();
      fs.powerLoss();
    }
    const db = open(fs);
    expect([...db.scan()].length).toBe(10);
    expect(fs.list('/db').filter((n) => n.endsWith('.log')).length).toBeLessThanOrEqual(11);
    db.compact();
    expect(fs.list('/db').filter((n) => n.endsWith('.log')).length).toBe(1);
    db.close();
  });
});
