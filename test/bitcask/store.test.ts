import { describe, it, expect } from 'vitest';
import { openStore, MemoryFileSystem, KVError } from '../../engines/index.js';
import type { KVStore, StoreOptions, TraceEvent } from '../../engines/index.js';
import type { BitcaskInspect } from '../../engines/bitcask/inspect.js';
import { checkBitcaskDir } from '../../engines/bitcask/check.js';
import { readWhole } from '../../engines/storage/fs.js';

const DIR = '/b';
const text = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b) : undefined);

/** Opens a bitcask store on `fs`, collecting trace events into `events` if given. */
function open(fs: MemoryFileSystem, tuning: Partial<StoreOptions> = {}, events?: TraceEvent[]): KVStore {
  return openStore('bitcask', {
    dir: DIR,
    fs,
    ...tuning,
    ...(events ? { trace: (e: TraceEvent) => events.push(e) } : {}),
  });
}

/** The io read events in a trace. */
const reads = (events: TraceEvent[]) => events.filter((e) => e.type === 'io' && e.call === 'read');

describe('bitcask get', () => {
  it('reads the value with exactly one read, and reads nothing for a missing key', () => {
    const fs = new MemoryFileSystem();
    const db = open(fs, { maxFileBytes: 200 });
    for (let i = 0; i < 50; i++) db.put(`key${i}`, `value number ${i}`);
    const events: TraceEvent[] = [];
    const traced = (db.close(), open(fs, { maxFileBytes: 200 }, events));
    for (let i = 0; i < 50; i += 7) {
      events.length = 0;
      expect(text(traced.get(`key${i}`))).toBe(`value number ${i}`);
      expect(reads(events).length).toBe(1);
    }
    events.length = 0;
    expect(traced.get('missing')).toBeUndefined();
    expect(reads(events).length).toBe(0);
    traced.close();
  });
});

describe('bitcask rollover', () => {
  it('spreads writes over many small files and reads them all back, before and after reopening', () => {
    const fs = new MemoryFileSystem();
    let db = open(fs, { maxFileBytes: 64 });
    for (let i = 0; i < 200; i++) db.put(`k${i}`, `v${i}`);
    db.batch([
      { type: 'put', key: 'big', value: 'x'.repeat(500) },
      { type: 'delete', key: 'k0' },
    ]);
    const files = (db.inspect() as BitcaskInspect).dataFiles;
    expect(files.length).toBeGreaterThan(100);
    db.close();
    db = open(fs, { maxFileBytes: 64 });
    for (let i = 1; i < 200; i++) expect(text(db.get(`k${i}`))).toBe(`v${i}`);
    expect(db.get('k0')).toBeUndefined();
    expect(db.get('big')?.length).toBe(500);
    db.close();
    checkBitcaskDir(fs, DIR);
  });
});

describe('bitcask merge', () => {
  it('after every key (100-byte values) is overwritten 10 times and merged, uses at most 1.5 times the live bytes on disk, hints included', () => {
    const fs = new MemoryFileSystem();
    const db = open(fs, { maxFileBytes: 4096 });
    for (let round = 0; round < 10; round++)
      for (let i = 0; i < 300; i++) db.put(`key${String(i).padStart(4, '0')}`, `value-${round}-${'x'.repeat(92)}`);
    const before = db.stats();
    db.compact();
    const after = db.stats();
    expect(after.diskBytes).toBeLessThan(before.diskBytes / 5);
    expect(after.diskBytes).toBeLessThanOrEqual(1.5 * after.liveBytes);
    expect(text(db.get('key0007'))).toMatch(/^value-9-/);
    db.close();
    checkBitcaskDir(fs, DIR);
  });

  it('merges automatically once dead bytes in immutable files pass the threshold', () => {
    const fs = new MemoryFileSystem();
    const events: TraceEvent[] = [];
    const db = open(fs, { maxFileBytes: 1024, mergeMinDeadBytes: 4096, mergeDeadRatio: 0.5 }, events);
    for (let i = 0; i < 2000; i++) db.put(`k${i % 20}`, `v${i}`);
    const starts = events.filter((e) => e.type === 'bitcask.merge.start');
    expect(starts.length).toBeGreaterThan(0);
    expect(starts.every((e) => e.type === 'bitcask.merge.start' && e.reason === 'auto' && e.deadBytes >= 4096)).toBe(
      true,
    );
    expect(db.stats().engineStats.immutableDeadBytes).toBeLessThan(4096);
    for (let i = 0; i < 20; i++) expect(text(db.get(`k${i}`))).toBe(`v${1980 + i}`);
    db.close();
  });

  it('keeps the durability rule when a crash comes at any file-system call of a merge', () => {
    const build = () => {
      const fs = new MemoryFileSystem();
      const db = open(fs, { maxFileBytes: 300 });
      for (let i = 0; i < 60; i++) db.put(`k${i % 15}`, `v${i}`);
      db.delete('k3');
      db.batch([
        { type: 'put', key: 'b1', value: '1' },
        { type: 'delete', key: 'k4' },
      ]);
      db.sync();
      return { fs, db };
    };
    const expected = (db: KVStore) => JSON.stringify([...db.scan()].map(([k, v]) => [text(k), text(v)]));
    const ref = build();
    const want = expected(ref.db);
    const callsBefore = ref.fs.calls;
    ref.db.compact();
    const mergeCalls = ref.fs.calls - callsBefore;
    expect(mergeCalls).toBeGreaterThan(10);
    for (let n = 0; n <= mergeCalls; n++) {
      for (const mode of ['drop', 'keep', 'keepDir'] as const) {
        const { fs, db } = build();
        fs.injectFault({ call: 'any', skip: n, times: Infinity });
        try {
          db.compact();
        } catch (e) {
          expect((e as KVError).code).toBe('KV_IO');
        }
        fs.clearFaults();
        fs.powerLoss(
          mode === 'drop'
            ? {}
            : mode === 'keep'
              ? { keepWrites: fs.pendingWrites() }
              : { keepWrites: fs.pendingWrites(), keepDirChanges: true },
        );
        const again = open(fs, { maxFileBytes: 300 });
        expect(expected(again), `crash at merge call ${n} (${mode})`).toBe(want);
        again.close();
        checkBitcaskDir(fs, DIR);
      }
    }
  });
});

describe('bitcask open', () => {
  it('loads merged files from their hint files without reading a byte of them', () => {
    const fs = new MemoryFileSystem();
    let db = open(fs, { maxFileBytes: 2048 });
    for (let i = 0; i < 500; i++) db.put(`k${i % 100}`, `v${i}`);
    db.compact();
    db.close();
    const events: TraceEvent[] = [];
    db = open(fs, { maxFileBytes: 2048 }, events);
    const dataReads = reads(events).filter((e) => e.type === 'io' && e.path.endsWith('.data'));
    expect(dataReads).toEqual([]);
    expect(events.filter((e) => e.type === 'bitcask.recover.hint').length).toBeGreaterThan(1);
    expect(text(db.get('k42'))).toBe('v442');
    db.close();
  });

  it('keeps the empty key in records and hint files: a merged store reopens through its hints with it', () => {
    const fs = new MemoryFileSystem();
    let db = open(fs, { maxFileBytes: 512 });
    for (let i = 0; i < 200; i++) db.put(i % 20 === 0 ? '' : `k${i % 30}`, `v${i}`);
    db.close();
    // Reopened by scanning the data files: the empty key's records replay.
    db = open(fs, { maxFileBytes: 512 });
    expect(text(db.get(''))).toBe('v180');
    db.compact();
    db.close();
    const events: TraceEvent[] = [];
    db = open(fs, { maxFileBytes: 512 }, events);
    // Every merged file loads from its hint, none is found bad, and no data file is read.
    expect(events.some((e) => e.type === 'bitcask.recover.badhint')).toBe(false);
    expect(events.filter((e) => e.type === 'bitcask.recover.hint').length).toBeGreaterThan(1);
    expect(reads(events).filter((e) => e.type === 'io' && e.path.endsWith('.data'))).toEqual([]);
    expect(text(db.get(''))).toBe('v180');
    expect(text([...db.scan({ limit: 1 })][0]![0])).toBe('');
    db.delete('');
    db.close();
    db = open(fs, { maxFileBytes: 512 });
    expect(db.get('')).toBeUndefined();
    db.close();
    checkBitcaskDir(fs, DIR);
  });

  it('falls back to scanning a data file whose hint is damaged', () => {
    const fs = new MemoryFileSystem();
    let db = open(fs);
    for (let i = 0; i < 50; i++) db.put(`k${i}`, `v${i}`);
    db.compact();
    db.close();
    const hint = fs.list(DIR).find((n) => n.endsWith('.hint'))!;
    const f = fs.open(`${DIR}/${hint}`);
    f.write(30, new Uint8Array([0xff]));
    f.sync();
    const events: TraceEvent[] = [];
    db = open(fs, {}, events);
    expect(events.some((e) => e.type === 'bitcask.recover.badhint')).toBe(true);
    expect(text(db.get('k7'))).toBe('v7');
    db.close();
  });

  it('cuts a torn tail off the newest file, and says so in the trace', () => {
    const fs = new MemoryFileSystem();
    const db = open(fs);
    db.put('a', '1');
    db.sync();
    db.put('b', '2');
    fs.powerLoss({ keepWrites: 0, tornBytes: 10 });
    const events: TraceEvent[] = [];
    const again = open(fs, {}, events);
    const cut = events.find((e) => e.type === 'bitcask.recover.truncate');
    expect(cut).toMatchObject({ type: 'bitcask.recover.truncate', dropped: 10 });
    expect(text(again.get('a'))).toBe('1');
    expect(again.get('b')).toBeUndefined();
    again.close();
  });

  it('drops a batch torn anywhere as a whole', () => {
    const probe = new MemoryFileSystem();
    const p = open(probe);
    p.put('x', 'old');
    p.sync();
    p.batch([
      { type: 'put', key: 'x', value: 'new' },
      { type: 'put', key: 'y', value: 'yes' },
      { type: 'delete', key: 'z' },
    ]);
    const len = probe.pendingWriteLength(0);
    for (let torn = 1; torn < len; torn++) {
      const fs = new MemoryFileSystem();
      const db = open(fs);
      db.put('x', 'old');
      db.sync();
      db.batch([
        { type: 'put', key: 'x', value: 'new' },
        { type: 'put', key: 'y', value: 'yes' },
        { type: 'delete', key: 'z' },
      ]);
      fs.powerLoss({ keepWrites: 0, tornBytes: torn });
      const again = open(fs);
      expect([text(again.get('x')), again.get('y')], `torn at ${torn}`).toEqual(['old', undefined]);
      again.close();
    }
  });

  it('reports a flipped bit in an immutable file as KV_CORRUPT naming file and offset, or recovers; never a wrong value', () => {
    const build = () => {
      const fs = new MemoryFileSystem();
      const db = open(fs, { maxFileBytes: 256 });
      for (let i = 0; i < 40; i++) db.put(`k${i}`, `value-${i}`);
      db.close();
      return fs;
    };
    const base = build();
    const first = `${DIR}/000001.data`;
    const size = readWhole(base, first).length;
    let refused = 0;
    for (let bit = 0; bit < size * 8; bit++) {
      const fs = build();
      const f = fs.open(first);
      const b = f.read(bit >> 3, 1);
      f.write(bit >> 3, new Uint8Array([b[0]! ^ (1 << (bit & 7))]));
      f.sync();
      let db: KVStore;
      try {
        db = open(fs, { maxFileBytes: 256 });
      } catch (e) {
        expect((e as KVError).code).toBe('KV_CORRUPT');
        expect((e as KVError).file).toBe(first);
        expect((e as KVError).offset).toBeTypeOf('number');
        refused++;
        continue;
      }
      for (let i = 0; i < 40; i++) {
        try {
          const v = db.get(`k${i}`);
          expect(text(v), `bit ${bit}, k${i}`).toBe(`value-${i}`);
        } catch (e) {
          expect((e as KVError).code).toBe('KV_CORRUPT');
        }
      }
      db.close();
    }
    expect(refused).toBe(size * 8);
  });
});

describe('bitcask inspect, stats and events', () => {
  it('pictures the keydir and every file as a strip of records, as plain JSON', () => {
    const fs = new MemoryFileSystem();
    const events: TraceEvent[] = [];
    const db = open(fs, { maxFileBytes: 128 }, events);
    for (let i = 0; i < 12; i++) db.put(`k${i % 4}`, `v${i}`);
    db.delete('k1');
    db.compact();
    db.put('k9', 'after');
    const pic = db.inspect() as BitcaskInspect;
    expect(JSON.parse(JSON.stringify(pic))).toEqual(pic);
    expect(pic.keydir.map((r) => r.key)).toEqual(['k0', 'k2', 'k3', 'k9']);
    expect(pic.hintFiles.length).toBeGreaterThan(0);
    for (const f of pic.dataFiles) {
      let at = 0;
      for (const r of f.strip) {
        expect(r.offset).toBe(at);
        at += r.size;
      }
      expect(at).toBe(f.size);
    }
    expect(pic.active).toBeDefined();
    const types = new Set(events.map((e) => e.type));
    for (const t of [
      'bitcask.append',
      'bitcask.keydir',
      'bitcask.rollover',
      'bitcask.merge.start',
      'bitcask.merge.copy',
      'bitcask.hint.write',
      'bitcask.merge.commit',
      'bitcask.merge.done',
      'bitcask.open',
    ]) {
      expect(types.has(t as TraceEvent['type']), t).toBe(true);
    }
    expect(JSON.parse(JSON.stringify(events))).toEqual(events);
    const st = db.stats();
    expect(st.liveKeys).toBe(4);
    expect(st.engineStats.keydirBytesPerKey).toBeGreaterThan(0);
    db.close();
  });

  it('refuses bad tuning with KV_BAD_OPTION and leaves the directory unlocked', () => {
    const fs = new MemoryFileSystem();
    expect(() => open(fs, { maxFileBytes: 0 })).toThrow(KVError);
    expect(() => open(fs, { mergeDeadRatio: 2 })).toThrow(/mergeDeadRatio/);
    open(fs).close();
  });
});
