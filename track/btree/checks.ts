/**
 * checks.ts: the B+tree track's own checks: a file of whole pages, many keys across splits,
 * copy-on-write commits that survive a crash at every call, space reused through a free list
 * and after mass deletes, and a bounded page cache. Through the contract and the file system.
 */
import type { Check } from '../check.js';
import { assert, diskBytes, files, fresh, scanText, text, filler } from '../helpers.js';
import { crashEverywhere } from '../bitcask/steps-5-7.js';

/** The zero-padded key i, so string order is number order. */
const key = (i: number) => `key${String(i).padStart(6, '0')}`;

export const BTREE_OWN: Check[] = [
  {
    step: 1,
    title: 'the store is a file of whole pages: with pageSize 512, its size is a multiple of 512 after close',
    run(s) {
      const { fs, open } = fresh(s, { pageSize: 512 });
      const db = open();
      db.put('a', '1');
      db.put('b', '2');
      db.close();
      const paged = files(fs).filter((f) => f.size > 0 && f.size % 512 === 0);
      assert.ok(
        paged.length > 0,
        `no file of whole 512-byte pages among ${files(fs)
          .map((f) => `${f.name} (${f.size})`)
          .join(', ')}`,
      );
    },
  },
  {
    step: 3,
    title: 'a thousand keys in random order read back in order, after splits and a reopen',
    run(s) {
      const { fs, open } = fresh(s, { pageSize: 512 });
      let db = open();
      const order = Array.from({ length: 1000 }, (_, i) => (i * 7919) % 1000);
      for (const i of order) db.put(key(i), `v${i}`);
      for (let i = 0; i < 1000; i += 37) assert.equal(text(db.get(key(i))), `v${i}`, `get ${key(i)}`);
      db.close();
      assert.ok(diskBytes(fs) >= 1000 * 10, 'a thousand pairs need more than one page');
      db = open();
      const all = scanText(db);
      assert.equal(all.length, 1000, 'scan after reopen');
      assert.deepEqual(all.slice(0, 2), [`${key(0)}=v0`, `${key(1)}=v1`], 'scan order');
      assert.deepEqual(
        scanText(db, { gte: key(500), limit: 2 }),
        [`${key(500)}=v500`, `${key(501)}=v501`],
        'a range that starts inside a leaf',
      );
      assert.deepEqual(
        scanText(db, { lt: key(500), reverse: true, limit: 1 }),
        [`${key(499)}=v499`],
        'a reverse range',
      );
      db.close();
    },
  },
  {
    step: 3,
    title: 'values larger than a page and keys at the limit survive splits and reopen',
    run(s) {
      const { open } = fresh(s, { pageSize: 512 });
      let db = open();
      const big = filler('B', 3000);
      for (let i = 0; i < 60; i++) db.put(key(i), i % 3 === 0 ? big : `small${i}`);
      const longKey = 'L'.repeat(db.limits.maxKeyBytes);
      db.put(longKey, 'long');
      db.close();
      db = open();
      assert.equal(text(db.get(key(3))), big, 'a 3000-byte value at 512-byte pages');
      assert.equal(text(db.get(key(4))), 'small4', 'a small value beside it');
      assert.equal(text(db.get(longKey)), 'long', `a key of maxKeyBytes (${db.limits.maxKeyBytes}) bytes`);
      db.close();
    },
  },
  {
    step: 4,
    title: 'a crash at any file-system call of a commit recovers a synced prefix (copy-on-write, then the meta page)',
    run(s) {
      crashEverywhere(s, { pageSize: 512 }, 404, 2, false);
    },
  },
  {
    step: 5,
    title: 'space is reused: overwriting the same keys and syncing, round after round, stops growing the file',
    run(s) {
      const { fs, open } = fresh(s, { pageSize: 512 });
      const db = open();
      const round = (r: number) => {
        for (let i = 0; i < 200; i++) db.put(key(i), `${filler('r', 20)}${r}`);
        db.sync();
      };
      for (let r = 0; r < 5; r++) round(r);
      const early = diskBytes(fs);
      for (let r = 5; r < 40; r++) round(r);
      const late = diskBytes(fs);
      assert.ok(
        late <= early * 1.5,
        `after 5 rounds the files held ${early} bytes, after 40 ${late}: pages freed by a commit must be reused by a later one`,
      );
      db.close();
    },
  },
  {
    step: 6,
    title: 'after deleting most keys, the rest read back in order, and filling again reuses the space',
    run(s) {
      const { fs, open } = fresh(s, { pageSize: 512 });
      let db = open();
      for (let i = 0; i < 1500; i++) db.put(key(i), filler('d', 20));
      db.sync();
      const full = diskBytes(fs);
      for (let i = 0; i < 1500; i++) if (i % 20 !== 0) db.delete(key(i));
      db.sync();
      db.close();
      db = open();
      const left = scanText(db).map((p) => p.split('=')[0]);
      assert.deepEqual(
        left,
        Array.from({ length: 75 }, (_, j) => key(j * 20)),
        'the keys left after deleting 19 of every 20',
      );
      for (let i = 0; i < 1500; i++) db.put(key(i), filler('e', 20));
      db.sync();
      assert.ok(
        diskBytes(fs) <= full * 1.6,
        `refilling after the deletes grew the files from ${full} to ${diskBytes(fs)} bytes: emptied pages must be merged and freed`,
      );
      db.close();
    },
  },
  {
    step: 7,
    title: 'with cachePages 8, memory stays bounded however big the tree, and a repeated get reads nothing',
    run(s) {
      const { open } = fresh(s, { pageSize: 512, cachePages: 8 });
      let db = open();
      for (let i = 0; i < 2000; i++) db.put(key(i), filler('c', 30));
      db.close();
      db = open();
      for (let i = 0; i < 2000; i += 7) db.get(key(i));
      const mem = db.stats().memoryBytes;
      assert.ok(
        mem > 0 && mem <= 8 * 512 * 4,
        `stats().memoryBytes is ${mem} after reading across 2000 keys with cachePages 8; at most about 8 pages of 512 bytes may stay in memory`,
      );
      db.get(key(1000));
      const before = db.stats().bytesRead;
      db.get(key(1000));
      assert.equal(db.stats().bytesRead, before, 'a get of a key whose pages were just read must come from the cache');
      db.close();
    },
  },
];
