/**
 * checks.ts: the snapshot track's own checks (the rest are shared with Bitcask): a batch,
 * a save that rewrites the whole map, a cut file, and crashes during a save.
 */
import type { Check } from '../check.js';
import { assert, diskBytes, files, fresh, scanText, text, throwsCode, filler, DIR } from '../helpers.js';
import { crashEverywhere } from '../bitcask/steps-5-7.js';

export const SNAPSHOT_OWN: Check[] = [
  {
    step: 1,
    title: 'batch applies its puts and deletes in order',
    run(s) {
      const db = fresh(s).open();
      db.put('gone', '1');
      db.batch([
        { type: 'put', key: 'a', value: '1' },
        { type: 'put', key: 'a', value: '2' },
        { type: 'delete', key: 'gone' },
        { type: 'put', key: 'b', value: '3' },
      ]);
      assert.deepEqual(scanText(db), ['a=2', 'b=3'], 'after the batch');
      db.close();
    },
  },
  {
    step: 2,
    title:
      'a save rewrites the whole map: after sync, the files hold about the live data however many overwrites came before',
    run(s) {
      const { fs, open } = fresh(s);
      const db = open();
      for (let i = 0; i < 200; i++) db.put('k', `${filler('w', 100)}${i}`);
      db.put('other', 'x');
      db.sync();
      const bytes = diskBytes(fs);
      assert.ok(
        bytes > 100,
        `after sync() the files hold ${bytes} bytes; the map (2 keys, ~110 bytes) must be on disk`,
      );
      assert.ok(
        bytes < 1000,
        `after 200 overwrites of one key and a sync(), the files hold ${bytes} bytes: a snapshot holds the map, not its history`,
      );
      db.close();
      const again = open();
      assert.equal(text(again.get('k')), `${filler('w', 100)}199`, 'the newest value after reopen');
      again.close();
    },
  },
  {
    step: 2,
    title: 'deletes and the empty key survive close and reopen',
    run(s) {
      const { open } = fresh(s);
      let db = open();
      db.put('', 'empty');
      db.put('a', '1');
      db.put('b', '2');
      db.delete('a');
      db.close();
      db = open();
      assert.deepEqual(scanText(db), ['=empty', 'b=2'], 'after reopen');
      db.close();
    },
  },
  {
    step: 3,
    title: 'a snapshot cut short is KV_CORRUPT at open, not a smaller map',
    run(s) {
      const { fs, open } = fresh(s);
      const db = open();
      for (let i = 0; i < 20; i++) db.put(`key${i}`, filler('c', 30));
      db.close();
      const biggest = files(fs).sort((a, b) => b.size - a.size)[0];
      assert.ok(biggest && biggest.size > 0, 'close() leaves a file holding the map');
      const h = fs.open(`${DIR}/${biggest.name}`);
      h.truncate(biggest.size - 40);
      h.sync();
      h.close();
      throwsCode(() => open(), 'KV_CORRUPT', `opening with ${biggest.name} cut 40 bytes short`);
    },
  },
  {
    step: 4,
    title: 'a crash at any file-system call of a save leaves the old snapshot or the new one, never neither',
    run(s) {
      crashEverywhere(s, {}, 404, 1);
    },
  },
  {
    step: 4,
    title: 'compact() keeps every pair (for a snapshot it is one more save)',
    run(s) {
      const { open } = fresh(s);
      let db = open();
      db.put('a', '1');
      db.put('b', '2');
      db.compact();
      db.close();
      db = open();
      assert.deepEqual(scanText(db), ['a=1', 'b=2'], 'after compact() and reopen');
      db.close();
    },
  },
];
