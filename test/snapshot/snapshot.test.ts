import { describe, it, expect } from 'vitest';
import { openStore, MemoryFileSystem, KVError } from '../../engines/index.js';
import type { TraceEvent } from '../../engines/index.js';
import {
  decodeSnapshot,
  encodeSnapshot,
  snapshotFields,
  HEADER,
  TRAILER,
  LIVE_FILE,
  TEMP_FILE,
} from '../../engines/snapshot/format.js';
import { readWhole } from '../../engines/storage/fs.js';
import { utf8 } from '../../engines/bytes.js';
import type { SnapshotInspect } from '../../engines/snapshot/inspect.js';

const text = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b) : undefined);
const pairs: [Uint8Array, Uint8Array][] = [
  [utf8('apple'), utf8('red')],
  [utf8('banana'), utf8('')],
  [utf8('cherry'), utf8('dark red')],
];

describe('snapshot format', () => {
  it('encodes the header, records and checksum at the documented offsets', () => {
    const bytes = encodeSnapshot(pairs);
    expect(new TextDecoder().decode(bytes.subarray(0, 8))).toBe('KVSNAPv1');
    const dv = new DataView(bytes.buffer);
    expect(dv.getUint16(8, true)).toBe(1);
    expect(dv.getUint32(12, true)).toBe(3);
    expect(dv.getUint32(16, true)).toBe(bytes.length - HEADER - TRAILER);
    expect(decodeSnapshot(bytes, 'f')).toEqual(pairs);
  });

  it('describes every byte of the file as a field, in order and without gaps', () => {
    const bytes = encodeSnapshot(pairs);
    const fields = snapshotFields(bytes);
    let at = 0;
    for (const f of fields) {
      expect(f.offset).toBe(at);
      at += f.length;
    }
    expect(at).toBe(bytes.length);
    expect(fields.filter((f) => f.name === 'key').length).toBe(3);
  });

  it('reports any flipped bit as KV_CORRUPT naming the file and an offset, never as data', () => {
    const bytes = encodeSnapshot(pairs);
    for (let i = 0; i < bytes.length * 8; i += 3) {
      const bad = bytes.slice();
      bad[i >> 3]! ^= 1 << (i & 7);
      try {
        decodeSnapshot(bad, '/db/snapshot.db');
        expect.unreachable(`bit ${i} flipped went unnoticed`);
      } catch (e) {
        expect(e).toBeInstanceOf(KVError);
        expect((e as KVError).code).toBe('KV_CORRUPT');
        expect((e as KVError).file).toBe('/db/snapshot.db');
        expect((e as KVError).message).toMatch(/snapshot\.db is corrupt at byte offset \d+/);
      }
    }
  });

  it('reports every truncation as KV_CORRUPT', () => {
    const bytes = encodeSnapshot(pairs);
    for (let n = 0; n < bytes.length; n++) expect(() => decodeSnapshot(bytes.subarray(0, n), 'f')).toThrow(KVError);
  });
});

describe('snapshot engine', () => {
  it('writes nothing until sync, then the whole map', () => {
    const fs = new MemoryFileSystem();
    const db = openStore('snapshot', { dir: '/db', fs });
    db.put('a', '1');
    db.put('b', '2');
    expect(db.stats().bytesWritten).toBe(0);
    expect(fs.exists('/db/snapshot.db')).toBe(false);
    db.sync();
    expect(decodeSnapshot(readWhole(fs, '/db/snapshot.db'), 'f').length).toBe(2);
    const before = db.stats().bytesWritten;
    db.put('c', '3');
    db.sync();
    // Every save rewrites every pair: the second save wrote all three again.
    expect(db.stats().bytesWritten - before).toBe(
      encodeSnapshot([
        [utf8('a'), utf8('1')],
        [utf8('b'), utf8('2')],
        [utf8('c'), utf8('3')],
      ]).length,
    );
    db.close();
  });

  it('loses every write after the last save in a crash', () => {
    const fs = new MemoryFileSystem();
    let db = openStore('snapshot', { dir: '/db', fs });
    db.put('saved', 'yes');
    db.sync();
    db.put('unsaved', 'lost');
    fs.powerLoss();
    db = openStore('snapshot', { dir: '/db', fs });
    expect(text(db.get('saved'))).toBe('yes');
    expect(db.get('unsaved')).toBeUndefined();
    db.close();
  });

  it('saves on its own every autosaveEvery writes', () => {
    const fs = new MemoryFileSystem();
    let db = openStore('snapshot', { dir: '/db', fs, autosaveEvery: 3 });
    for (let i = 0; i < 7; i++) db.put(`k${i}`, 'v');
    fs.powerLoss();
    db = openStore('snapshot', { dir: '/db', fs });
    expect([...db.scan()].length).toBe(6);
    db.close();
  });

  it('saves with the temp-file, fsync, rename, directory-fsync steps, traced in that order', () => {
    const events: TraceEvent[] = [];
    const db = openStore('snapshot', { dir: '/db', fs: new MemoryFileSystem(), trace: (e) => events.push(e) });
    db.put('a', '1');
    db.sync();
    const steps = events
      .filter((e) => e.type === 'io' || e.type === 'snapshot.save')
      .map((e) => (e.type === 'io' ? `io:${e.call}` : `save:${(e as { step: string }).step}`));
    expect(steps).toEqual([
      'io:create',
      'io:write',
      'save:write',
      'io:sync',
      'save:sync',
      'io:rename',
      'save:rename',
      'io:syncDir',
      'save:done',
    ]);
    db.close();
  });

  it('removes a temp file left by an interrupted save and keeps the old snapshot', () => {
    const fs = new MemoryFileSystem();
    let db = openStore('snapshot', { dir: '/db', fs });
    db.put('a', 'old');
    db.close();
    // A save that died after writing its temp file.
    const t = fs.open(`/db/${TEMP_FILE}`, { create: true });
    t.write(0, utf8('half a snapshot'));
    t.sync();
    fs.syncDir('/db');
    db = openStore('snapshot', { dir: '/db', fs });
    expect(text(db.get('a'))).toBe('old');
    expect(fs.exists(`/db/${TEMP_FILE}`)).toBe(false);
    db.close();
  });

  it('refuses to open a corrupt snapshot with KV_CORRUPT, and releases the directory', () => {
    const fs = new MemoryFileSystem();
    const db = openStore('snapshot', { dir: '/db', fs });
    db.put('a', '1');
    db.close();
    const f = fs.open(`/db/${LIVE_FILE}`);
    f.write(HEADER + 2, utf8('X'));
    expect(() => openStore('snapshot', { dir: '/db', fs })).toThrow(/snapshot\.db is corrupt at byte offset/);
    // The failed open did not leave the directory locked.
    f.write(HEADER + 2, utf8('a'));
    openStore('snapshot', { dir: '/db', fs }).close();
  });

  it('keeps scans in order when keys are added, removed and re-added between scans', () => {
    const db = openStore('snapshot', { dir: '/db', fs: new MemoryFileSystem() });
    for (const k of ['m', 'c', 'x']) db.put(k, k);
    expect([...db.scan()].map(([k]) => text(k))).toEqual(['c', 'm', 'x']);
    db.delete('m');
    db.put('m', 'again');
    db.put('a', 'a');
    db.put('a', 'twice');
    db.delete('x');
    db.put('\u00ff', 'high byte');
    expect([...db.scan()].map(([k]) => text(k))).toEqual(['a', 'c', 'm', '\u00ff']);
    expect([...db.scan({ reverse: true, lt: 'm' })].map(([k]) => text(k))).toEqual(['c', 'a']);
    db.close();
  });

  it('rejects a bad autosaveEvery option', () => {
    expect(() => openStore('snapshot', { dir: '/db', fs: new MemoryFileSystem(), autosaveEvery: -1 })).toThrow(
      /autosaveEvery/,
    );
  });

  it('inspect shows the dict, the unsaved count and the file layout', () => {
    const fs = new MemoryFileSystem();
    const db = openStore('snapshot', { dir: '/db', fs });
    db.put('b', '2');
    db.put('a', '1');
    db.sync();
    db.put('c', '3');
    const pic = db.inspect() as SnapshotInspect;
    expect(pic.dict.map((e) => e.key)).toEqual(['a', 'b', 'c']);
    expect(pic.unsaved).toBe(1);
    expect(pic.files).toEqual([{ name: 'snapshot.db', size: fs.fileSize('/db/snapshot.db'), role: 'snapshot' }]);
    db.close();
  });
});
