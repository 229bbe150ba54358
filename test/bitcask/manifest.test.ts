import { describe, it, expect } from 'vitest';
import { openStore, MemoryFileSystem, KVError } from '../../engines/index.js';
import type { KVStore, TraceEvent } from '../../engines/index.js';
import { checkBitcaskDir } from '../../engines/bitcask/check.js';
import {
  MANIFEST_ENTRY,
  MANIFEST_HEADER,
  MANIFEST_TRAILER,
  decodeManifest,
  encodeManifest,
  manifestFields,
} from '../../engines/bitcask/format.js';
import { readManifest } from '../../engines/bitcask/manifest.js';
import { readWhole } from '../../engines/storage/fs.js';

const DIR = '/m';
const text = (b: Uint8Array | undefined) => (b ? new TextDecoder().decode(b) : undefined);

/** Opens a bitcask store with tiny files on `fs`. */
function open(fs: MemoryFileSystem, events?: TraceEvent[]): KVStore {
  return openStore('bitcask', {
    dir: DIR,
    fs,
    maxFileBytes: 128,
    ...(events ? { trace: (e: TraceEvent) => events.push(e) } : {}),
  });
}

/** A closed store over several sealed files, some merged (with hints), some not. */
function build(): MemoryFileSystem {
  const fs = new MemoryFileSystem();
  const db = open(fs);
  for (let i = 0; i < 30; i++) db.put(`k${i % 9}`, `value-${i}`);
  db.compact();
  for (let i = 0; i < 12; i++) db.put(`n${i}`, `v${i}`);
  db.close();
  return fs;
}

/** Overwrites a file durably. */
function replace(fs: MemoryFileSystem, name: string, bytes: Uint8Array): void {
  const h = fs.open(`${DIR}/${name}`, { create: true, truncate: true });
  h.write(0, bytes);
  h.sync();
  h.close();
}

/** Expects opening to fail with KV_CORRUPT naming `file`. */
function expectCorrupt(fs: MemoryFileSystem, file: string): void {
  try {
    open(fs).close();
  } catch (e) {
    expect(e).toBeInstanceOf(KVError);
    expect((e as KVError).code).toBe('KV_CORRUPT');
    expect((e as KVError).file).toBe(`${DIR}/${file}`);
    expect((e as KVError).offset).toBeTypeOf('number');
    expect(() => checkBitcaskDir(fs, DIR)).toThrow(KVError);
    return;
  }
  throw new Error(`opening a store with ${file} damaged succeeded`);
}

describe('bitcask MANIFEST format', () => {
  it('round-trips, marks the lowest ids as hinted, and reports every flipped bit as KV_CORRUPT', () => {
    const m = {
      lastId: 9,
      active: 9,
      sealed: [
        { id: 3, size: 100, hint: true },
        { id: 4, size: 7, hint: true },
        { id: 8, size: 0, hint: false },
      ],
    };
    const bytes = encodeManifest(m);
    expect(bytes.length).toBe(MANIFEST_HEADER + 3 * MANIFEST_ENTRY + MANIFEST_TRAILER);
    expect(decodeManifest(bytes, 'M')).toEqual(m);
    expect(manifestFields(bytes).length).toBe(1 + 3 + 1);
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      const b = bytes.slice();
      b[bit >> 3]! ^= 1 << (bit & 7);
      expect(() => decodeManifest(b, 'M'), `bit ${bit}`).toThrow(/checksum|magic/);
    }
    for (let n = 0; n < bytes.length; n++) expect(() => decodeManifest(bytes.subarray(0, n), 'M')).toThrow(KVError);
  });
});

describe('bitcask sealed files', () => {
  it('close seals the active file: the MANIFEST names no active file, and the next write starts a fresh one', () => {
    const fs = build();
    const m = readManifest(fs, DIR)!;
    expect(m.active).toBe(0);
    for (const f of m.sealed) expect(fs.fileSize(`${DIR}/${String(f.id).padStart(6, '0')}.data`)).toBe(f.size);
    const events: TraceEvent[] = [];
    const db = open(fs, events);
    db.put('fresh', 'yes');
    const roll = events.find((e) => e.type === 'bitcask.rollover');
    expect(roll).toMatchObject({ to: `${String(m.lastId + 1).padStart(6, '0')}.data` });
    expect(readManifest(fs, DIR)!.active).toBe(m.lastId + 1);
    db.close();
    expect(readManifest(fs, DIR)!.active).toBe(0);
    checkBitcaskDir(fs, DIR);
  });

  it('reports a sealed data file that is deleted, emptied, cut short or grown as KV_CORRUPT naming it', () => {
    const base = build();
    const data = base.list(DIR).filter((n) => n.endsWith('.data'));
    expect(data.length).toBeGreaterThan(3);
    for (const name of data) {
      const bytes = readWhole(base, `${DIR}/${name}`);
      const gone = base.clone();
      gone.remove(`${DIR}/${name}`);
      expectCorrupt(gone, name);
      for (const cut of [0, 1, bytes.length - 1]) {
        const fs = base.clone();
        replace(fs, name, bytes.subarray(0, cut));
        expectCorrupt(fs, name);
      }
      const grown = base.clone();
      replace(grown, name, new Uint8Array([...bytes, 0, 0, 0]));
      expectCorrupt(grown, name);
    }
  });

  it('reports zeroed sectors in the newest sealed file as corruption, not as a torn tail', () => {
    const base = build();
    const newest = base
      .list(DIR)
      .filter((n) => n.endsWith('.data'))
      .sort()
      .pop()!;
    const bytes = readWhole(base, `${DIR}/${newest}`);
    const b = bytes.slice();
    b.fill(0, Math.max(0, b.length - 40));
    const fs = base.clone();
    replace(fs, newest, b);
    expectCorrupt(fs, newest);
  });

  it('refuses a store whose MANIFEST is gone or damaged, and opens an empty directory as an empty store', () => {
    const base = build();
    const gone = base.clone();
    gone.remove(`${DIR}/MANIFEST`);
    expectCorrupt(gone, 'MANIFEST');
    const bad = base.clone();
    const bytes = readWhole(base, `${DIR}/MANIFEST`);
    replace(bad, 'MANIFEST', bytes.subarray(0, bytes.length - 1));
    expectCorrupt(bad, 'MANIFEST');
    const db = open(new MemoryFileSystem());
    expect([...db.scan()]).toEqual([]);
    db.close();
  });

  it('removes data and hint files the MANIFEST does not list (a crash leftover), and MANIFEST.tmp', () => {
    const fs = build();
    const m = readManifest(fs, DIR)!;
    const stray = String(m.lastId + 1).padStart(6, '0');
    replace(fs, `${stray}.data`, new Uint8Array(50).fill(7));
    replace(fs, `${stray}.hint`, new Uint8Array(5));
    replace(fs, 'MANIFEST.tmp', new Uint8Array(3));
    expect(() => checkBitcaskDir(fs, DIR)).toThrow(/not listed|MANIFEST.tmp/);
    const events: TraceEvent[] = [];
    const db = open(fs, events);
    expect(
      events
        .filter((e) => e.type === 'bitcask.recover.clean')
        .map((e) => (e as { file: string }).file)
        .sort(),
    ).toEqual([`${stray}.data`, `${stray}.hint`, 'MANIFEST.tmp']);
    expect(text(db.get('n3'))).toBe('v3');
    db.close();
    checkBitcaskDir(fs, DIR);
  });

  it('check reports a hint file the MANIFEST promises but that is gone, while open just scans the data file', () => {
    const fs = build();
    const hint = fs.list(DIR).find((n) => n.endsWith('.hint'))!;
    fs.remove(`${DIR}/${hint}`);
    expect(() => checkBitcaskDir(fs, DIR)).toThrow(/promises/);
    const db = open(fs);
    for (let i = 21; i < 30; i++) expect(text(db.get(`k${i % 9}`))).toBe(`value-${i}`);
    db.close();
  });
});
