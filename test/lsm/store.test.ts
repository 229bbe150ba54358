import { describe, it, expect } from 'vitest';
import { MemoryFileSystem, openStore } from '../../engines/index.js';
import type { TraceEvent } from '../../engines/index.js';
import { LsmStore } from '../../engines/lsm/store.js';
import { isKVError } from '../../engines/errors.js';
import { openLsm, key, value, shuffled, SMALL } from './helpers.js';

describe('lsm store', () => {
  it('opens through openStore("lsm")', () => {
    const db = openStore('lsm', { dir: '/x', fs: new MemoryFileSystem() });
    expect(db.engine).toBe('lsm');
    db.close();
  });

  it('rejects bad tuning with KV_BAD_OPTION and a message naming the option', () => {
    for (const bad of [
      { memtableBytes: 0 },
      { blockBytes: -1 },
      { bloomBitsPerKey: 1.5 },
      { levelSizeMultiplier: 1 },
      { l0CompactionTrigger: 'x' },
      { blockCacheBytes: -5 },
    ]) {
      let err: unknown;
      try {
        new LsmStore({ dir: '/db', fs: new MemoryFileSystem(), ...(bad as object) });
      } catch (e) {
        err = e;
      }
      expect(isKVError(err, 'KV_BAD_OPTION')).toBe(true);
      expect((err as Error).message).toContain(Object.keys(bad)[0]!);
    }
  });

  it('writes each put, delete and batch as one log record, then inserts it into the memtable', () => {
    const { db, events } = openLsm();
    const from = events.length;
    db.batch([
      { type: 'put', key: 'a', value: '1' },
      { type: 'delete', key: 'b' },
    ]);
    const ev = events.slice(from).filter((e) => e.type.startsWith('lsm.'));
    expect(ev.map((e) => e.type)).toEqual(['lsm.log.append', 'lsm.memtable.insert', 'lsm.memtable.insert']);
    expect(ev[0]).toMatchObject({ ops: 2, seq: 1 });
    expect(ev[2]).toMatchObject({ key: 'b', kind: 'delete', seq: 2 });
    db.close();
  });

  it('flushes a full memtable in order: freeze, new log, table blocks, table written, manifest edit, table opened from its writer, old log deleted', () => {
    const { db, events } = openLsm();
    for (let i = 0; events.every((e) => e.type !== 'lsm.flush' || e.step !== 'done'); i++) db.put(key(i), value(i));
    const start = events.findIndex((e) => e.type === 'lsm.memtable.freeze');
    const seq = events
      .slice(start)
      .filter((e) => e.type.startsWith('lsm.') && e.type !== 'lsm.table.block')
      .map((e) => e.type);
    expect(seq.slice(0, 8)).toEqual([
      'lsm.memtable.freeze',
      'lsm.log.new',
      'lsm.flush',
      'lsm.table.written',
      'lsm.manifest.edit',
      'lsm.table.open',
      'lsm.file.delete',
      'lsm.flush',
    ]);
    expect(events.find((e) => e.type === 'lsm.table.open')).toMatchObject({ level: 0, from: 'written' });
    const blocks = events.filter((e) => e.type === 'lsm.table.block').map((e) => (e as { block: string }).block);
    expect(blocks.slice(-3)).toEqual(['filter', 'index', 'footer']);
    expect(blocks.filter((b) => b === 'data').length).toBeGreaterThan(1);
    db.close();
  });

  it('still reads the frozen (immutable) memtable after its flush failed with KV_IO, and refuses writes', () => {
    const fs = new MemoryFileSystem();
    const events: TraceEvent[] = [];
    const db = new LsmStore({ ...SMALL, dir: '/db', fs, trace: (e) => events.push(e) });
    fs.injectFault({ call: 'write', path: '.sst', errno: 'ENOSPC' });
    let err: unknown;
    let i = 0;
    try {
      for (; i < 1000; i++) db.put(key(i), value(i));
    } catch (e) {
      err = e;
    }
    expect(isKVError(err, 'KV_IO')).toBe(true);
    expect(db.inspect().immutable?.entries).toBeGreaterThan(0);
    const from = events.length;
    expect(db.get(key(0))).toEqual(value(0));
    expect(
      events.slice(from).some((e) => e.type === 'lsm.get.memtable' && e.which === 'immutable' && e.found === 'value'),
    ).toBe(true);
    expect(() => db.put('x', 'y')).toThrow(/earlier write or sync failed/);
    db.close();
    fs.clearFaults();
    const re = new LsmStore({ ...SMALL, dir: '/db', fs });
    for (let j = 0; j < i; j++) expect(re.get(key(j))).toEqual(value(j));
    re.close();
  });

  it('emits only plain JSON events and gives a plain JSON inspect() with the skiplist levels, levels, files and filter stats', () => {
    const { db, events } = openLsm();
    for (const i of shuffled(1200)) db.put(key(i), value(i));
    for (let i = 0; i < 50; i++) db.get(key(i * 3));
    db.delete(key(1));
    for (const e of events) expect(JSON.parse(JSON.stringify(e))).toEqual(e);
    const snap = db.inspect();
    expect(JSON.parse(JSON.stringify(snap))).toEqual(snap);
    expect(snap.engine).toBe('lsm');
    expect(snap.memtable.levels[0]!.length).toBe(Math.min(snap.memtable.entries, snap.memtable.shown));
    expect(snap.memtable.levels.length).toBe(snap.memtable.height);
    expect(snap.memtable.list.some((e) => e.kind === 'delete' && e.key === 'key000001')).toBe(true);
    expect(snap.levels.length).toBe(7);
    const opened = snap.levels.flatMap((l) => l.files).filter((f) => f.filter !== null);
    expect(opened.length).toBeGreaterThan(0);
    for (const f of opened) expect(f.filter!.bitsPerKey).toBeGreaterThanOrEqual(10);
    const roles = new Set(snap.files.map((f) => f.role));
    for (const r of ['log (current)', 'table', 'manifest (current)', 'current']) expect(roles).toContain(r);
    db.close();
  });

  it('keeps memory bounded by the memtable, the block cache and per-table index and filter', () => {
    // 4 KiB blocks (the default): with every table open, the indexes cost one entry per block.
    const tuning = {
      ...SMALL,
      memtableBytes: 16 * 1024,
      blockBytes: 4096,
      level1Bytes: 64 * 1024,
      targetFileBytes: 16 * 1024,
      blockCacheBytes: 16 * 1024,
    };
    const db = new LsmStore({ ...tuning, dir: '/db', fs: new MemoryFileSystem() });
    let n = 0;
    for (const i of shuffled(10_000)) {
      db.put(key(i), value(i));
      if (++n % 500 === 0) db.sync();
    }
    for (let i = 0; i < 10_000; i += 13) db.get(key(i));
    const s = db.stats();
    expect(s.liveBytes).toBe(10_000 * 109);
    // Every live table is open, and its filter and index are counted in memoryBytes.
    expect(s.engineStats.openTables).toBe(
      [0, 1, 2, 3, 4, 5, 6].reduce((n, l) => n + s.engineStats[`level${l}Files`]!, 0),
    );
    expect(s.engineStats.tableMemoryBytes).toBeGreaterThan((10_000 * 10) / 8);
    // Index and filter are a few percent of the data; the rest is bounded by the settings.
    expect(s.memoryBytes).toBeLessThan(2 * (tuning.memtableBytes + tuning.blockCacheBytes) + 0.05 * s.liveBytes);
    db.close();
  });

  it('traces recovery steps, and every trace event type is documented in events.ts', async () => {
    const fs = new MemoryFileSystem();
    const events: TraceEvent[] = [];
    let db = new LsmStore({ ...SMALL, dir: '/db', fs, trace: (e) => events.push(e) });
    for (const i of shuffled(1500)) db.put(key(i), value(i));
    for (let i = 0; i < 100; i++) db.get(key(i * 11));
    db.get('zzz');
    db.compact();
    db.close();
    db = new LsmStore({ ...SMALL, dir: '/db', fs, trace: (e) => events.push(e) });
    db.close();
    const { readFileSync } = await import('node:fs');
    const doc = readFileSync(new URL('../../engines/lsm/events.ts', import.meta.url), 'utf8');
    const types = new Set(events.map((e) => e.type).filter((t) => t.startsWith('lsm.')));
    expect(types.size).toBeGreaterThan(15);
    for (const t of types) expect(doc, t).toContain(`  ${t} `);
  });
});
