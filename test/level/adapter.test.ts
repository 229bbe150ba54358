/**
 * adapter.test.ts: what WorkbenchLevel adds beyond the official suite: KVError codes as
 * LEVEL_* codes (with the KVError kept as the cause), an honest manifest, the empty key, the
 * `sync` write option, the store underneath, options checked at construction, and real files.
 */
import { describe, it, expect, afterAll } from 'vitest';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ENGINES, KVError, MemoryFileSystem } from '../../engines/index.js';
import { WorkbenchLevel, LevelError, levelCodeOf } from '../../engines/level/index.js';

const base = mkdtempSync(join(tmpdir(), 'level-adapter-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
let n = 0;

/** An error with a code, whose cause may have a code and a cause of its own. */
type Failure = Error & { code?: string; cause?: Error & { code?: string; cause?: unknown } };

/** The rejection of `p`, or the error `f` throws. */
async function failure(p: Promise<unknown> | (() => unknown)): Promise<Failure> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    return e as Failure;
  }
  throw new Error('expected a failure');
}

describe('WorkbenchLevel', () => {
  for (const engine of ENGINES) {
    it(`(${engine}) stores the empty key as the smallest key, through every Level call`, async () => {
      const db = new WorkbenchLevel(engine, '/e', { fs: new MemoryFileSystem() });
      await db.batch([
        { type: 'put', key: 'a', value: '1' },
        { type: 'put', key: '', value: 'empty' },
      ]);
      expect(await db.get('')).toBe('empty');
      expect(db.getSync('')).toBe('empty');
      expect(await db.has('')).toBe(true);
      expect(await db.getMany(['', 'a', 'b'])).toEqual(['empty', '1', undefined]);
      expect(await db.keys().all()).toEqual(['', 'a']);
      expect(await db.iterator({ lte: '' }).all()).toEqual([['', 'empty']]);
      expect(await db.iterator({ gt: '' }).all()).toEqual([['a', '1']]);
      expect(await db.values({ reverse: true }).all()).toEqual(['1', 'empty']);
      const it = db.iterator();
      it.seek('');
      expect(await it.next()).toEqual(['', 'empty']);
      await it.close();
      await db.del('');
      expect(await db.has('')).toBe(false);
      await db.close();
    });
  }

  it('maps KVError codes to LEVEL codes and keeps the KVError as the cause', async () => {
    const db = new WorkbenchLevel<Uint8Array, Uint8Array>('btree', '/m', {
      fs: new MemoryFileSystem(),
      pageSize: 512,
      keyEncoding: 'view',
      valueEncoding: 'view',
    });
    await db.open();
    const max = db.store.limits.maxKeyBytes;
    const key = await failure(db.put(new Uint8Array(max + 1), new Uint8Array(1)));
    expect(key).toBeInstanceOf(LevelError);
    expect(key.code).toBe('LEVEL_INVALID_KEY');
    expect(key.cause).toBeInstanceOf(KVError);
    expect(key.cause!.code).toBe('KV_TOO_LARGE');
    const value = await failure(db.put(new Uint8Array(1), new Uint8Array(db.store.limits.maxValueBytes + 1)));
    expect(value.code).toBe('LEVEL_INVALID_VALUE');
    const inBatch = await failure(
      db.batch([
        { type: 'put', key: new Uint8Array(1), value: new Uint8Array(1) },
        { type: 'put', key: new Uint8Array(max + 1), value: new Uint8Array(1) },
      ]),
    );
    expect(inBatch.code).toBe('LEVEL_INVALID_KEY');
    expect(await db.get(new Uint8Array(1))).toBeUndefined();
    await db.close();
    expect(levelCodeOf('KV_CORRUPT')).toBe('LEVEL_CORRUPTION');
    expect(levelCodeOf('KV_BAD_OPTION')).toBeUndefined();
  });

  it('reports a failing disk as LEVEL_IO_ERROR, and keeps refusing writes until reopened', async () => {
    const fs = new MemoryFileSystem();
    const db = new WorkbenchLevel('bitcask', '/io', { fs });
    await db.put('a', '1');
    fs.injectFault({ call: 'sync' });
    const e = await failure(db.put('b', '2', { sync: true } as never));
    expect(e.code).toBe('LEVEL_IO_ERROR');
    expect(e.cause!.code).toBe('KV_IO');
    expect((await failure(db.put('c', '3'))).code).toBe('LEVEL_IO_ERROR');
    expect(await db.get('a')).toBe('1');
    await db.close();
  });

  it('reports corrupt files as LEVEL_CORRUPTION, naming the file and offset in the cause', async () => {
    const fs = new MemoryFileSystem();
    let db = new WorkbenchLevel('snapshot', '/c', { fs });
    await db.put('a', '1');
    await db.close();
    const f = fs.open('/c/snapshot.db');
    f.write(30, new Uint8Array([0xff]));
    f.sync();
    f.close();
    db = new WorkbenchLevel('snapshot', '/c', { fs });
    const e = await failure(db.open());
    expect(e.code).toBe('LEVEL_DATABASE_NOT_OPEN');
    expect(e.cause!.code).toBe('LEVEL_CORRUPTION');
    const kv = e.cause!.cause as KVError;
    expect(kv.code).toBe('KV_CORRUPT');
    expect(kv.file).toBe('/c/snapshot.db');
    expect(typeof kv.offset).toBe('number');
  });

  it('reports a directory another store holds as LEVEL_LOCKED, on real files', async () => {
    const dir = join(base, `locked-${n++}`);
    const first = new WorkbenchLevel('lsm', dir);
    await first.open();
    const second = new WorkbenchLevel('lsm', dir);
    const e = await failure(second.open());
    expect(e.code).toBe('LEVEL_DATABASE_NOT_OPEN');
    expect(e.cause!.code).toBe('LEVEL_LOCKED');
    expect((e.cause!.cause as KVError).code).toBe('KV_LOCKED');
    await first.close();
    await second.open();
    await second.close();
  });

  it('honours createIfMissing and errorIfExists by whether the directory exists, and keeps data across reopen on real files', async () => {
    const dir = join(base, `exists-${n++}`);
    const db = new WorkbenchLevel<string, unknown>('btree', dir, { valueEncoding: 'json' });
    const missing = await failure(db.open({ createIfMissing: false }));
    expect(missing.code).toBe('LEVEL_DATABASE_NOT_OPEN');
    expect(missing.cause!.message).toMatch(/does not exist/);
    expect(existsSync(dir)).toBe(false);
    await db.open();
    await db.put('k', { x: [1, 2] });
    await db.close();
    const exists = await failure(db.open({ errorIfExists: true }));
    expect(exists.cause!.message).toMatch(/already exists/);
    await db.open({ createIfMissing: false });
    expect(await db.get('k')).toEqual({ x: [1, 2] });
    await db.close();
  });

  it('says in its manifest what it supports, and refuses explicit snapshots', async () => {
    const db = new WorkbenchLevel('lsm', '/s', { fs: new MemoryFileSystem() });
    await db.open();
    expect(db.supports).toMatchObject({
      implicitSnapshots: false,
      explicitSnapshots: false,
      snapshots: false,
      getSync: true,
      has: true,
      seek: true,
      createIfMissing: true,
      errorIfExists: true,
      permanence: true,
      deferredOpen: true,
    });
    expect(db.supports.encodings).toMatchObject({ view: true, utf8: true, json: true, buffer: true });
    expect(() => db.snapshot()).toThrow(expect.objectContaining({ code: 'LEVEL_NOT_SUPPORTED' }));
    // No implicit snapshot: an iterator sees a key written after it was made (and never one twice).
    await db.batch([
      { type: 'put', key: 'a', value: '1' },
      { type: 'put', key: 'c', value: '3' },
    ]);
    const it = db.iterator();
    expect(await it.next()).toEqual(['a', '1']);
    await db.put('b', '2');
    expect(await it.all()).toEqual([
      ['b', '2'],
      ['c', '3'],
    ]);
    await db.close();
  });

  it('syncs before a write with { sync: true } resolves, and lends out its store while open', async () => {
    const db = new WorkbenchLevel('bitcask', '/y', { fs: new MemoryFileSystem() });
    await db.open();
    const syncs = () => db.store.stats().syncs;
    await db.put('a', '1');
    const before = syncs();
    await db.put('c', '3');
    expect(syncs()).toBe(before);
    await db.put('b', '2', { sync: true } as never);
    expect(syncs()).toBeGreaterThan(before);
    expect(db.store.engine).toBe('bitcask');
    expect(db.store.stats().liveKeys).toBe(3);
    await db.close();
    expect(() => db.store).toThrow(expect.objectContaining({ code: 'LEVEL_DATABASE_NOT_OPEN' }));
  });

  it('checks its arguments at construction and its tuning at open, with KVErrors', async () => {
    expect(() => new WorkbenchLevel('nosuch' as never, '/x')).toThrow(
      expect.objectContaining({ code: 'KV_UNKNOWN_ENGINE' }),
    );
    expect(() => new WorkbenchLevel('lsm', '')).toThrow(expect.objectContaining({ code: 'KV_BAD_OPTION' }));
    expect(() => new WorkbenchLevel('lsm', '/x', { dir: '/y' } as never)).toThrow(
      expect.objectContaining({ code: 'KV_BAD_OPTION' }),
    );
    const db = new WorkbenchLevel('btree', '/x', { fs: new MemoryFileSystem(), pageSize: 1000 });
    const e = await failure(db.open());
    expect(e.code).toBe('LEVEL_DATABASE_NOT_OPEN');
    expect(e.cause!.code).toBe('KV_BAD_OPTION');
  });

  it('opens a store the engine wrote directly, and the engine opens what the adapter wrote', async () => {
    const dir = join(base, `shared-${n++}`);
    const { openStore } = await import('../../engines/index.js');
    const store = openStore('lsm', { dir, memtableBytes: 256 });
    for (let i = 0; i < 50; i++) store.put(`k${String(i).padStart(2, '0')}`, `v${i}`);
    store.close();
    const db = new WorkbenchLevel('lsm', dir, { memtableBytes: 256 });
    expect(await db.keys({ gte: 'k10', lt: 'k13' }).all()).toEqual(['k10', 'k11', 'k12']);
    await db.put('k99', 'from level');
    await db.close();
    const again = openStore('lsm', { dir });
    expect(new TextDecoder().decode(again.get('k99'))).toBe('from level');
    again.close();
  });
});
