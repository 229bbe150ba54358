/**
 * checks.ts: the LSM track's own checks: a write-ahead log that makes every synced write
 * survive, sorted files flushed from a bounded memtable, a bloom filter that spares a missing
 * key's read, crash-safe flushes recorded in a manifest, and compaction that reclaims space.
 */
import type { Check } from '../check.js';
import { assert, diskBytes, files, fresh, scanText, text, filler } from '../helpers.js';
import { crashEverywhere } from '../bitcask/steps-5-7.js';

/** The zero-padded key i, so string order is number order. */
const key = (i: number) => `key${String(i).padStart(6, '0')}`;

/** Options that make the memtable flush every ~4 KiB, with no block cache to hide reads. */
const SMALL = { memtableBytes: 4096, blockBytes: 512, blockCacheBytes: 0 };

export const LSM_OWN: Check[] = [
  {
    step: 2,
    title: 'a write reaches the log before sync() returns: it survives a power loss, with nothing closed',
    run(s) {
      const { fs, open } = fresh(s);
      let db = open();
      db.put('a', '1');
      db.delete('a');
      db.put('b', '2');
      db.sync();
      fs.powerLoss({ keepWrites: 0 });
      db = open();
      assert.deepEqual(scanText(db), ['b=2'], 'after sync and a power loss');
      db.close();
    },
  },
  {
    step: 3,
    title: 'a bounded memtable: writing 80 KiB with memtableBytes 4096 makes several files and keeps memory small',
    run(s) {
      const { fs, open } = fresh(s, SMALL);
      let db = open();
      for (let i = 0; i < 800; i++) db.put(key((i * 7919) % 800), filler('m', 90));
      const mem = db.stats().memoryBytes;
      assert.ok(
        files(fs).length >= 3,
        `800 puts of ~100 bytes with memtableBytes 4096 left ${files(fs).length} file(s)`,
      );
      assert.ok(
        mem < 40_000,
        `stats().memoryBytes is ${mem}: the memtable must be flushed to a sorted file when it reaches memtableBytes`,
      );
      db.close();
      db = open();
      const all = scanText(db);
      assert.equal(all.length, 800, 'every pair after reopen');
      assert.equal(all[0], `${key(0)}=${filler('m', 90)}`, 'scan merges the files in key order');
      db.close();
    },
  },
  {
    step: 3,
    title: 'the newest value wins across the memtable and every file, and deletes shadow older files',
    run(s) {
      const { open } = fresh(s, SMALL);
      let db = open();
      for (let r = 0; r < 4; r++) for (let i = 0; i < 100; i++) db.put(key(i), `${filler('n', 40)}${r}`);
      for (let i = 0; i < 100; i += 10) db.delete(key(i));
      const check = () => {
        for (let i = 0; i < 100; i += 3)
          assert.equal(text(db.get(key(i))), i % 10 === 0 ? undefined : `${filler('n', 40)}3`, key(i));
        assert.equal(scanText(db).length, 90, 'scan count');
      };
      check();
      db.close();
      db = open();
      check();
      db.close();
    },
  },
  {
    step: 4,
    title: 'a get of a missing key reads almost nothing: a bloom filter per file says no',
    run(s) {
      const { open } = fresh(s, SMALL);
      let db = open();
      for (let i = 0; i < 1000; i += 2) db.put(key(i), filler('b', 60));
      db.close();
      db = open();
      const before = db.stats().bytesRead;
      for (let i = 1; i < 1000; i += 2) db.get(key(i));
      const perGet = (db.stats().bytesRead - before) / 500;
      assert.ok(
        perGet < 100,
        `a get of a missing key read ${perGet.toFixed(0)} bytes on average (blocks of 512, no block cache): a bloom filter, kept in memory, should rule out almost every file`,
      );
      assert.equal(text(db.get(key(10))), filler('b', 60), 'a present key still reads');
      db.close();
    },
  },
  {
    step: 5,
    title: 'a crash at any file-system call of flushes recovers a synced prefix (the manifest names only whole files)',
    run(s) {
      crashEverywhere(s, { memtableBytes: 512, blockBytes: 256 }, 505, 2, false);
    },
  },
  {
    step: 6,
    title: 'compact() after overwrites shrinks the files to about the live data and keeps every pair',
    run(s) {
      const { fs, open } = fresh(s, SMALL);
      let db = open();
      for (let r = 0; r < 10; r++) for (let i = 0; i < 100; i++) db.put(key(i), `${filler('c', 40)}${r}`);
      for (let i = 0; i < 100; i += 4) db.delete(key(i));
      db.sync();
      const before = diskBytes(fs);
      db.compact();
      const after = diskBytes(fs);
      assert.ok(
        after < before / 2,
        `compact() took the files from ${before} to ${after} bytes; 75 live pairs of ~50 bytes need far less`,
      );
      db.close();
      db = open();
      assert.equal(scanText(db).length, 75, 'pairs after compact() and reopen (deleted keys must stay deleted)');
      assert.equal(text(db.get(key(1))), `${filler('c', 40)}9`, 'the newest value after compact()');
      db.close();
    },
  },
  {
    step: 6,
    title: 'files do not pile up: with l0CompactionTrigger 4, a long write keeps the file count bounded',
    run(s) {
      const { fs, open } = fresh(s, {
        ...SMALL,
        l0CompactionTrigger: 4,
        level1Bytes: 64 * 1024,
        targetFileBytes: 16 * 1024,
      });
      const db = open();
      for (let i = 0; i < 4000; i++) db.put(key(i % 1000), filler('p', 60));
      const n = files(fs).length;
      assert.ok(
        n <= 20,
        `${n} files after 4000 puts (~20 flushes): level-0 files must be compacted into the next level`,
      );
      assert.equal(scanText(db).length, 1000, 'every key');
      db.close();
    },
  },
];
