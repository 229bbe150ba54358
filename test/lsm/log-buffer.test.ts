import { describe, it, expect } from 'vitest';
import { MemoryFileSystem } from '../../engines/index.js';
import type { TraceEvent } from '../../engines/index.js';
import { LsmStore } from '../../engines/lsm/store.js';
import { SMALL, key, value } from './helpers.js';

/** I/O events of one call on .log files. */
const logCalls = (events: TraceEvent[], call: string): TraceEvent[] =>
  events.filter(
    (e) =>
      e.type === 'io' && (e as { call: string }).call === call && String((e as { path: string }).path).endsWith('.log'),
  );

describe('lsm log buffer', () => {
  it('keeps puts in the log buffer until sync, which is one write and one fsync', () => {
    const events: TraceEvent[] = [];
    const db = new LsmStore({
      ...SMALL,
      memtableBytes: 1 << 20,
      dir: '/db',
      fs: new MemoryFileSystem(),
      trace: (e) => events.push(e),
    });
    const from = events.length;
    for (let i = 0; i < 50; i++) db.put(key(i), value(i));
    expect(logCalls(events.slice(from), 'write')).toHaveLength(0);
    expect(events.slice(from).filter((e) => e.type === 'lsm.log.append')).toHaveLength(50);
    const before = events.length;
    db.sync();
    expect(logCalls(events.slice(before), 'write')).toHaveLength(1);
    expect(logCalls(events.slice(before), 'sync')).toHaveLength(1);
    db.close();
  });

  it('writes the buffer out when it fills, without an fsync', () => {
    const events: TraceEvent[] = [];
    const db = new LsmStore({
      ...SMALL,
      memtableBytes: 1 << 20,
      logBufferBytes: 1024,
      dir: '/db',
      fs: new MemoryFileSystem(),
      trace: (e) => events.push(e),
    });
    const from = events.length;
    for (let i = 0; i < 50; i++) db.put(key(i), value(i));
    const writes = logCalls(events.slice(from), 'write');
    expect(writes.length).toBeGreaterThan(3);
    for (const w of writes) expect((w as { length: number }).length).toBeLessThanOrEqual(1024);
    expect(logCalls(events.slice(from), 'sync')).toHaveLength(0);
    db.close();
  });

  it('with logBufferBytes 0 writes each record as it is made', () => {
    const events: TraceEvent[] = [];
    const db = new LsmStore({
      ...SMALL,
      logBufferBytes: 0,
      dir: '/db',
      fs: new MemoryFileSystem(),
      trace: (e) => events.push(e),
    });
    const from = events.length;
    for (let i = 0; i < 5; i++) db.put(key(i), value(i));
    expect(logCalls(events.slice(from), 'write')).toHaveLength(5);
    db.close();
  });

  it('keeps every synced put across a power loss, and loses only a suffix of the unsynced ones', () => {
    const fs = new MemoryFileSystem();
    const db = new LsmStore({ ...SMALL, memtableBytes: 1 << 20, logBufferBytes: 512, dir: '/db', fs });
    for (let i = 0; i < 40; i++) db.put(key(i), value(i));
    db.sync();
    for (let i = 40; i < 80; i++) db.put(key(i), value(i));
    fs.powerLoss();
    const back = new LsmStore({ ...SMALL, dir: '/db', fs });
    for (let i = 0; i < 40; i++) expect(back.get(key(i))).toEqual(value(i));
    let present = 0;
    for (let i = 40; i < 80; i++) if (back.get(key(i))) present++;
    for (let i = 40; i < 40 + present; i++) expect(back.get(key(i))).toEqual(value(i));
    back.close();
  });
});
