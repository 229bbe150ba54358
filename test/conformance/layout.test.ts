/**
 * Every engine names every byte of every file it writes: describeFile (registry.ts) picks
 * the engine's own describer by file name, and after a mix of writes, deletes, a batch, a
 * compaction and a close, each file of the store is described whole, with no malformed span.
 * The per-engine layout tests (test/<engine>/layout.test.ts) check the spans' values.
 */
import { describe, it, expect } from 'vitest';
import {
  ENGINES,
  MemoryFileSystem,
  allSpans,
  describeFile,
  firstMalformed,
  openStore,
  type StoreOptions,
} from '../../engines/index.js';
import { readWhole } from '../../engines/storage/fs.js';
import { tilingProblems } from '../util/layout.js';

/** Small files, pages and memtables, so a few keys make several of each. */
const TUNING: Record<string, Partial<StoreOptions>> = {
  bitcask: { maxFileBytes: 512 },
  btree: { pageSize: 512 },
  lsm: { memtableBytes: 1024, blockBytes: 256 },
};

for (const engine of ENGINES) {
  describe(`the ${engine} engine's files`, () => {
    it('are each described by the engine, every byte in one span, none malformed', () => {
      const fs = new MemoryFileSystem();
      const db = openStore(engine, { ...TUNING[engine], dir: '/db', fs });
      for (let i = 0; i < 60; i++) db.put(`key${i}`, `value ${i} `.repeat(1 + (i % 4)));
      for (let i = 0; i < 60; i += 5) db.delete(`key${i}`);
      db.batch([
        { type: 'put', key: 'a', value: '1' },
        { type: 'delete', key: 'key7' },
      ]);
      db.compact();
      db.close();
      const names = fs.list('/db').filter((n) => n !== 'LOCK');
      expect(names.length).toBeGreaterThan(0);
      for (const name of names) {
        const bytes = readWhole(fs, `/db/${name}`);
        const groups = describeFile(engine, name, bytes);
        expect(groups, name).toBeDefined();
        expect(tilingProblems(groups!, bytes.length), name).toEqual([]);
        expect(firstMalformed(groups!), name).toBeUndefined();
        expect(
          allSpans(groups!).reduce((n, s) => n + s.length, 0),
          name,
        ).toBe(bytes.length);
      }
      expect(describeFile(engine, 'notes.txt', new Uint8Array(4))).toBeUndefined();
    });
  });
}
