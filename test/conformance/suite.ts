/**
 * suite.ts: the conformance suite. Every engine runs exactly these tests, through
 * openStore(), on the memory file system (and once on real files).
 *
 *   conformanceSuite('bitcask', { maxFileBytes: 4096 });
 *
 * `tuning` is merged into every open, so an engine can run with small files or pages and
 * exercise rollovers, splits and flushes with few keys.
 */
import { describe, it, expect, afterEach } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, MemoryFileSystem, KVError, utf8, ENGINES, registeredEngines } from '../../engines/index.js';
import type { EngineName, KVStore, Range, StoreOptions } from '../../engines/index.js';
import { Model, pairsHex } from '../util/model.js';
import { equalBytes } from '../../engines/bytes.js';
import { Rng } from '../util/rng.js';

/** Every range shape the contract names, for comparing against the model. */
const RANGES: Range[] = [
  {},
  { gt: 'k05' },
  { gte: 'k05' },
  { lt: 'k10' },
  { lte: 'k10' },
  { gte: 'k03', lt: 'k12' },
  { gt: 'k03', lte: 'k12' },
  { gte: 'k03', lte: 'k03' },
  { gt: 'k03', lt: 'k03' },
  { gt: 'k12', lt: 'k03' },
  { gte: 'k', lt: 'l' },
  { gte: 'a', lt: 'b' },
  { gt: 'k19' },
  { limit: 0 },
  { limit: 1 },
  { limit: 5 },
  { limit: -1 },
];

/** Expects `f` to throw a KVError with `code`. */
export function expectCode(f: () => unknown, code: string, what = 'the call'): void {
  let err: unknown;
  try {
    f();
  } catch (e) {
    err = e;
  }
  expect(err, `${what}: expected ${code}`).toBeInstanceOf(KVError);
  expect((err as KVError).code, `${what}: the error's code`).toBe(code);
}

/** Decodes bytes as UTF-8 for readable assertions. */
const text = (b: Uint8Array | undefined) => (b === undefined ? undefined : new TextDecoder().decode(b));

/** Runs the whole contract against `engine`. */
export function conformanceSuite(engine: EngineName, tuning: Partial<StoreOptions> = {}): void {
  describe(`${engine}${tuning.compaction ? ` (${tuning.compaction})` : ''} keeps the KVStore contract`, () => {
    let open: KVStore[] = [];
    const fs = () => new MemoryFileSystem();
    const openOn = (mfs: MemoryFileSystem, dir = '/db', extra: Partial<StoreOptions> = {}) => {
      const db = openStore(engine, { ...tuning, ...extra, dir, fs: mfs });
      open.push(db);
      return db;
    };
    afterEach(() => {
      for (const db of open) {
        try {
          db.close();
        } catch {
          // Some tests leave a store failed on purpose.
        }
      }
      open = [];
    });

    it('is listed in ENGINES (or registered, for a learner engine) and reports its name', () => {
      expect([...ENGINES, ...registeredEngines()]).toContain(engine);
      expect(openOn(fs()).engine).toBe(engine);
    });

    it('round-trips string keys and values', () => {
      const db = openOn(fs());
      db.put('hello', 'world');
      expect(text(db.get('hello'))).toBe('world');
      expect(db.get(utf8('hello'))).toEqual(utf8('world'));
    });

    it('round-trips byte keys with 0x00 and 0xFF bytes', () => {
      const db = openOn(fs());
      const keys = [
        new Uint8Array([0]),
        new Uint8Array([0, 0]),
        new Uint8Array([0xff]),
        new Uint8Array([0xff, 0xff, 0]),
        new Uint8Array([1, 0, 255]),
      ];
      keys.forEach((k, i) => db.put(k, new Uint8Array([i, 0, 255])));
      keys.forEach((k, i) => expect(db.get(k)).toEqual(new Uint8Array([i, 0, 255])));
      expect(pairsHex(db.scan()).map((p) => p.split('=')[0])).toEqual(['00', '0000', '0100ff', 'ff', 'ffff00']);
    });

    it('round-trips unicode keys and values as UTF-8', () => {
      const db = openOn(fs());
      db.put('clé 🔑', 'valeur ✓ 值');
      expect(text(db.get('clé 🔑'))).toBe('valeur ✓ 值');
      expect(db.get(utf8('clé 🔑'))).toEqual(utf8('valeur ✓ 值'));
    });

    it('stores empty values, distinct from missing keys', () => {
      const db = openOn(fs());
      db.put('empty', '');
      expect(db.get('empty')).toEqual(new Uint8Array(0));
      expect(db.get('missing')).toBeUndefined();
      expect([...db.scan()].length).toBe(1);
    });

    it('stores a 1 MiB value and reads it back after reopen', () => {
      const mfs = fs();
      const big = new Rng(7).bytes(1024 * 1024);
      let db = openOn(mfs);
      db.put('big', big);
      db.put('small', 'x');
      expect(equalBytes(db.get('big') ?? new Uint8Array(0), big)).toBe(true);
      db.close();
      db = openOn(mfs);
      expect(equalBytes(db.get('big') ?? new Uint8Array(0), big)).toBe(true);
      expect(text(db.get('small'))).toBe('x');
    });

    it('get returns the newest value after overwrites', () => {
      const db = openOn(fs());
      for (let i = 0; i < 20; i++) db.put('k', `v${i}`);
      expect(text(db.get('k'))).toBe('v19');
      expect([...db.scan()].length).toBe(1);
    });

    it('delete removes a key, and deleting a missing key is not an error', () => {
      const db = openOn(fs());
      db.put('a', '1');
      db.delete('a');
      db.delete('never-there');
      expect(db.get('a')).toBeUndefined();
      expect([...db.scan()]).toEqual([]);
      db.put('a', '2');
      expect(text(db.get('a'))).toBe('2');
    });

    it('does not share buffers with the caller', () => {
      const db = openOn(fs());
      const k = utf8('key');
      const v = utf8('value');
      db.put(k, v);
      v[0] = 0;
      k[0] = 0;
      const got = db.get('key')!;
      expect(text(got)).toBe('value');
      got[0] = 0;
      expect(text(db.get('key'))).toBe('value');
    });

    it('scans in bytewise order with every range option, forward and reverse', () => {
      const db = openOn(fs());
      const model = new Model();
      for (const i of [7, 3, 12, 0, 19, 5, 10, 15, 1]) {
        const k = `k${String(i).padStart(2, '0')}`;
        db.put(k, `v${i}`);
        model.put(utf8(k), utf8(`v${i}`));
      }
      db.put('k', 'prefix');
      model.put(utf8('k'), utf8('prefix'));
      for (const r of RANGES) {
        for (const reverse of [false, true]) {
          const range = { ...r, reverse };
          expect(pairsHex(db.scan(range)), JSON.stringify(range)).toEqual(pairsHex(model.scan(range)));
        }
      }
    });

    it('a scan sees a consistent order while the store is written during it', () => {
      const db = openOn(fs());
      for (let i = 0; i < 50; i++) db.put(`k${String(i).padStart(3, '0')}`, 'v');
      const seen: string[] = [];
      for (const [k] of db.scan()) {
        seen.push(text(k)!);
        if (seen.length === 10) {
          db.put('k000a', 'before the cursor');
          db.put('k999', 'after the cursor');
          db.delete('k020');
        }
      }
      const sorted = [...seen].sort();
      expect(seen).toEqual(sorted);
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toContain('k999');
      expect(seen).not.toContain('k020');
    });

    it('batch applies every op in order', () => {
      const db = openOn(fs());
      db.put('gone', 'x');
      db.batch([
        { type: 'put', key: 'a', value: '1' },
        { type: 'put', key: 'b', value: '2' },
        { type: 'delete', key: 'gone' },
        { type: 'put', key: 'a', value: '3' },
      ]);
      expect(text(db.get('a'))).toBe('3');
      expect(text(db.get('b'))).toBe('2');
      expect(db.get('gone')).toBeUndefined();
      db.batch([]);
    });

    it('a batch with one bad op changes nothing', () => {
      const db = openOn(fs());
      db.put('a', 'old');
      const bad = [
        { type: 'put', key: 'a', value: 'new' },
        { type: 'put', key: 42, value: 'x' },
      ];
      expectCode(() => db.batch(bad as never), 'KV_BAD_KEY');
      expectCode(
        () =>
          db.batch([
            { type: 'put', key: 'a', value: 'new' },
            { type: 'merge', key: 'a' },
          ] as never),
        'KV_BAD_BATCH',
      );
      expectCode(() => db.batch('not an array' as never), 'KV_BAD_BATCH');
      expect(text(db.get('a'))).toBe('old');
    });

    it('keeps everything across close and reopen', () => {
      const mfs = fs();
      let db = openOn(mfs);
      const model = new Model();
      const rng = new Rng(11);
      for (let i = 0; i < 300; i++) {
        const k = utf8(`key${rng.int(120)}`);
        if (rng.chance(0.2)) {
          db.delete(k);
          model.delete(k);
        } else {
          const v = rng.bytes(rng.int(40));
          db.put(k, v);
          model.put(k, v);
        }
      }
      db.close();
      db = openOn(mfs);
      expect(pairsHex(db.scan())).toEqual(pairsHex(model.scan()));
      db.close();
      db = openOn(mfs);
      expect(pairsHex(db.scan())).toEqual(pairsHex(model.scan()));
    });

    it('keeps everything across close and reopen on real files', () => {
      const dir = mkdtempSync(join(tmpdir(), `kv-${engine}-`));
      try {
        let db = openStore(engine, { ...tuning, dir });
        for (let i = 0; i < 100; i++) db.put(`k${i}`, `v${i}`);
        db.delete('k50');
        db.close();
        db = openStore(engine, { ...tuning, dir });
        expect(text(db.get('k99'))).toBe('v99');
        expect(db.get('k50')).toBeUndefined();
        expect([...db.scan()].length).toBe(99);
        db.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('sync makes writes durable across a power loss', () => {
      const mfs = fs();
      let db = openOn(mfs);
      db.put('a', '1');
      db.batch([
        { type: 'put', key: 'b', value: '2' },
        { type: 'delete', key: 'a' },
      ]);
      db.sync();
      mfs.powerLoss();
      open = [];
      db = openOn(mfs);
      expect(db.get('a')).toBeUndefined();
      expect(text(db.get('b'))).toBe('2');
    });

    describe('the empty key', () => {
      const EMPTY = new Uint8Array(0);
      /** Keys around the empty one: the smallest non-empty keys, and ordinary ones. */
      const NEIGHBOURS = [
        new Uint8Array([0]),
        new Uint8Array([0, 0]),
        new Uint8Array([1]),
        utf8('a'),
        utf8('k05'),
        new Uint8Array([0xff]),
      ];

      it('is a key like any other: put, get and delete, as a string or as zero bytes', () => {
        const db = openOn(fs());
        expect(db.get('')).toBeUndefined();
        db.put('', 'nothing');
        expect(text(db.get(''))).toBe('nothing');
        expect(text(db.get(EMPTY))).toBe('nothing');
        db.put(EMPTY, '');
        expect(db.get('')).toEqual(EMPTY);
        expect(pairsHex(db.scan())).toEqual(['=']);
        db.delete('');
        expect(db.get('')).toBeUndefined();
        expect([...db.scan()]).toEqual([]);
        db.delete(EMPTY);
        expect(db.stats().liveKeys).toBe(0);
      });

      it('is put and deleted by a batch, in order, with other keys', () => {
        const db = openOn(fs());
        db.batch([
          { type: 'put', key: '', value: '1' },
          { type: 'put', key: 'a', value: '2' },
          { type: 'put', key: EMPTY, value: '3' },
        ]);
        expect(text(db.get(''))).toBe('3');
        db.batch([
          { type: 'delete', key: '' },
          { type: 'put', key: 'b', value: '4' },
        ]);
        expect(db.get('')).toBeUndefined();
        db.batch([{ type: 'put', key: '', value: '5' }]);
        expect(pairsHex(db.scan()).map((p) => p.split('=')[0])).toEqual(['', '61', '62']);
      });

      it('sorts before every other key, in every range and in reverse', () => {
        const db = openOn(fs());
        const model = new Model();
        for (const k of [...NEIGHBOURS, EMPTY]) {
          db.put(k, k.length === 0 ? 'empty' : 'v');
          model.put(k, utf8(k.length === 0 ? 'empty' : 'v'));
        }
        expect([...db.scan()][0]![0]).toEqual(EMPTY);
        expect([...db.scan({ reverse: true })].at(-1)![0]).toEqual(EMPTY);
        const ranges: Range[] = [
          ...RANGES,
          { lte: '' },
          { lt: '' },
          { gte: '' },
          { gt: '' },
          { gte: '', lte: '' },
          { gt: '', lt: new Uint8Array([0]) },
          { gte: '', lt: new Uint8Array([0]) },
          { gt: '', lte: 'a' },
          { lte: '', limit: 1 },
          { gt: '', limit: 2 },
        ];
        for (const r of ranges) {
          for (const reverse of [false, true]) {
            const range = { ...r, reverse };
            expect(pairsHex(db.scan(range)), JSON.stringify(range)).toEqual(pairsHex(model.scan(range)));
          }
        }
        expect([...db.scan({ lte: '' })].map(([k, v]) => [k.length, text(v)])).toEqual([[0, 'empty']]);
        expect([...db.scan({ lt: '' })]).toEqual([]);
        expect([...db.scan({ gt: '' })].map(([k]) => k.length)).not.toContain(0);
      });

      it('survives close and reopen, compaction, and a power loss after sync, among enough keys to fill the files', () => {
        const mfs = fs();
        let db = openOn(mfs);
        const model = new Model();
        const put = (k: Uint8Array, v: Uint8Array) => (db.put(k, v), model.put(k, v));
        const rng = new Rng(18);
        put(EMPTY, utf8('first'));
        // Enough data to roll over files, split pages and flush memtables at every tuning here.
        for (let i = 0; i < 400; i++) put(utf8(`k${String(i % 150).padStart(3, '0')}`), rng.bytes(20 + rng.int(60)));
        put(EMPTY, utf8('second'));
        const check = (where: string) => {
          expect(pairsHex(db.scan()), where).toEqual(pairsHex(model.scan()));
          expect([...db.scan({ limit: 1 })][0]![0], where).toEqual(EMPTY);
        };
        check('before close');
        db.close();
        db = openOn(mfs);
        check('after reopen');
        db.compact();
        check('after compact');
        db.close();
        db = openOn(mfs);
        check('after compact and reopen');
        for (let i = 0; i < 200; i++) put(utf8(`m${i}`), rng.bytes(30));
        put(EMPTY, utf8('third'));
        db.sync();
        mfs.powerLoss();
        open = [];
        db = openOn(mfs);
        check('after a power loss that lost nothing synced');
        expect(text(db.get(''))).toBe('third');
      });

      it('after a crash holds its last synced value or a later one, never a missing or wrong one', () => {
        const mfs = fs();
        let db = openOn(mfs);
        db.put('', 'synced');
        for (let i = 0; i < 100; i++) db.put(`k${i}`, 'filler value filler value');
        db.sync();
        db.put('', 'unsynced');
        db.delete('k7');
        mfs.powerLoss({ keepWrites: 1, tornBytes: 10 });
        open = [];
        db = openOn(mfs);
        expect(['synced', 'unsynced']).toContain(text(db.get('')));
        expect([...db.scan({ limit: 1 })][0]![0]).toEqual(EMPTY);
        // A deleted empty key stays deleted once synced.
        db.delete('');
        db.sync();
        mfs.powerLoss();
        open = [];
        db = openOn(mfs);
        expect(db.get('')).toBeUndefined();
        expect(text(db.get('k99'))).toBe('filler value filler value');
      });
    });

    it('rejects bad keys and values with typed errors and stays usable', () => {
      const db = openOn(fs());
      db.put('ok', 'yes');
      for (const k of [42, null, undefined, {}, [1, 2], true]) expectCode(() => db.put(k as never, 'v'), 'KV_BAD_KEY');
      for (const k of [42, null, {}]) expectCode(() => db.get(k as never), 'KV_BAD_KEY');
      for (const k of [42, null]) expectCode(() => db.delete(k as never), 'KV_BAD_KEY');
      for (const v of [42, null, undefined, {}]) expectCode(() => db.put('k', v as never), 'KV_BAD_VALUE');
      expectCode(() => db.put(new Uint8Array(db.limits.maxKeyBytes + 1), 'v'), 'KV_TOO_LARGE');
      expectCode(() => db.put('k', new Uint8Array(db.limits.maxValueBytes + 1)), 'KV_TOO_LARGE');
      expectCode(() => db.scan({ gt: 5 } as never), 'KV_BAD_RANGE');
      expectCode(() => db.scan({ gt: 'a', gte: 'a' }), 'KV_BAD_RANGE');
      expectCode(() => db.scan({ limit: 1.5 }), 'KV_BAD_RANGE');
      // Nothing bad got in, and the store still works.
      expect(text(db.get('ok'))).toBe('yes');
      db.put(new Uint8Array(db.limits.maxKeyBytes), 'longest key');
      expect(text(db.get(new Uint8Array(db.limits.maxKeyBytes)))).toBe('longest key');
      expect([...db.scan()].length).toBe(2);
    });

    it('throws KV_CLOSED for every call after close, and a second close is harmless', () => {
      const db = openOn(fs());
      db.put('a', '1');
      db.close();
      db.close();
      expectCode(() => db.get('a'), 'KV_CLOSED', 'get() after close');
      expectCode(() => db.put('a', '1'), 'KV_CLOSED', 'put() after close');
      expectCode(() => db.delete('a'), 'KV_CLOSED', 'delete() after close');
      expectCode(() => db.batch([]), 'KV_CLOSED', 'batch() after close');
      expectCode(() => db.scan(), 'KV_CLOSED', 'scan() after close');
      expectCode(() => db.sync(), 'KV_CLOSED', 'sync() after close');
      expectCode(() => db.compact(), 'KV_CLOSED', 'compact() after close');
      expectCode(() => db.stats(), 'KV_CLOSED', 'stats() after close');
      expectCode(() => db.inspect(), 'KV_CLOSED', 'inspect() after close');
    });

    it('a scan iterator stops with KV_CLOSED when its store is closed under it', () => {
      const db = openOn(fs());
      for (let i = 0; i < 10; i++) db.put(`k${i}`, 'v');
      const it = db.scan();
      it.next();
      db.close();
      expectCode(() => it.next(), 'KV_CLOSED');
    });

    it('refuses a second open of a locked directory, and the first store keeps working', () => {
      const mfs = fs();
      const db = openOn(mfs);
      db.put('a', '1');
      expectCode(() => openOn(mfs), 'KV_LOCKED');
      db.put('b', '2');
      expect(text(db.get('a'))).toBe('1');
      db.close();
      const again = openOn(mfs);
      expect(text(again.get('b'))).toBe('2');
    });

    it('refuses a second open of a locked directory on real files', () => {
      const dir = mkdtempSync(join(tmpdir(), `kv-${engine}-lock-`));
      try {
        const db = openStore(engine, { ...tuning, dir });
        expectCode(() => openStore(engine, { ...tuning, dir }), 'KV_LOCKED');
        db.close();
        openStore(engine, { ...tuning, dir }).close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });

    it('opens two stores in two directories of one file system independently', () => {
      const mfs = fs();
      const a = openOn(mfs, '/a');
      const b = openOn(mfs, '/b');
      a.put('k', 'a');
      b.put('k', 'b');
      expect(text(a.get('k'))).toBe('a');
      expect(text(b.get('k'))).toBe('b');
    });

    it('reports stats with byte, sync, key and memory counters', () => {
      const db = openOn(fs());
      for (let i = 0; i < 20; i++) db.put(`k${i}`, 'value');
      db.sync();
      const s = db.stats();
      expect(s.engine).toBe(engine);
      expect(s.liveKeys).toBe(20);
      expect(s.bytesWritten).toBeGreaterThan(0);
      expect(s.syncs).toBeGreaterThan(0);
      expect(s.userBytesWritten).toBe(20 * 5 + 20 * 2 + 10 * 1);
      expect(s.files).toBeGreaterThan(0);
      expect(s.diskBytes).toBeGreaterThan(0);
      expect(s.memoryBytes).toBeGreaterThan(0);
    });

    it('inspect returns a JSON picture naming the engine', () => {
      const db = openOn(fs());
      db.put('a', '1');
      const pic = db.inspect();
      expect(pic.engine).toBe(engine);
      expect(JSON.parse(JSON.stringify(pic))).toEqual(pic);
    });

    it('compact keeps every pair', () => {
      const mfs = fs();
      let db = openOn(mfs);
      const model = new Model();
      for (let i = 0; i < 200; i++) {
        const k = utf8(`k${i % 50}`);
        const v = utf8(`v${i}`);
        db.put(k, v);
        model.put(k, v);
        if (i % 7 === 0) {
          db.delete(k);
          model.delete(k);
        }
      }
      db.compact();
      expect(pairsHex(db.scan())).toEqual(pairsHex(model.scan()));
      db.close();
      db = openOn(mfs);
      expect(pairsHex(db.scan())).toEqual(pairsHex(model.scan()));
    });

    it('emits op events around each operation when traced', () => {
      const events: { type: string; phase?: string; op?: string }[] = [];
      const db = openOn(fs(), '/db', { trace: (e) => events.push(e) });
      db.put('a', '1');
      db.get('a');
      db.sync();
      const ops = events.filter((e) => e.type === 'op').map((e) => `${e.op}:${e.phase}`);
      expect(ops).toEqual([
        'open:begin',
        'open:end',
        'put:begin',
        'put:end',
        'get:begin',
        'get:end',
        'sync:begin',
        'sync:end',
      ]);
      expect(events.some((e) => e.type === 'io')).toBe(true);
    });
  });
}
