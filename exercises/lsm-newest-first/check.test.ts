/**
 * Exercise lsm-newest-first: with a key in several overlapping level-0 tables, a get returns
 * the newest entry, and a newer tombstone hides an older value.
 * Run: npm run exercise -- lsm-newest-first
 */
import { describe, expect, it } from 'vitest';
import { MemoryFileSystem, openStore, type TraceEvent } from '../../engines/index.js';

const text = (v: Uint8Array | undefined) => (v === undefined ? undefined : new TextDecoder().decode(v));

/** A store whose memtable flushes after every few puts, and never compacts level 0 on its own. */
function open(events: TraceEvent[] = []) {
  const fs = new MemoryFileSystem();
  return openStore('lsm', {
    dir: '/db',
    fs,
    memtableBytes: 256,
    l0CompactionTrigger: 100,
    trace: (e) => events.push(e),
  });
}

/** Writes enough filler to make the memtable flush. */
function flush(db: ReturnType<typeof open>, round: number): void {
  for (let i = 0; i < 12; i++) db.put(`filler-${round}-${i}`, 'f'.repeat(20));
}

describe('level 0, newest first', () => {
  it('returns the newest of three versions, each in its own level-0 table', () => {
    const events: TraceEvent[] = [];
    const db = open(events);
    for (const [round, v] of ['first', 'second', 'third'].entries()) {
      db.put('k', v);
      flush(db, round);
    }
    expect(events.filter((e) => e.type === 'lsm.table.written').length).toBeGreaterThanOrEqual(3);
    expect(text(db.get('k'))).toBe('third');
    db.close();
  });

  it('keeps a deleted key deleted when the delete is in a newer table than the value', () => {
    const db = open();
    db.put('gone', 'here');
    flush(db, 0);
    db.delete('gone');
    flush(db, 1);
    expect(text(db.get('gone'))).toBeUndefined();
    db.close();
  });
});
