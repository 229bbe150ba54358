/**
 * Exercise bitcask-hint-files: a merge writes a hint file beside each merged data file, and
 * a reopen rebuilds the keydir from the hints without reading the merged data files.
 * Run: npm run exercise -- bitcask-hint-files
 */
import { describe, expect, it } from 'vitest';
import { MemoryFileSystem, openStore, type TraceEvent } from '../../engines/index.js';

const DIR = '/db';

/** A bitcask with overwritten keys over several small files, merged and closed. */
function merged(): MemoryFileSystem {
  const fs = new MemoryFileSystem();
  const db = openStore('bitcask', { dir: DIR, fs, maxFileBytes: 512 });
  for (let round = 0; round < 4; round++) {
    for (let i = 0; i < 20; i++) db.put(`key${String(i).padStart(2, '0')}`, `value ${i} of round ${round}`);
  }
  db.delete('key07');
  db.compact();
  db.close();
  return fs;
}

describe('bitcask hint files', () => {
  it('writes one hint file for each data file a merge produced', () => {
    const fs = merged();
    const files = fs.list(DIR);
    const data = files.filter((f) => f.endsWith('.data'));
    const hints = files.filter((f) => f.endsWith('.hint'));
    expect(data.length).toBeGreaterThan(0);
    expect(hints.map((h) => h.replace('.hint', ''))).toEqual(
      expect.arrayContaining(data.map((d) => d.replace('.data', ''))),
    );
  });

  it('reopens from the hints: no merged data file is scanned, and every value is right', () => {
    const fs = merged();
    const events: TraceEvent[] = [];
    const db = openStore('bitcask', { dir: DIR, fs, maxFileBytes: 512, trace: (e) => events.push(e) });
    const loaded = events.filter((e) => e.type === 'bitcask.recover.hint');
    const scanned = events.filter((e) => e.type === 'bitcask.recover.scan');
    expect(loaded.length).toBeGreaterThan(0);
    expect(scanned).toEqual([]);
    for (let i = 0; i < 20; i++) {
      const k = `key${String(i).padStart(2, '0')}`;
      const v = db.get(k);
      expect(v === undefined ? undefined : new TextDecoder().decode(v), k).toBe(
        i === 7 ? undefined : `value ${i} of round 3`,
      );
    }
    db.close();
  });
});
