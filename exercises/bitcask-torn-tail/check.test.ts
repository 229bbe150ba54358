/**
 * Exercise bitcask-torn-tail: after a power cut tears the last append, recovery cuts the
 * torn bytes off the active file, so writes after the reopen are read back, and so is the
 * store after another reopen. Run: npm run exercise -- bitcask-torn-tail
 */
import { describe, expect, it } from 'vitest';
import { MemoryFileSystem, openStore, type TraceEvent } from '../../engines/index.js';

const DIR = '/db';
const text = (v: Uint8Array | undefined) => (v === undefined ? undefined : new TextDecoder().decode(v));

/** A store with a, b synced and c torn by a power cut; returns the file system. */
function torn(tornBytes: number): MemoryFileSystem {
  const fs = new MemoryFileSystem();
  const db = openStore('bitcask', { dir: DIR, fs });
  db.put('a', 'apple');
  db.put('b', 'banana');
  db.sync();
  db.put('c', 'cherry'.repeat(20));
  fs.powerLoss({ keepWrites: 0, tornBytes });
  return fs;
}

describe('a torn tail in bitcask', () => {
  for (const tornBytes of [3, 20, 60]) {
    it(`cuts a record torn after ${tornBytes} bytes, and the store keeps working across reopens`, () => {
      const fs = torn(tornBytes);
      const events: TraceEvent[] = [];
      let db = openStore('bitcask', { dir: DIR, fs, trace: (e) => events.push(e) });
      expect(events.some((e) => e.type === 'bitcask.recover.truncate')).toBe(true);
      expect(text(db.get('a'))).toBe('apple');
      expect(text(db.get('c'))).toBeUndefined();
      // New writes after the cut are found now and after a clean reopen.
      db.put('d', 'date');
      expect(text(db.get('d'))).toBe('date');
      db.close();
      db = openStore('bitcask', { dir: DIR, fs });
      expect([text(db.get('a')), text(db.get('b')), text(db.get('c')), text(db.get('d'))]).toEqual([
        'apple',
        'banana',
        undefined,
        'date',
      ]);
      db.close();
    });
  }

  it('leaves the data files exactly as long as they were at the last sync', () => {
    const fs = new MemoryFileSystem();
    const db = openStore('bitcask', { dir: DIR, fs });
    db.put('a', 'apple');
    db.sync();
    const sizes = () =>
      fs
        .list(DIR)
        .filter((f) => f.endsWith('.data'))
        .map((f) => fs.fileSize(`${DIR}/${f}`));
    const synced = sizes();
    db.put('b', 'banana'.repeat(10));
    fs.powerLoss({ keepWrites: 0, tornBytes: 25 });
    openStore('bitcask', { dir: DIR, fs }).close();
    expect(sizes()).toEqual(synced);
  });
});
