import { describe, it, expect } from 'vitest';
import { MemoryFileSystem } from '../../engines/index.js';
import type { TraceEvent } from '../../engines/index.js';
import { LsmStore } from '../../engines/lsm/store.js';
import { SMALL, key, openLsm, shuffled, value } from './helpers.js';

/** I/O read events on .sst files among `events`. */
const tableReads = (events: TraceEvent[]): TraceEvent[] =>
  events.filter(
    (e) =>
      e.type === 'io' &&
      (e as { call: string }).call === 'read' &&
      String((e as { path: string }).path).endsWith('.sst'),
  );

describe('lsm table cache', () => {
  it('opens every live table at open, so a get that the bloom filter rules out reads nothing', () => {
    const fs = new MemoryFileSystem();
    const first = new LsmStore({ ...SMALL, dir: '/db', fs });
    for (const i of shuffled(600)) first.put(key(2 * i), value(i));
    first.close();
    const events: TraceEvent[] = [];
    const db = new LsmStore({ ...SMALL, dir: '/db', fs, trace: (e) => events.push(e) });
    const s = db.stats();
    expect(s.engineStats.openTables).toBeGreaterThan(1);
    expect(s.engineStats.tableMemoryBytes).toBeGreaterThan(0);
    expect(
      events.filter((e) => e.type === 'lsm.table.open').every((e) => (e as { from: string }).from === 'disk'),
    ).toBe(true);
    // An absent key inside the tables' ranges: filters (in memory) say no, except a rare false positive.
    const from = events.length;
    for (let i = 0; i < 100; i++) expect(db.get(key(2 * i + 1))).toBeUndefined();
    const reads = tableReads(events.slice(from));
    // Every table read is a data block a false "maybe" asked for: never a footer, filter or index.
    const maybeCount = events
      .slice(from)
      .filter((e) => e.type === 'lsm.bloom' && (e as { answer: string }).answer === 'maybe').length;
    expect(reads.length).toBeLessThanOrEqual(maybeCount);
    expect(maybeCount).toBeLessThan(10);
    db.close();
  });

  it('opens a table it has just written from the writer, so the first get of a key in it reads one data block', () => {
    const { db, events } = openLsm();
    for (let i = 0; events.every((e) => e.type !== 'lsm.flush' || (e as { step: string }).step !== 'done'); i++)
      db.put(key(i), value(i));
    const opened = events.filter((e) => e.type === 'lsm.table.open');
    expect(opened.length).toBe(1);
    expect(opened[0]).toMatchObject({ from: 'written', level: 0 });
    const from = events.length;
    expect(db.get(key(0))).toEqual(value(0));
    expect(tableReads(events.slice(from)).length).toBe(1);
    db.close();
  });

  it('keeps at most maxOpenTables open, and opens an evicted table again at its next use', () => {
    const { db, events } = openLsm({ ...SMALL, maxOpenTables: 2 });
    const order = shuffled(1500);
    for (const i of order) db.put(key(i), value(i));
    expect(db.stats().engineStats.openTables).toBeLessThanOrEqual(2);
    const tables = db.inspect().levels.reduce((n, l) => n + l.files.length, 0);
    expect(tables).toBeGreaterThan(2);
    for (const i of order) expect(db.get(key(i))).toEqual(value(i));
    expect(db.stats().engineStats.openTables).toBeLessThanOrEqual(2);
    expect(events.some((e) => e.type === 'lsm.table.close')).toBe(true);
    expect(events.some((e) => e.type === 'lsm.table.open' && (e as { from: string }).from === 'disk')).toBe(true);
    db.close();
  });

  it('counts the open tables\u2019 filters and indexes in memoryBytes, also right after a reopen', () => {
    const fs = new MemoryFileSystem();
    const first = new LsmStore({ ...SMALL, dir: '/db', fs });
    for (const i of shuffled(600)) first.put(key(i), value(i));
    first.close();
    const db = new LsmStore({ ...SMALL, dir: '/db', fs });
    const s = db.stats();
    const es = s.engineStats;
    expect(es.tableMemoryBytes).toBeGreaterThan((600 * 10) / 8);
    expect(s.memoryBytes).toBeGreaterThanOrEqual(es.tableMemoryBytes! + es.cacheBytes!);
    db.close();
  });
});
