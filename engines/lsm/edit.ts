/**
 * edit.ts: a version edit, the payload of one manifest frame (LevelDB's version_edit.cc):
 * tagged fields, each tag a varint, as the byte table in format.ts lays them out. EDIT_TAGS
 * is the one list of tags and the fields each carries: encodeEdit writes them, walkEdit reads
 * them (decodeEdit for the store, the describer in log-layout.ts for `kv dump`), so a tag the
 * decoder accepts is a tag the dump names.
 */
import { corrupt } from '../errors.js';
import { decodeVarint, putVarint, varintLength } from '../codec/varint.js';
import type { SpanKind } from '../layout.js';
import { logName, tableName } from './names.js';

export interface FileMeta {
  number: number;
  size: number;
  entries: number;
  tombstones: number;
  minSeq: number;
  maxSeq: number;
  smallest: Uint8Array;
  largest: Uint8Array;
}

/** A change to the set of live files (and the counters recovery needs). */
export interface VersionEdit {
  logNumber?: number;
  nextFile?: number;
  lastSeq?: number;
  deleted: { level: number; number: number }[];
  added: { level: number; file: FileMeta }[];
  /** Logs that are complete at the given length (written at close, and for replayed logs at open). */
  sealed?: { number: number; bytes: number }[];
}

const TAG_LOG = 1;
const TAG_NEXT_FILE = 2;
const TAG_LAST_SEQ = 3;
const TAG_DELETED = 4;
const TAG_ADDED = 5;
const TAG_SEALED = 6;

/** One field a version edit's tag carries: a varint (a level is checked), or a length-prefixed byte string. */
export interface EditField {
  /** Its name (camelCase, as the describer names its span). */
  name: string;
  /** Its name in words, for an error message. */
  what: string;
  shape: 'varint' | 'level' | 'bytes';
  /** What the number is, as a span kind (layout.ts). */
  kind: SpanKind;
  /** For a file number: the file it names. */
  file?: (n: number) => string;
}

/** A tag of a version edit: its name and the fields that follow it, in order (the table above). */
export interface EditTag {
  name: string;
  fields: readonly EditField[];
}

/** Every tag a version edit may hold. decodeEdit reads only these; the describer names them all. */
export const EDIT_TAGS: Readonly<Record<number, EditTag>> = {
  [TAG_LOG]: {
    name: 'log number',
    fields: [{ name: 'logNumber', what: 'log number', shape: 'varint', kind: 'pointer', file: (n) => logName(n) }],
  },
  [TAG_NEXT_FILE]: {
    name: 'next file number',
    fields: [{ name: 'nextFile', what: 'next file number', shape: 'varint', kind: 'seq' }],
  },
  [TAG_LAST_SEQ]: {
    name: 'last sequence',
    fields: [{ name: 'lastSeq', what: 'last sequence', shape: 'varint', kind: 'seq' }],
  },
  [TAG_DELETED]: {
    name: 'deleted file',
    fields: [
      { name: 'level', what: 'level', shape: 'level', kind: 'header' },
      { name: 'fileNumber', what: 'file number', shape: 'varint', kind: 'pointer', file: (n) => tableName(n) },
    ],
  },
  [TAG_ADDED]: {
    name: 'added file',
    fields: [
      { name: 'level', what: 'level', shape: 'level', kind: 'header' },
      { name: 'fileNumber', what: 'file number', shape: 'varint', kind: 'pointer', file: (n) => tableName(n) },
      { name: 'fileSize', what: 'file size', shape: 'varint', kind: 'length' },
      { name: 'entries', what: 'entry count', shape: 'varint', kind: 'length' },
      { name: 'tombstones', what: 'tombstone count', shape: 'varint', kind: 'length' },
      { name: 'minSeq', what: 'min seq', shape: 'varint', kind: 'seq' },
      { name: 'maxSeq', what: 'max seq', shape: 'varint', kind: 'seq' },
      { name: 'smallest', what: 'smallest key', shape: 'bytes', kind: 'key' },
      { name: 'largest', what: 'largest key', shape: 'bytes', kind: 'key' },
    ],
  },
  [TAG_SEALED]: {
    name: 'sealed log',
    fields: [
      { name: 'logNumber', what: 'log number', shape: 'varint', kind: 'pointer', file: (n) => logName(n) },
      { name: 'logLength', what: 'log length', shape: 'varint', kind: 'length' },
    ],
  },
};

/** Encodes a version edit. */
export function encodeEdit(e: VersionEdit): Uint8Array {
  const nums: (number | Uint8Array)[] = [];
  if (e.logNumber !== undefined) nums.push(TAG_LOG, e.logNumber);
  if (e.nextFile !== undefined) nums.push(TAG_NEXT_FILE, e.nextFile);
  if (e.lastSeq !== undefined) nums.push(TAG_LAST_SEQ, e.lastSeq);
  for (const d of e.deleted) nums.push(TAG_DELETED, d.level, d.number);
  for (const { level, file: f } of e.added) {
    nums.push(TAG_ADDED, level, f.number, f.size, f.entries, f.tombstones, f.minSeq, f.maxSeq);
    nums.push(f.smallest.length, f.smallest, f.largest.length, f.largest);
  }
  for (const l of e.sealed ?? []) nums.push(TAG_SEALED, l.number, l.bytes);
  let n = 0;
  for (const x of nums) n += typeof x === 'number' ? varintLength(x) : x.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const x of nums) {
    if (typeof x === 'number') o = putVarint(out, o, x);
    else {
      out.set(x, o);
      o += x.length;
    }
  }
  return out;
}

/** Where one field of an edit lies in its payload, and what it holds. */
export interface EditFieldAt {
  field: EditField;
  /** The offset of its varint (for bytes: of the length varint), and where the field ends. */
  at: number;
  end: number;
  value: number | Uint8Array;
  /** For bytes: where the bytes start (after their length). */
  bytesAt?: number;
}

/**
 * Walks an edit payload tag by tag with EDIT_TAGS, calling `each` for every tag with its
 * fields; throws KV_CORRUPT (naming `file` and the offset, `base` being the payload's) at a bad
 * varint, a string that runs past the record, a level too deep or an unknown tag.
 */
export function walkEdit(
  p: Uint8Array,
  file: string,
  base: number,
  each: (tag: number, at: number, tagEnd: number, fields: EditFieldAt[]) => void,
): void {
  let o = 0;
  const num = (what: string): number => {
    const d = decodeVarint(p, o);
    if (!d) throw corrupt(file, base + o, `a version edit has a bad ${what}`);
    o = d.next;
    return d.value;
  };
  while (o < p.length) {
    const at = o;
    const tag = num('tag');
    const spec = EDIT_TAGS[tag];
    if (!spec) throw corrupt(file, base + at, `a version edit has unknown tag ${tag}`);
    const tagEnd = o;
    const fields: EditFieldAt[] = [];
    for (const field of spec.fields) {
      const from = o;
      if (field.shape === 'bytes') {
        const n = num(`${field.what} length`);
        if (o + n > p.length) throw corrupt(file, base + o, `a version edit's ${field.what} runs past the record`);
        fields.push({ field, at: from, end: o + n, value: p.slice(o, o + n), bytesAt: o });
        o += n;
      } else {
        const v = num(field.what);
        if (field.shape === 'level') level(v, file, base + at);
        fields.push({ field, at: from, end: o, value: v });
      }
    }
    each(tag, at, tagEnd, fields);
  }
}

/** Decodes a version edit payload found at `base` in `file`. */
export function decodeEdit(p: Uint8Array, file: string, base: number): VersionEdit {
  const e: VersionEdit = { deleted: [], added: [] };
  walkEdit(p, file, base, (tag, _at, _end, fields) => {
    const v = fields.map((f) => f.value);
    const n = (i: number): number => v[i] as number;
    if (tag === TAG_LOG) e.logNumber = n(0);
    else if (tag === TAG_NEXT_FILE) e.nextFile = n(0);
    else if (tag === TAG_LAST_SEQ) e.lastSeq = n(0);
    else if (tag === TAG_DELETED) e.deleted.push({ level: n(0), number: n(1) });
    else if (tag === TAG_ADDED) {
      const f: FileMeta = {
        number: n(1),
        size: n(2),
        entries: n(3),
        tombstones: n(4),
        minSeq: n(5),
        maxSeq: n(6),
        smallest: v[7] as Uint8Array,
        largest: v[8] as Uint8Array,
      };
      e.added.push({ level: n(0), file: f });
    } else if (tag === TAG_SEALED) (e.sealed ??= []).push({ number: n(0), bytes: n(1) });
  });
  return e;
}

/** The number of levels, L0 to L6, as in LevelDB (an edit's level field must be below it). */
export const LEVELS = 7;

/** Checks a level number read from a file. */
function level(n: number, file: string, offset: number): number {
  if (n >= LEVELS) throw corrupt(file, offset, `level ${n} is not below ${LEVELS}`);
  return n;
}
