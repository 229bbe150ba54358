/**
 * The snapshot file's describer (format.ts describeSnapshot) agrees with its decoder: every
 * byte in one span, keys and values the decoder's, lengths the real ones, the checksum the
 * computed one; and damaged bytes give a malformed span, never a throw.
 */
import { describe, it, expect } from 'vitest';
import { openStore, MemoryFileSystem, isKVError } from '../../engines/index.js';
import { readWhole } from '../../engines/storage/fs.js';
import { crc32c } from '../../engines/codec/crc32c.js';
import { varintLength } from '../../engines/codec/varint.js';
import { allSpans } from '../../engines/layout.js';
import {
  LIVE_FILE,
  TEMP_FILE,
  decodeSnapshot,
  describeSnapshot,
  snapshotFields,
} from '../../engines/snapshot/format.js';
import { expectDamageNamed, expectTiled, named, units, valueBytes } from '../util/layout.js';

/** A store with a few keys (one with an empty value, one binary), saved, and a save that failed at its rename. */
function store(): MemoryFileSystem {
  const fs = new MemoryFileSystem();
  const db = openStore('snapshot', { dir: '/db', fs });
  for (let i = 0; i < 30; i++) db.put(`key${String(i).padStart(2, '0')}`, 'v'.repeat(i * 7));
  db.put(Uint8Array.of(0, 255), Uint8Array.of(1, 2, 3));
  db.sync();
  // A save whose rename fails leaves snapshot.db.tmp beside the live file.
  db.put('later', 'x');
  fs.injectFault({ call: 'rename', path: 'snapshot.db' });
  expect(() => db.sync()).toThrow();
  db.close();
  return fs;
}

describe('the snapshot file layout', () => {
  const fs = store();
  const files = [LIVE_FILE, TEMP_FILE].map((name) => ({ name, bytes: readWhole(fs, `/db/${name}`) }));

  it('is made by a store: a live file and a temporary one', () => {
    expect(
      fs
        .list('/db')
        .filter((n) => n !== 'LOCK')
        .sort(),
    ).toEqual([LIVE_FILE, TEMP_FILE]);
  });

  for (const { name, bytes } of files) {
    describe(name, () => {
      const groups = describeSnapshot(bytes);

      it('covers every byte with exactly one span', () => {
        expectTiled(groups, bytes.length, name);
        expect(allSpans(groups).some((s) => s.kind === 'malformed')).toBe(false);
      });

      it('holds the keys and values the decoder returns, with their real lengths', () => {
        const pairs = decodeSnapshot(bytes, name);
        const records = units(groups, 'record');
        expect(records.length).toBe(pairs.length);
        records.forEach((g, i) => {
          const [key, value] = pairs[i]!;
          const [kl, vl, k, v] = g.spans;
          expect(valueBytes(k!)).toEqual(key);
          expect(valueBytes(v!)).toEqual(value);
          expect(k!.length).toBe(key.length);
          expect(v!.length).toBe(value.length);
          expect(kl).toMatchObject({
            name: 'keyLength',
            kind: 'length',
            value: key.length,
            length: varintLength(key.length),
          });
          expect(vl).toMatchObject({
            name: 'valueLength',
            kind: 'length',
            value: value.length,
            length: varintLength(value.length),
          });
        });
        expect(named(groups, 'count')[0]!.value).toBe(pairs.length);
        expect(named(groups, 'bodyLength')[0]!.value).toBe(bytes.length - 24 - 4);
        expect(named(groups, 'magic')[0]).toMatchObject({ kind: 'header', value: 'KVSNAPv1' });
      });

      it('holds the checksum the bytes give in its crc span', () => {
        const [crc] = named(groups, 'crc');
        const computed = crc32c(bytes, 0, bytes.length - 4);
        expect(crc).toMatchObject({
          kind: 'crc',
          offset: bytes.length - 4,
          length: 4,
          value: computed,
          computed,
          note: 'matches',
        });
      });

      it('gives inspect() and the site the same offsets and names (snapshotFields)', () => {
        const fields = snapshotFields(bytes);
        expect(fields.map((f) => [f.offset, f.length, f.name])).toEqual(
          allSpans(groups).map((s) => [s.offset, s.length, s.name]),
        );
        expect(fields.filter((f) => f.record === 3).map((f) => f.name)).toEqual([
          'keyLength',
          'valueLength',
          'key',
          'value',
        ]);
      });

      it('names a cut or garbage file malformed and never throws', () => {
        expectDamageNamed(describeSnapshot, bytes, name);
      });
    });
  }

  it('says a flipped bit breaks the checksum, where the decoder refuses the file', () => {
    const bytes = files[0]!.bytes.slice();
    bytes[40]! ^= 1;
    expect(() => decodeSnapshot(bytes, 'f')).toThrow();
    try {
      decodeSnapshot(bytes, 'f');
    } catch (e) {
      expect(isKVError(e, 'KV_CORRUPT')).toBe(true);
    }
    const crc = named(describeSnapshot(bytes), 'crc')[0]!;
    expect(crc.value).not.toBe(crc.computed);
    expect(crc.note).toMatch(/MISMATCH/);
  });
});
