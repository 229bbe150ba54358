/**
 * steps-1-4.ts: the Bitcask track's checks for records and the keydir, reopening by
 * scanning, checksums and the torn tail, and tombstones. Each check opens the engine through
 * the KVStore contract on a memory file system; none reads the reference engine's bytes.
 */
import type { Check } from '../check.js';
import { assert, closeQuietly, diskBytes, files, fresh, scanText, text, throwsCode, filler, DIR } from '../helpers.js';
import { isKVError } from '../../engines/index.js';

export const STEPS_1_TO_4: Check[] = [
  // ---- step 1: records and the keydir ---------------------------------------------
  {
    step: 1,
    title: 'put then get returns the value; a key never put reads as undefined',
    run(s) {
      const db = fresh(s).open();
      db.put('apple', 'red');
      db.put('banana', 'yellow');
      assert.equal(text(db.get('apple')), 'red', 'get("apple") after put("apple", "red")');
      assert.equal(text(db.get('banana')), 'yellow', 'get("banana")');
      assert.equal(db.get('cherry'), undefined, 'get("cherry"), never put');
      db.close();
    },
  },
  {
    step: 1,
    title: 'a second put replaces the value; the empty key, empty values and any byte are allowed',
    run(s) {
      const db = fresh(s).open();
      db.put('k', 'one');
      db.put('k', 'two');
      assert.equal(text(db.get('k')), 'two', 'the newest put wins');
      db.put('', 'empty key');
      db.put('e', '');
      const raw = new Uint8Array([0, 255, 10, 13, 0]);
      db.put(raw, raw);
      assert.equal(text(db.get('')), 'empty key', 'the empty key is a key');
      assert.equal(text(db.get('e')), '', 'an empty value is a value, not a missing key');
      assert.deepEqual(db.get(raw) && [...db.get(raw)!], [...raw], 'bytes 0x00 and 0xff survive in keys and values');
      db.close();
    },
  },
  {
    step: 1,
    title: 'every put appends a record: the files grow by at least the key and value, also for an overwrite',
    run(s) {
      const { fs, open } = fresh(s);
      const db = open();
      db.put('k', filler('a', 100));
      const one = diskBytes(fs);
      assert.ok(one >= 101, `after one put of 1 + 100 bytes the store's files hold ${one} bytes`);
      db.put('k', filler('b', 100));
      const two = diskBytes(fs);
      assert.ok(
        two >= one + 101,
        `an overwrite appends (files went from ${one} to ${two} bytes); Bitcask never rewrites a record in place`,
      );
      db.close();
    },
  },
  {
    step: 1,
    title: 'scan lists pairs in bytewise key order within gt/gte/lt/lte, reversed and limited on request',
    run(s) {
      const db = fresh(s).open();
      for (const k of ['d', 'b', 'a', 'c', 'e']) db.put(k, k.toUpperCase());
      assert.deepEqual(scanText(db), ['a=A', 'b=B', 'c=C', 'd=D', 'e=E'], 'scan() is in key order');
      assert.deepEqual(scanText(db, { gte: 'b', lt: 'd' }), ['b=B', 'c=C'], 'scan({ gte: "b", lt: "d" })');
      assert.deepEqual(scanText(db, { gt: 'b', lte: 'd' }), ['c=C', 'd=D'], 'scan({ gt: "b", lte: "d" })');
      assert.deepEqual(scanText(db, { reverse: true, limit: 2 }), ['e=E', 'd=D'], 'scan({ reverse: true, limit: 2 })');
      db.put(new Uint8Array([0xff]), 'high');
      db.put(new Uint8Array([0x00]), 'low');
      const keys = [...db.scan()].map(([k]) => k[0]);
      assert.equal(keys[0], 0x00, 'bytewise order: 0x00 sorts first');
      assert.equal(keys[keys.length - 1], 0xff, 'bytewise order: 0xff sorts last');
      db.close();
    },
  },
  {
    step: 1,
    title: 'a scan after an overwrite shows the new value (a cached sorted list must not hold old entries)',
    run(s) {
      const db = fresh(s).open();
      db.put('a', 'old');
      db.put('b', 'b');
      assert.deepEqual(scanText(db), ['a=old', 'b=b'], 'the first scan');
      db.put('a', 'new');
      assert.deepEqual(scanText(db), ['a=new', 'b=b'], 'a scan after overwriting a');
      db.close();
    },
  },
  {
    step: 1,
    title: 'scan() checks its range when called, not when first read: a bad range throws KV_BAD_RANGE at once',
    run(s) {
      const db = fresh(s).open();
      throwsCode(() => db.scan({ gt: 'a', gte: 'b' }), 'KV_BAD_RANGE', 'scan({ gt, gte }) called, not yet iterated');
      throwsCode(() => db.scan({ limit: -5 }), 'KV_BAD_RANGE', 'scan({ limit: -5 }) called, not yet iterated');
      db.close();
    },
  },
  {
    step: 1,
    title: 'a scan is a live cursor: it sees keys put past it during the scan',
    run(s) {
      const db = fresh(s).open();
      for (let i = 0; i < 20; i++) db.put(`k${String(i).padStart(2, '0')}`, 'v');
      const seen: string[] = [];
      for (const [k] of db.scan()) {
        seen.push(text(k)!);
        if (seen.length === 5) db.put('k99', 'late');
      }
      assert.ok(seen.includes('k99'), `a key put after the cursor during the scan must be seen; saw ${seen.join(' ')}`);
      assert.deepEqual(seen, [...seen].sort(), 'still in order');
      db.close();
    },
  },
  {
    step: 1,
    title: 'stats() counts the live keys and inspect() returns a JSON picture',
    run(s) {
      const db = fresh(s).open();
      db.put('a', '1');
      db.put('b', '2');
      db.put('a', '3');
      assert.equal(db.stats().liveKeys, 2, 'stats().liveKeys after putting a, b, a');
      const pic = db.inspect() as { engine?: string };
      assert.equal(typeof pic, 'object', 'inspect() returns an object');
      assert.ok(JSON.stringify(pic).length > 2, 'inspect() is a JSON picture');
      db.close();
    },
  },
  // ---- step 2: reopen by scanning -------------------------------------------------
  {
    step: 2,
    title: 'close, then open on the same directory, gives back every pair, newest values winning',
    run(s) {
      const { open } = fresh(s);
      let db = open();
      for (let i = 0; i < 50; i++) db.put(`k${i % 20}`, `v${i}`);
      db.close();
      db = open();
      for (let i = 30; i < 50; i++) assert.equal(text(db.get(`k${i % 20}`)), `v${i}`, `k${i % 20} after reopen`);
      assert.equal(scanText(db).length, 20, 'scan after reopen lists the 20 keys');
      db.put('later', 'x');
      db.close();
      db = open();
      assert.equal(text(db.get('later')), 'x', 'a put after the first reopen survives a second');
      assert.equal(text(db.get('k0')), 'v40', 'and the older pairs are still there');
      db.close();
    },
  },
  {
    step: 2,
    title: 'a second open of an open directory throws KV_LOCKED; close releases it',
    run(s) {
      const { open } = fresh(s);
      const db = open();
      throwsCode(() => open(), 'KV_LOCKED', 'opening the directory a second time while it is open');
      db.close();
      open().close();
    },
  },
  {
    step: 2,
    title: 'an operation after close throws KV_CLOSED, and a second close does nothing',
    run(s) {
      const db = fresh(s).open();
      db.put('a', '1');
      db.close();
      db.close();
      throwsCode(() => db.get('a'), 'KV_CLOSED', 'get after close');
      throwsCode(() => db.put('a', '2'), 'KV_CLOSED', 'put after close');
    },
  },
  {
    step: 2,
    title: 'batch, scan, stats() and inspect() after close throw KV_CLOSED too',
    run(s) {
      const db = fresh(s).open();
      db.put('a', '1');
      db.close();
      throwsCode(() => db.batch([{ type: 'put', key: 'a', value: '3' }]), 'KV_CLOSED', 'batch after close');
      throwsCode(() => db.scan(), 'KV_CLOSED', 'scan() after close (called, not yet iterated)');
      throwsCode(() => db.stats(), 'KV_CLOSED', 'stats() after close');
      throwsCode(() => db.inspect(), 'KV_CLOSED', 'inspect() after close');
    },
  },
  // ---- step 3: checksums and a torn tail ------------------------------------------
  {
    step: 3,
    title:
      'a power loss that tears the last write at any byte reopens to the synced pairs, and appends after it are kept',
    run(s) {
      // Find how many unsynced writes one put makes, and how long each is.
      const probe = fresh(s);
      const db0 = probe.open();
      db0.put('a', 'first');
      db0.sync();
      db0.put('torn', filler('t', 40));
      const writes = probe.fs.pendingWrites();
      const lengths = Array.from({ length: writes }, (_, i) => probe.fs.pendingWriteLength(i));
      closeQuietly(db0);
      // A store that buffers its puts until sync() (as the lsm's log buffer does) leaves
      // nothing unsynced to tear: the torn-write half of this check then has nothing to do.
      for (let w = 0; w < writes; w++) {
        for (let t = 0; t < lengths[w]!; t++) {
          const { fs, open } = fresh(s);
          const db = open();
          db.put('a', 'first');
          db.sync();
          db.put('torn', filler('t', 40));
          fs.powerLoss({ keepWrites: w, tornBytes: t });
          const where = `power lost with write ${w + 1} of the unsynced put torn after ${t} of its ${lengths[w]} bytes`;
          let again;
          try {
            again = open();
          } catch (e) {
            assert.fail(
              `${where}: reopening threw ${(e as Error).message}; a torn tail is expected after a crash, not corruption`,
            );
          }
          assert.equal(
            text(again.get('a')),
            'first',
            `${where}: the synced pair (lost with its file? after creating a data file, fs.syncDir(dir) makes its name durable: step 1)`,
          );
          const torn = text(again.get('torn'));
          assert.ok(
            torn === undefined || torn === filler('t', 40),
            `${where}: the unsynced put reads as ${JSON.stringify(torn)}; it may be there whole or not at all`,
          );
          again.put('b', 'after');
          again.close();
          const third = open();
          assert.equal(
            text(third.get('b')),
            'after',
            `${where}: a put after recovery, then reopen: lost (was the torn tail cut off before appending?)`,
          );
          assert.equal(text(third.get('a')), 'first', `${where}: the synced pair after the second reopen`);
          third.close();
        }
      }
    },
  },
  {
    step: 3,
    title: 'a flipped bit in a stored value is caught: KV_CORRUPT, never a wrong value',
    run(s) {
      const { fs, open } = fresh(s);
      const db = open();
      db.put('victim', filler('V', 64));
      db.put('next', filler('n', 64));
      db.close();
      // Flip one bit in the middle of the run of 'V's, wherever this engine put it.
      const needle = new TextEncoder().encode(filler('V', 64));
      let hit: { name: string; at: number } | undefined;
      for (const f of files(fs)) {
        const bytes = fs.peek(`${DIR}/${f.name}`)!;
        for (let i = 0; i + needle.length <= bytes.length && !hit; i++) {
          if (needle.every((b, j) => bytes[i + j] === b)) hit = { name: f.name, at: i + 32 };
        }
      }
      assert.ok(hit, 'the value bytes ("VVVV...") are stored as they are in some file of the store');
      const h = fs.open(`${DIR}/${hit.name}`);
      const b = h.read(hit.at, 1);
      h.write(hit.at, new Uint8Array([b[0]! ^ 0x04]));
      h.sync();
      h.close();
      let got: Uint8Array | undefined;
      let err: unknown;
      try {
        const again = open();
        try {
          got = again.get('victim');
        } finally {
          closeQuietly(again);
        }
      } catch (e) {
        err = e;
      }
      if (err !== undefined) {
        assert.equal(
          (err as { code?: string }).code,
          'KV_CORRUPT',
          `opening or reading a corrupt record threw ${(err as Error).message}; expected KV_CORRUPT`,
        );
        return;
      }
      assert.fail(
        `get("victim") returned ${got === undefined ? 'undefined' : JSON.stringify(text(got))} from a record whose checksum fails; expected a KV_CORRUPT error naming the file and offset`,
      );
    },
  },
  {
    step: 3,
    title:
      'a flipped bit in the header of a middle record is KV_CORRUPT or harmless, never a silent cut that drops the records after it',
    run(s) {
      const values = { first: filler('A', 40), middle: filler('B', 40), last: filler('C', 40) };
      // Where the middle record's header is: between the end of the A run and the start of the B run.
      const probe = fresh(s);
      const p = probe.open();
      for (const [k, v] of Object.entries(values)) p.put(k, v);
      p.close();
      const at = (bytes: Uint8Array, run: string) => {
        const needle = new TextEncoder().encode(run);
        for (let i = 0; i + needle.length <= bytes.length; i++)
          if (needle.every((b, j) => bytes[i + j] === b)) return i;
        return -1;
      };
      const home = files(probe.fs).find((f) => at(probe.fs.peek(`${DIR}/${f.name}`)!, values.middle) >= 0);
      assert.ok(home, 'the values are stored as they are in some file of the store');
      const bytes0 = probe.fs.peek(`${DIR}/${home.name}`)!;
      const from = at(bytes0, values.first) + 40;
      const to = at(bytes0, values.middle);
      assert.ok(
        from > 40 && to > from,
        `the three records are in one file, in order (A run ends at ${from}, B run starts at ${to})`,
      );
      // Flip bit 6 of each byte between them (a length's high bits make it run past the end of the file).
      for (let i = from; i < to; i++) {
        const { fs, open } = fresh(s);
        const db = open();
        for (const [k, v] of Object.entries(values)) db.put(k, v);
        db.close();
        const h = fs.open(`${DIR}/${home.name}`);
        h.write(i, new Uint8Array([h.read(i, 1)[0]! ^ 0x40]));
        h.sync();
        h.close();
        const where: string = `bit 6 of byte ${i} of ${home.name} (in the middle record's header or key) flipped in a closed store`;
        let again;
        try {
          again = open();
        } catch (e) {
          if (isKVError(e, 'KV_NOT_WRITTEN')) throw e;
          assert.ok(
            isKVError(e, 'KV_CORRUPT'),
            `${where}: reopening threw ${(e as Error).message}; expected KV_CORRUPT`,
          );
          continue;
        }
        try {
          for (const k of ['first', 'last']) {
            let got: string | undefined;
            try {
              got = text(again.get(k));
            } catch (e) {
              if (isKVError(e, 'KV_CORRUPT')) continue;
              throw e;
            }
            assert.equal(
              got,
              values[k as keyof typeof values],
              `${where}: reopen succeeded but get("${k}") is wrong; a record after a damaged one was dropped (was the damage taken for a torn tail and cut off? A header CRC tells them apart)`,
            );
          }
        } finally {
          closeQuietly(again);
        }
      }
    },
  },
  // ---- step 4: tombstones ----------------------------------------------------------
  {
    step: 4,
    title: 'delete removes a key, also from a scan running ahead of it; deleting a missing key is not an error',
    run(s) {
      const db = fresh(s).open();
      db.put('a', '1');
      db.put('b', '2');
      db.delete('a');
      db.delete('never-there');
      assert.equal(db.get('a'), undefined, 'get after delete');
      assert.deepEqual(scanText(db), ['b=2'], 'scan after delete');
      assert.equal(db.stats().liveKeys, 1, 'stats().liveKeys after delete');
      for (const k of ['c', 'd', 'e']) db.put(k, k);
      const seen: string[] = [];
      for (const [k] of db.scan()) {
        seen.push(text(k)!);
        if (seen.length === 1) db.delete('d');
      }
      assert.deepEqual(seen, ['b', 'c', 'e'], 'a key deleted ahead of a running scan is not seen');
      db.close();
    },
  },
  {
    step: 4,
    title: 'a delete is a record on disk: it survives reopen, and a put after it wins',
    run(s) {
      const { fs, open } = fresh(s);
      let db = open();
      db.put('gone', filler('g', 50));
      db.put('back', 'old');
      const before = diskBytes(fs);
      db.delete('gone');
      db.delete('back');
      assert.ok(diskBytes(fs) > before, 'a delete appends a tombstone record (the files must grow)');
      db.put('back', 'new');
      db.close();
      db = open();
      assert.equal(
        db.get('gone'),
        undefined,
        'a deleted key came back after reopen: the scan found its put but no tombstone',
      );
      assert.equal(text(db.get('back')), 'new', 'delete then put, then reopen');
      db.close();
    },
  },
];
