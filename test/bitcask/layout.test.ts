/**
 * The bitcask describers (record-format.ts, hint-format.ts, manifest-format.ts, through
 * format.ts describeBitcaskFile) agree with the decoders on every file type a store writes:
 * data files, hint files, the MANIFEST, MANIFEST.tmp and an old merge marker. Every byte is
 * in one span; keys, values, lengths, sequence numbers and checksums are the decoders';
 * pointers land on what they name; damaged bytes give a malformed span, never a throw.
 */
import { describe, it, expect } from 'vitest';
import { openStore, MemoryFileSystem } from '../../engines/index.js';
import { readWhole } from '../../engines/storage/fs.js';
import { crc32c, mask } from '../../engines/codec/crc32c.js';
import { allSpans, firstMalformed, type Group } from '../../engines/layout.js';
import {
  MANIFEST_NAME,
  MANIFEST_TMP,
  RECORD_HEADER,
  dataName,
  decodeHint,
  decodeManifest,
  decodeRecord,
  describeBitcaskFile,
  describeDataFile,
  hintFields,
  manifestFields,
  parseName,
  type DataRecord,
} from '../../engines/bitcask/format.js';
import { expectDamageNamed, expectTiled, named, units, valueBytes } from '../util/layout.js';

const DIR = '/db';

/** A store with sealed and active data files, hint files from a merge, a MANIFEST, a MANIFEST.tmp and a merge marker. */
function store(): MemoryFileSystem {
  const fs = new MemoryFileSystem();
  const db = openStore('bitcask', { dir: DIR, fs, maxFileBytes: 400, mergeMinDeadBytes: 1 << 30 });
  for (let i = 0; i < 40; i++) db.put(`key${String(i).padStart(2, '0')}`, `value ${i}`);
  for (let i = 0; i < 40; i += 3) db.delete(`key${String(i).padStart(2, '0')}`);
  db.compact();
  db.batch([
    { type: 'put', key: 'batch-a', value: 'A' },
    { type: 'put', key: 'batch-b', value: Uint8Array.of(0, 255) },
    { type: 'delete', key: 'key01' },
  ]);
  for (let i = 0; i < 12; i++) db.put(`after${i}`, 'x'.repeat(i * 5));
  db.sync();
  // A MANIFEST write whose rename fails leaves MANIFEST.tmp; then the store is abandoned.
  fs.injectFault({ call: 'rename', path: MANIFEST_TMP });
  try {
    for (let i = 0; i < 20; i++) db.put(`roll${i}`, 'y'.repeat(60));
  } catch {
    // The rollover's MANIFEST rename failed, as asked.
  }
  fs.clearFaults();
  db.close();
  const h = fs.open(`${DIR}/MERGE-started-000003`, { create: true });
  h.close();
  return fs;
}

/** Every record of a data file, decoded one after another as recovery reads them. */
function decodeAll(bytes: Uint8Array): DataRecord[] {
  const out: DataRecord[] = [];
  for (let o = 0; o < bytes.length;) {
    const r = decodeRecord(bytes, o);
    if (r.kind !== 'ok') throw new Error(`record at ${o}: ${r.reason}`);
    out.push(r.record);
    o += r.record.size;
  }
  return out;
}

describe('the bitcask file layouts', () => {
  const fs = store();
  const names = fs.list(DIR).filter((n) => n !== 'LOCK');
  const bytesOf = new Map(names.map((n) => [n, readWhole(fs, `${DIR}/${n}`)]));
  const layouts = new Map(names.map((n) => [n, describeBitcaskFile(n, bytesOf.get(n)!)]));

  it('are made by a store with every file type', () => {
    const kinds = new Set(names.map((n) => parseName(n)?.kind ?? n.replace(/-.*/, '')));
    expect([...kinds].sort()).toEqual(['MANIFEST', 'MANIFEST.tmp', 'MERGE', 'data', 'hint'].sort());
    expect(names.filter((n) => parseName(n)?.kind === 'hint').length).toBeGreaterThan(0);
  });

  it('cover every byte of every file with exactly one span, none malformed', () => {
    for (const n of names) {
      const groups = layouts.get(n);
      expect(groups, n).toBeDefined();
      expectTiled(groups!, bytesOf.get(n)!.length, n);
      expect(firstMalformed(groups!), n).toBeUndefined();
    }
    expect(layouts.get('MERGE-started-000003')).toEqual([]);
    expect(describeBitcaskFile('notes.txt', new Uint8Array(3))).toBeUndefined();
  });

  it('hold, for every record, the key, value, sequence, flags and lengths decodeRecord reads, and its two checksums', () => {
    for (const n of names.filter((x) => parseName(x)?.kind === 'data')) {
      const bytes = bytesOf.get(n)!;
      const recs = decodeAll(bytes);
      const groups = layouts.get(n)!;
      expect(groups.length, n).toBe(recs.length);
      groups.forEach((g, i) => {
        const r = recs[i]!;
        const s = Object.fromEntries(g.spans.map((x) => [x.name, x]));
        expect(g.offset).toBe(r.offset);
        expect(g.length).toBe(r.size);
        expect(g.unit).toBe(r.flags & 1 ? 'tombstone' : 'record');
        expect(valueBytes(s.key!)).toEqual(r.key);
        expect(valueBytes(s.value!)).toEqual(r.value);
        expect(s.keyLength).toMatchObject({ kind: 'length', value: r.key.length, length: 2 });
        expect(s.valueLength).toMatchObject({ kind: 'length', value: r.value.length, length: 4 });
        expect(s.seq).toMatchObject({ kind: 'seq', value: r.seq });
        expect(s.flags).toMatchObject({ kind: 'flag', value: r.flags });
        const crc = mask(crc32c(bytes, r.offset + 4, r.offset + r.size));
        const headerCrc = mask(crc32c(bytes, r.offset + 8, r.offset + RECORD_HEADER));
        expect(s.crc).toMatchObject({ kind: 'crc', value: crc, computed: crc });
        expect(s.headerCrc).toMatchObject({ kind: 'crc', value: headerCrc, computed: headerCrc });
      });
    }
  });

  it('hold, for every hint entry, what decodeHint reads, each pointing at the record it names', () => {
    for (const n of names.filter((x) => parseName(x)?.kind === 'hint')) {
      const bytes = bytesOf.get(n)!;
      const id = parseName(n)!.id;
      const data = dataName(id);
      const h = decodeHint(bytes, id, bytesOf.get(data)!.length);
      if (!('entries' in h)) throw new Error(`${n}: ${h.invalid}`);
      const groups = layouts.get(n)!;
      const entries = units(groups, 'hint');
      expect(entries.length).toBe(h.entries.length);
      const records = new Map(describeDataFile(bytesOf.get(data)!).map((g) => [g.offset, g]));
      entries.forEach((g, i) => {
        const e = h.entries[i]!;
        const s = Object.fromEntries(g.spans.map((x) => [x.name, x]));
        expect(valueBytes(s.key!)).toEqual(e.key);
        expect(s.seq!.value).toBe(e.seq);
        expect(s.valueLength!.value).toBe(e.valueLength);
        expect(s.keyLength).toMatchObject({ value: e.key.length, kind: 'length' });
        expect(s.recordOffset).toMatchObject({
          kind: 'pointer',
          value: e.recordOffset,
          target: { file: data, offset: e.recordOffset },
        });
        // The pointer lands on the record of that key, with that sequence number.
        const rec = records.get(e.recordOffset)!;
        expect(rec, `${n} entry ${i}`).toBeDefined();
        expect(valueBytes(rec.spans.find((x) => x.name === 'key')!)).toEqual(e.key);
        expect(rec.spans.find((x) => x.name === 'seq')!.value).toBe(e.seq);
      });
      expect(named(groups, 'fileId')[0]).toMatchObject({ kind: 'pointer', value: id, target: { file: data } });
      expect(named(groups, 'count')[0]!.value).toBe(h.entries.length);
      const crc = mask(crc32c(bytes, 0, bytes.length - 4));
      expect(named(groups, 'crc')[0]).toMatchObject({ value: crc, computed: crc, offset: bytes.length - 4 });
      // inspect() and the site get the same offsets and names.
      expect(
        hintFields(bytes)
          .flat()
          .map((f) => [f.offset, f.name]),
      ).toEqual(
        allSpans(groups)
          .filter((x) => x.name !== 'crc')
          .map((x) => [x.offset, x.name]),
      );
    }
  });

  it('hold what decodeManifest reads in the MANIFEST and MANIFEST.tmp, every file id pointing at a file that is there', () => {
    for (const n of [MANIFEST_NAME, MANIFEST_TMP]) {
      const bytes = bytesOf.get(n)!;
      const m = decodeManifest(bytes, n);
      const groups = layouts.get(n)!;
      expect(named(groups, 'lastId')[0]!.value).toBe(m.lastId);
      expect(named(groups, 'activeId')[0]!.value).toBe(m.active);
      expect(named(groups, 'count')[0]!.value).toBe(m.sealed.length);
      const sealed = units(groups, 'sealed');
      expect(sealed.map((g) => [g.spans[0]!.value, g.spans[1]!.value])).toEqual(m.sealed.map((f) => [f.id, f.size]));
      const crc = mask(crc32c(bytes, 0, bytes.length - 4));
      expect(named(groups, 'crc')[0]).toMatchObject({ value: crc, computed: crc });
      expect(
        manifestFields(bytes)
          .flat()
          .map((f) => [f.offset, f.length, f.name]),
      ).toEqual(allSpans(groups).map((x) => [x.offset, x.length, x.name]));
    }
    // The live MANIFEST's files are all there, at the sizes it says.
    for (const p of allSpans(layouts.get(MANIFEST_NAME)!).filter((x) => x.kind === 'pointer' && x.target)) {
      expect(names, `${p.name} ${String(p.value)}`).toContain(p.target!.file);
    }
  });

  it('name a cut or garbage file malformed and never throw', () => {
    for (const n of names) {
      const bytes = bytesOf.get(n)!;
      if (bytes.length === 0) continue;
      const describe = (b: Uint8Array): Group[] => describeBitcaskFile(n, b)!;
      if (parseName(n)?.kind === 'data') {
        // A data file cut between two records is a shorter, sound file: only other cuts are damage.
        const ends = new Set(decodeAll(bytes).map((r) => r.offset + r.size));
        expectDamageNamed(describe, bytes, n, (cut) => !ends.has(cut));
      } else expectDamageNamed(describe, bytes, n);
    }
  });
});
