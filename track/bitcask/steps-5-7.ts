/**
 * steps-5-7.ts: the Bitcask track's checks for rollover, merge with hint files, and sync()
 * with the durability rule. Through the KVStore contract and the memory file system only.
 */
import type { Check } from '../check.js';
import type { Subject } from '../subject.js';
import { assert, closeQuietly, diskBytes, files, fresh, scanText, text, throwsCode, filler, DIR } from '../helpers.js';
import type { KVStore } from '../../engines/index.js';
import { MemoryFileSystem, isKVError } from '../../engines/index.js';
import { Rng } from '../../test/util/rng.js';
import { randomWorkload, SMALL_SHAPE } from '../../test/util/workload.js';
import { recoveryVerdict, runUntilCrash } from '../durability.js';

/** Files in the directory that hold data (every file but a lock file). */
function dataFiles(fs: MemoryFileSystem): { name: string; size: number }[] {
  return files(fs).filter((f) => !/lock/i.test(f.name));
}

/**
 * Crashes a random workload at every `stride`th file-system call and checks each recovery.
 * With `compact` false the workload has no compact() (for a step before the one that writes it).
 */
export function crashEverywhere(
  s: Subject,
  tuning: Record<string, number>,
  seed: number,
  stride: number,
  compact = true,
): void {
  const rng = new Rng(seed);
  const steps = randomWorkload(rng, 30, { ...SMALL_SHAPE, pCompact: compact ? 0.06 : 0 });
  const dry = new MemoryFileSystem();
  const out0 = runUntilCrash(() => s.open({ ...tuning, fs: dry, dir: DIR }), steps);
  if (out0.error !== undefined) throw out0.error;
  closeQuietly(out0.db);
  for (let call = 0; call < dry.calls; call += stride) {
    const fs = new MemoryFileSystem();
    const open = () => s.open({ ...tuning, fs, dir: DIR });
    fs.injectFault({ call: 'any', skip: call, times: Infinity, crash: true });
    const out = runUntilCrash(open, steps);
    if (out.error !== undefined && !isKVError(out.error, 'KV_IO')) throw out.error;
    fs.clearFaults();
    fs.powerLoss({ keepWrites: 0 });
    const bad = recoveryVerdict(open, out);
    assert.equal(
      bad,
      undefined,
      `crash at file-system call ${call} of ${dry.calls} (seed ${seed}), then power loss: ${bad}`,
    );
  }
}

export const STEPS_5_TO_7: Check[] = [
  // ---- step 5: rollover -------------------------------------------------------------
  {
    step: 5,
    title: 'with maxFileBytes 512 the log rolls over into several files, none much past the limit',
    run(s) {
      const { fs, open } = fresh(s, { maxFileBytes: 512 });
      const db = open();
      for (let i = 0; i < 60; i++) db.put(`key${i}`, filler('x', 40));
      const data = dataFiles(fs);
      assert.ok(
        data.length >= 4,
        `60 puts of ~45 bytes with maxFileBytes 512 left ${data.length} data file(s): ${data.map((f) => f.name).join(', ')}`,
      );
      for (const f of data)
        assert.ok(f.size <= 512 + 200, `${f.name} is ${f.size} bytes: roll over before a file passes maxFileBytes`);
      db.close();
    },
  },
  {
    step: 5,
    title: 'across many files every pair reads back, newest wins and deletes hold, also after reopen',
    run(s) {
      const { open } = fresh(s, { maxFileBytes: 300 });
      let db = open();
      for (let i = 0; i < 80; i++) db.put(`k${i % 25}`, `v${i}`);
      for (let i = 0; i < 25; i += 5) db.delete(`k${i}`);
      const expectAll = () => {
        for (let k = 0; k < 25; k++) {
          const want = k % 5 === 0 ? undefined : `v${k + 75 >= 80 ? k + 50 : k + 75}`;
          assert.equal(text(db.get(`k${k}`)), want, `k${k}`);
        }
      };
      expectAll();
      db.close();
      db = open();
      expectAll();
      assert.equal(scanText(db).length, 20, 'scan after reopen');
      db.close();
    },
  },
  {
    step: 5,
    title: 'a maxFileBytes that is not a whole number >= 1 throws KV_BAD_OPTION, and leaves the directory unlocked',
    run(s) {
      const fs = new MemoryFileSystem();
      for (const bad of [0, -1, 1.5, 'big']) {
        throwsCode(
          () => s.open({ fs, dir: DIR, maxFileBytes: bad as number }),
          'KV_BAD_OPTION',
          `opening with maxFileBytes ${JSON.stringify(bad)}`,
        );
      }
      s.open({ fs, dir: DIR, maxFileBytes: 512 }).close();
    },
  },
  // ---- step 6: merge and hint files -------------------------------------------------
  {
    step: 6,
    title: 'compact() after overwrites shrinks the files to about the live data and keeps every pair',
    run(s) {
      const { fs, open } = fresh(s, { maxFileBytes: 1024 });
      const key = (k: number) => `k${String(k).padStart(2, '0')}`;
      let db = open();
      for (let round = 0; round < 10; round++)
        for (let k = 0; k < 20; k++) db.put(key(k), `${filler('v', 30)}${round}`);
      for (let k = 0; k < 20; k += 4) db.delete(key(k));
      const before = diskBytes(fs);
      db.compact();
      const after = diskBytes(fs);
      assert.ok(
        after < before / 3,
        `compact() took the files from ${before} to ${after} bytes; 15 live pairs of ~35 bytes need far less`,
      );
      const want = Array.from({ length: 20 }, (_, k) => k)
        .filter((k) => k % 4 !== 0)
        .map((k) => `${key(k)}=${filler('v', 30)}9`);
      assert.deepEqual(scanText(db), want, 'contents right after compact()');
      db.put(key(0), 'again');
      db.close();
      db = open();
      assert.deepEqual(
        scanText(db),
        [`${key(0)}=again`, ...want],
        'contents after compact(), a put, and reopen (a deleted key must not come back)',
      );
      db.close();
    },
  },
  {
    step: 6,
    title: 'after a merge, reopening reads the hint files, not every value',
    run(s) {
      const { open } = fresh(s, { maxFileBytes: 8192 });
      let db = open();
      for (let k = 0; k < 40; k++) db.put(`k${k}`, filler('h', 2000));
      db.put('k0', 'small');
      db.compact();
      db.close();
      db = open();
      const read = db.stats().bytesRead;
      assert.ok(
        read < 40 * 2000 * 0.25,
        `reopening read ${read} bytes; the values hold 78000. A hint file (key, file, offset, size per live key) lets recovery skip the values`,
      );
      assert.equal(text(db.get('k1')), filler('h', 2000), 'a value after reopen from hints');
      assert.equal(text(db.get('k0')), 'small', 'the newest value after reopen from hints');
      db.close();
    },
  },
  {
    step: 6,
    title: 'a crash at any file-system call during a merge loses nothing that was synced',
    run(s) {
      crashEverywhere(s, { maxFileBytes: 256, mergeMinDeadBytes: 256, mergeDeadRatio: 0.3 }, 606, 3);
    },
  },
  // ---- step 7: sync() and the durability rule --------------------------------------
  {
    step: 7,
    title: 'every write acknowledged before sync() survives a power loss that drops all unsynced writes',
    run(s) {
      const { fs, open } = fresh(s);
      let db = open();
      db.put('a', '1');
      db.delete('a');
      db.put('b', '2');
      db.sync();
      db.put('c', 'unsynced');
      fs.powerLoss({ keepWrites: 0 });
      db = open();
      assert.equal(db.get('a'), undefined, 'a synced delete');
      assert.equal(text(db.get('b')), '2', 'a synced put');
      assert.equal(db.get('c'), undefined, 'no unsynced write landed in this power loss');
      db.close();
    },
  },
  {
    step: 7,
    title: 'syncEveryWrite: true makes each put durable before it returns',
    run(s) {
      const { fs, open } = fresh(s, { syncEveryWrite: true });
      let db = open();
      db.put('a', '1');
      db.put('b', '2');
      fs.powerLoss({ keepWrites: 0 });
      db = open();
      assert.deepEqual(scanText(db), ['a=1', 'b=2'], 'with syncEveryWrite no acknowledged put is lost');
      db.close();
    },
  },
  {
    step: 7,
    title: 'a batch is all or nothing across a crash at any file-system call',
    run(s) {
      const ops = Array.from({ length: 6 }, (_, i) => ({ type: 'put' as const, key: `b${i}`, value: filler('b', 60) }));
      const dry = fresh(s);
      const d = dry.open();
      d.put('before', 'x');
      d.sync();
      const start = dry.fs.calls;
      d.batch([...ops, { type: 'delete', key: 'before' }]);
      d.sync();
      const end = dry.fs.calls;
      d.close();
      for (let call = start; call < end; call++) {
        for (const keep of [0, 1, 2, 1000]) {
          const { fs, open } = fresh(s);
          const db = open();
          db.put('before', 'x');
          db.sync();
          fs.injectFault({ call: 'any', skip: call, times: Infinity, crash: true });
          try {
            db.batch([...ops, { type: 'delete', key: 'before' }]);
            db.sync();
          } catch (e) {
            if (!isKVError(e, 'KV_IO')) throw e;
          }
          fs.clearFaults();
          fs.powerLoss({ keepWrites: keep });
          const again = open();
          const got = scanText(again);
          again.close();
          const none = ['before=x'];
          const all = ops.map((o) => `${o.key}=${o.value}`);
          assert.ok(
            JSON.stringify(got) === JSON.stringify(none) || JSON.stringify(got) === JSON.stringify(all),
            `crash at call ${call}, ${keep} unsynced writes kept: the store shows ${got.length} pairs (${got.slice(0, 3).join(', ')}...); a batch must land whole or not at all`,
          );
        }
      }
    },
  },
  {
    step: 7,
    title:
      'a batch a crash cut short is cut from the file too: a record written after recovery does not complete it at the next reopen',
    run(s) {
      const ops = Array.from({ length: 4 }, (_, i) => ({ type: 'put' as const, key: `b${i}`, value: filler('b', 30) }));
      // A synced pair, then a batch left unsynced for the power loss to tear.
      const run = (db: KVStore) => {
        db.put('before', 'x');
        db.sync();
        db.batch(ops);
      };
      const probe = fresh(s);
      const p = probe.open();
      run(p);
      const writes = probe.fs.pendingWrites();
      const lengths = Array.from({ length: writes }, (_, i) => probe.fs.pendingWriteLength(i));
      closeQuietly(p);
      assert.ok(writes > 0, 'a batch must write something before sync()');
      const batchKeys = (db: KVStore) => scanText(db).filter((kv) => /^b\d=/.test(kv));
      for (let w = 0; w < writes; w++) {
        for (let t = 0; t < lengths[w]!; t += 3) {
          const { fs, open } = fresh(s);
          run(open());
          fs.powerLoss({ keepWrites: w, tornBytes: t });
          const where = `power lost with write ${w + 1} of the unsynced batch torn after ${t} of its ${lengths[w]} bytes`;
          const db = open();
          const first = batchKeys(db);
          db.put('after', 'y');
          db.sync();
          db.close();
          const again = open();
          const second = batchKeys(again);
          const after = text(again.get('after'));
          again.close();
          assert.equal(after, 'y', `${where}: a put synced after recovery`);
          assert.deepEqual(
            second,
            first,
            `${where}: the first reopen showed ${first.length} of the batch's 4 pairs, the second (after one more put) ${second.length}: the torn batch's records were left in the file and the next record closed the batch. Cut the file back to where the batch began`,
          );
        }
      }
    },
  },
  {
    step: 7,
    title:
      'a merge clears the batch-continues flag of the records it copies: with its hint files gone, the merged files still read back whole',
    run(s) {
      const { fs, open } = fresh(s);
      let db = open();
      db.batch([
        { type: 'put', key: 'b', value: 'B' },
        { type: 'put', key: 'a', value: 'A' },
      ]);
      db.batch([
        { type: 'put', key: 'e', value: 'E' },
        { type: 'put', key: 'd', value: 'D' },
        { type: 'put', key: 'c', value: 'C' },
      ]);
      db.compact();
      db.close();
      const hints = files(fs).filter((f) => /\.hint$/i.test(f.name));
      assert.ok(
        hints.length > 0,
        `after compact() and close the store holds no *.hint file (${files(fs)
          .map((f) => f.name)
          .join(', ')}); name each hint <id>.hint beside <id>.data`,
      );
      for (const h of hints) fs.remove(`${DIR}/${h.name}`);
      fs.syncDir(DIR);
      db = open();
      const got = scanText(db);
      db.close();
      assert.deepEqual(
        got,
        ['a=A', 'b=B', 'c=C', 'd=D', 'e=E'],
        'batches, compact(), the hint files removed, reopen: recovery scanned the merged data files, and a pair whose record kept batch-continues (0x02) waits for a record that never comes',
      );
    },
  },
  {
    step: 7,
    title: 'a failing fsync is reported as KV_IO, and the store refuses writes until reopened',
    run(s) {
      const { fs, open } = fresh(s);
      const db = open();
      db.put('a', '1');
      fs.injectFault({ call: 'sync', errno: 'EIO' });
      let err: unknown;
      try {
        db.sync();
      } catch (e) {
        err = e;
      }
      assert.ok(
        isKVError(err, 'KV_IO'),
        `sync() with a failing fsync must throw KV_IO, it ${err ? `threw ${(err as Error).message}` : 'returned'}`,
      );
      let refused: unknown;
      try {
        db.put('b', '2');
        db.sync();
      } catch (e) {
        refused = e;
      }
      assert.ok(
        isKVError(refused, 'KV_IO'),
        'after a failed fsync, a write and sync must throw KV_IO: the failed data is gone from the page cache (as on Linux), so a later fsync that succeeds proves nothing',
      );
      closeQuietly(db);
      fs.clearFaults();
      const again = open();
      again.put('c', '3');
      again.close();
    },
  },
  {
    step: 7,
    title: 'a crash at any file-system call of a random workload recovers a synced prefix',
    run(s) {
      crashEverywhere(s, { maxFileBytes: 512 }, 707, 2);
    },
  },
];
