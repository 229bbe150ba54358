/**
 * The lsm describers (log-layout.ts, table-layout.ts, layout.ts) agree with the decoders on
 * every file type a store writes: write-ahead logs, SSTables at two levels, manifests whose
 * edits use every tag (sealed logs, tag 6, included), CURRENT and CURRENT.tmp. Every byte is
 * in one span; keys, values, sequence numbers, lengths and checksums are the decoders'; block
 * handles, restart offsets and footer offsets point at the spans they name; a cut or garbage
 * file gives a malformed span, never a throw.
 */
import { describe, it, expect } from 'vitest';
import { MemoryFileSystem } from '../../engines/index.js';
import { readWhole } from '../../engines/storage/fs.js';
import { crc32c, mask } from '../../engines/codec/crc32c.js';
import { FRAME_HEADER, frameChecksum } from '../../engines/codec/frame.js';
import { allSpans, firstMalformed, type Group, type Span } from '../../engines/layout.js';
import { Block } from '../../engines/lsm/block.js';
import { LsmStore } from '../../engines/lsm/store.js';
import { readFrames } from '../../engines/lsm/wal.js';
import { describeLsmFile } from '../../engines/lsm/layout.js';
import {
  BLOCK_TRAILER,
  EDIT_TAGS,
  FOOTER,
  KIND_PUT,
  decodeEdit,
  decodeFooter,
  decodeHandle,
  decodeLogRecord,
  encodeInternalKey,
  parseName,
  type VersionEdit,
} from '../../engines/lsm/format.js';
import { expectDamageNamed, expectTiled, named, units, valueBytes } from '../util/layout.js';
import { SMALL, key, value } from './helpers.js';

const DIR = '/db';

/**
 * A store whose live manifest holds every tag: flushes (added files, log numbers), a
 * compaction (deleted files), a close (a sealed log); then a reopen that fails at its
 * CURRENT rename, leaving a second manifest and CURRENT.tmp beside it.
 */
function store(): MemoryFileSystem {
  const fs = new MemoryFileSystem();
  const db = new LsmStore({ ...SMALL, l0CompactionTrigger: 2, dir: DIR, fs });
  for (let i = 0; i < 400; i++) db.put(key(i), value(i, 0, 40));
  for (let i = 0; i < 400; i += 7) db.delete(key(i));
  db.batch([
    { type: 'put', key: 'batch-a', value: 'A' },
    { type: 'put', key: 'batch-b', value: Uint8Array.of(0, 255) },
    { type: 'delete', key: key(3) },
  ]);
  db.put('empty', new Uint8Array(0));
  db.close();
  fs.injectFault({ call: 'rename', path: 'CURRENT' });
  expect(() => new LsmStore({ ...SMALL, dir: DIR, fs })).toThrow();
  fs.clearFaults();
  return fs;
}

/** The group of `groups` (depth first) that starts at `offset` and is a `unit`, if any. */
function groupAt(groups: readonly Group[], offset: number, unit: string): Group | undefined {
  return units(groups, unit).find((g) => g.offset === offset);
}

/** A tag group's spans by name. */
function fieldsOf(g: Group): Record<string, Span> {
  return Object.fromEntries(g.spans.map((s) => [s.name, s]));
}

/** The version edit a describer's edit group says, rebuilt from its spans. */
function editOf(g: Group): VersionEdit {
  const e: VersionEdit = { deleted: [], added: [] };
  for (const t of units([g], 'tag')) {
    const f = fieldsOf(t);
    const n = (name: string): number => f[name]!.value as number;
    const tag = f.tag!.value as number;
    expect(f.tag!.note, `tag ${tag}`).toBe(EDIT_TAGS[tag]!.name);
    if (tag === 1) e.logNumber = n('logNumber');
    else if (tag === 2) e.nextFile = n('nextFile');
    else if (tag === 3) e.lastSeq = n('lastSeq');
    else if (tag === 4) e.deleted.push({ level: n('level'), number: n('fileNumber') });
    else if (tag === 5) {
      e.added.push({
        level: n('level'),
        file: {
          number: n('fileNumber'),
          size: n('fileSize'),
          entries: n('entries'),
          tombstones: n('tombstones'),
          minSeq: n('minSeq'),
          maxSeq: n('maxSeq'),
          smallest: valueBytes(f.smallest!),
          largest: valueBytes(f.largest!),
        },
      });
      expect(f.smallestLength!.value).toBe((f.smallest!.value as Uint8Array).length);
    } else if (tag === 6) (e.sealed ??= []).push({ number: n('logNumber'), bytes: n('logLength') });
  }
  return e;
}

describe('the lsm file layouts', () => {
  const fs = store();
  const names = fs.list(DIR).filter((n) => n !== 'LOCK');
  const bytesOf = new Map(names.map((n) => [n, readWhole(fs, `${DIR}/${n}`)]));
  const layouts = new Map(names.map((n) => [n, describeLsmFile(n, bytesOf.get(n)!)!]));
  const ofKind = (kind: string): string[] => names.filter((n) => parseName(n)?.kind === kind);

  it('are made by a store with every file type: logs, tables at two levels, two manifests, CURRENT and CURRENT.tmp', () => {
    expect(new Set(names.map((n) => parseName(n)?.kind))).toEqual(
      new Set(['log', 'table', 'manifest', 'current', 'temp']),
    );
    expect(ofKind('manifest').length).toBe(2);
    expect(ofKind('table').length).toBeGreaterThan(2);
    expect(describeLsmFile('notes.txt', new Uint8Array(1))).toBeUndefined();
  });

  it('cover every byte of every file with exactly one span, none malformed', () => {
    for (const n of names) {
      expectTiled(layouts.get(n)!, bytesOf.get(n)!.length, n);
      expect(firstMalformed(layouts.get(n)!), n).toBeUndefined();
    }
  });

  it('hold, for every log record, the ops decodeLogRecord reads, and the frame checksum the bytes give', () => {
    let ops = 0;
    for (const n of ofKind('log')) {
      const bytes = bytesOf.get(n)!;
      const frames = readFrames(bytes, n);
      const records = units(layouts.get(n)!, 'record');
      expect(records.length).toBe(frames.records.length);
      frames.records.forEach((fr, i) => {
        const g = records[i]!;
        const decoded = decodeLogRecord(fr.payload, n, fr.offset + FRAME_HEADER);
        const head = fieldsOf(g.children![0]!);
        const crc = frameChecksum(bytes, fr.offset, fr.payload.length);
        expect(head.frameCrc).toMatchObject({ kind: 'crc', value: crc, computed: crc });
        expect(head.frameLength!.value).toBe(fr.payload.length);
        expect(head.firstSeq!.value).toBe(decoded[0]!.seq);
        expect(head.opCount!.value).toBe(decoded.length);
        const opGroups = g.children!.slice(1);
        expect(opGroups.length).toBe(decoded.length);
        opGroups.forEach((o, j) => {
          const f = fieldsOf(o);
          const op = decoded[j]!;
          expect(f.opKind!.value).toBe(op.kind);
          expect(valueBytes(f.key!)).toEqual(op.key);
          expect(f.keyLength!.value).toBe(op.key.length);
          if (op.kind === KIND_PUT) {
            expect(valueBytes(f.value!)).toEqual(op.value);
            expect(f.valueLength!.value).toBe(op.value.length);
          } else expect(f.value).toBeUndefined();
          ops++;
        });
      });
    }
    expect(ops).toBeGreaterThan(0);
  });

  it('name every tag of every manifest edit, with the values decodeEdit reads (tags 1 to 6 all seen)', () => {
    const seen = new Set<number>();
    for (const n of ofKind('manifest')) {
      const bytes = bytesOf.get(n)!;
      const frames = readFrames(bytes, n, true);
      const edits = units(layouts.get(n)!, 'edit');
      expect(edits.length).toBe(frames.records.length);
      frames.records.forEach((fr, i) => {
        expect(editOf(edits[i]!)).toEqual(decodeEdit(fr.payload, n, fr.offset + FRAME_HEADER));
        for (const t of units([edits[i]!], 'tag')) seen.add(t.spans[0]!.value as number);
        const head = fieldsOf(edits[i]!.children![0]!);
        const crc = frameChecksum(bytes, fr.offset, fr.payload.length);
        expect(head.frameCrc).toMatchObject({ value: crc, computed: crc });
      });
    }
    expect([...seen].sort()).toEqual(Object.keys(EDIT_TAGS).map(Number).sort());
  });

  it('hold, for every table, the entries, index and footer the table code reads, every pointer on what it names', () => {
    for (const n of ofKind('table')) {
      const bytes = bytesOf.get(n)!;
      const groups = layouts.get(n)!;
      const footer = decodeFooter(bytes.subarray(bytes.length - FOOTER), bytes.length, n);
      const index = new Block(
        bytes.subarray(footer.index.offset, footer.index.offset + footer.index.size),
        n,
        footer.index.offset,
      );
      const blocks = units(groups, 'block');
      expect(blocks.length).toBe(index.length);
      index.values.forEach((v, i) => {
        const h = decodeHandle(v, footer.filter.offset, n, footer.index.offset);
        const g = blocks[i]!;
        expect(g.offset).toBe(h.offset);
        expect(g.length).toBe(h.size + BLOCK_TRAILER);
        const block = new Block(bytes.subarray(h.offset, h.offset + h.size), n, h.offset);
        const entries = g.children!.filter((c) => c.unit === 'entry');
        expect(entries.length).toBe(block.entries.length);
        // Each entry's key is its shared prefix of the key before, its new bytes, its trailer.
        let prev: Uint8Array = new Uint8Array(0);
        entries.forEach((e, j) => {
          const f = fieldsOf(e);
          const want = block.entries[j]!;
          const ik = encodeInternalKey(want.key, want.seq, want.kind);
          const rebuilt = new Uint8Array([
            ...prev.subarray(0, f.shared!.value as number),
            ...valueBytes(f.keyDelta!),
            ...bytes.subarray(f.trailer!.offset, f.trailer!.offset + 8),
          ]);
          expect(rebuilt).toEqual(ik);
          expect(f.unshared!.value).toBe(f.keyDelta!.length + 8);
          expect(f.trailer).toMatchObject({
            kind: 'seq',
            value: want.seq,
            note: want.kind === KIND_PUT ? 'put' : 'delete',
          });
          expect(valueBytes(f.value!)).toEqual(want.value);
          expect(f.valueLength!.value).toBe(want.value.length);
          prev = ik;
        });
        // The restart offsets point at entries, and the checksum is the block's.
        for (const r of allSpans([g]).filter((s) => s.name === 'restart'))
          expect(entries.some((e) => e.offset === r.target!.offset)).toBe(true);
        const crc = mask(crc32c(bytes, h.offset, h.offset + h.size));
        expect(named([g], 'blockCrc')[0]).toMatchObject({ value: crc, computed: crc });
      });
      // The index: each block handle points at its data block; its key is the block's last key.
      const ix = units(groups, 'index').filter((g) => g.spans.length);
      expect(ix.map((g) => named([g], 'blockHandle')[0]!.target!.offset)).toEqual(blocks.map((b) => b.offset));
      // The footer points at the index and filter blocks, and its checksum is the footer's.
      const foot = fieldsOf(units(groups, 'footer')[0]!);
      expect(groupAt(groups, foot.indexOffset!.target!.offset!, 'index')).toBeDefined();
      expect(groupAt(groups, foot.filterOffset!.target!.offset!, 'filter')).toBeDefined();
      const fcrc = mask(crc32c(bytes, bytes.length - FOOTER, bytes.length - FOOTER + 24));
      expect(foot.footerCrc).toMatchObject({ value: fcrc, computed: fcrc });
      expect(named(groups, 'filterBits')[0]!.length).toBe(footer.filter.size - 1);
    }
  });

  it('have CURRENT point at the live manifest, and every table the live manifest holds point at a file that is there', () => {
    const current = fieldsOf(layouts.get('CURRENT')!.find((g) => g.unit === 'text')!);
    const live = current.manifestName!.target!.file!;
    expect(names).toContain(live);
    const frames = readFrames(bytesOf.get(live)!, live, true);
    const tables = new Set<number>();
    for (const fr of frames.records) {
      const e = decodeEdit(fr.payload, live, 0);
      for (const a of e.added) tables.add(a.file.number);
      for (const d of e.deleted) tables.delete(d.number);
    }
    const pointed = allSpans(layouts.get(live)!).filter(
      (s) => s.name === 'fileNumber' && tables.has(s.value as number),
    );
    expect(pointed.length).toBeGreaterThan(0);
    for (const s of pointed) expect(names).toContain(s.target!.file);
  });

  it('name a cut or garbage file malformed and never throw', () => {
    for (const n of names) {
      const bytes = bytesOf.get(n)!;
      if (bytes.length === 0) continue;
      const kind = parseName(n)!.kind;
      const describe = (b: Uint8Array): Group[] => describeLsmFile(n, b)!;
      if (kind === 'log' || kind === 'manifest') {
        // A log cut between two frames is a shorter, sound log: only other cuts are damage.
        const ends = new Set(readFrames(bytes, n).records.map((r) => r.offset + FRAME_HEADER + r.payload.length));
        expectDamageNamed(describe, bytes, n, (cut) => !ends.has(cut));
      } else expectDamageNamed(describe, bytes, n);
    }
  });
});
