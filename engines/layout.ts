/**
 * layout.ts: the shape every engine's file describer returns: a file as named spans of bytes,
 * grouped into the units the engine writes (records, pages, blocks, frames, edits).
 *
 * Each engine has one describer per file type, next to its format code
 * (engines/<engine>/layout.ts). It walks the bytes the way the decoder does and says, for
 * every byte, which field it belongs to, what kind of field that is and what it decodes to.
 * `kv dump` and `kv dump --hex` print it; the site's hex view draws it; the tests check it
 * against the decoders. A describer never throws on bad bytes: the first part that does not
 * decode becomes a `malformed` span saying why, and the walk of that unit stops there.
 *
 * Invariants of a describer's output (the layout tests check them for every engine):
 *   - a group holds either spans or child groups, never both, in offset order, tiling it;
 *   - the top-level groups tile the file: every byte is in exactly one span;
 *   - key and value spans hold the bytes the decoder returns, length spans the lengths the
 *     decoder uses, crc spans the checksum stored and the one the covered bytes give.
 */

/** What a run of bytes is. A small closed set, so every reader can colour and explain it. */
import { display } from './bytes.js';

export type SpanKind =
  /** a fixed field that says what the structure is: a magic number, a version, a page type */
  | 'header'
  /** a length or a count: how many bytes or items follow */
  | 'length'
  /** a checksum over other bytes */
  | 'crc'
  /** a sequence number, a transaction id or a file-number counter: which write is newer */
  | 'seq'
  /** flag bits, an entry kind or a tag: how to read what follows */
  | 'flag'
  /** key bytes, or the part of a key an entry stores (a prefix-compressed key's new bytes) */
  | 'key'
  /** value bytes, or the part of a value a unit stores (an overflow page's share) */
  | 'value'
  /** where something else is: a page id, an offset, a file number or name, a block handle */
  | 'pointer'
  /** a bloom filter's bits: which keys may be present */
  | 'filter'
  /** bytes the format does not read: reserved, free space, a free page's stale bytes */
  | 'unused'
  /** bytes that do not decode (a torn tail, garbage); the walk of their unit stops at them */
  | 'malformed';

/** The kinds, in the order a legend lists them. */
export const SPAN_KINDS: readonly SpanKind[] = [
  'header',
  'length',
  'crc',
  'seq',
  'flag',
  'key',
  'value',
  'pointer',
  'filter',
  'unused',
  'malformed',
];

/** What a pointer span points at: a byte offset in this file or another, or another file whole. */
export interface SpanTarget {
  /** The file pointed at; absent means the file the span is in. */
  file?: string;
  /** The byte offset pointed at; absent means the file as a whole. */
  offset?: number;
}

/** One field: a run of bytes with a name, a kind and what it decodes to. */
export interface Span {
  /** Byte offset in the file. */
  offset: number;
  length: number;
  /** The field's name as the engine's format.ts calls it (camelCase): crc, keyLength, childPage. */
  name: string;
  kind: SpanKind;
  /** What it decodes to: a number, text (a magic number, a file name), or the bytes (keys, values). */
  value?: number | string | Uint8Array;
  /** The value in words, where a number alone does not say it: "leaf", "tombstone", "matches", or why it is malformed. */
  note?: string;
  /** For a crc span: the checksum the bytes it covers give (equal to `value` when they are intact). */
  computed?: number;
  /** For a pointer span: what it points at (absent for a null pointer such as page 0). */
  target?: SpanTarget;
}

/** One unit of a file: a header, a record, a page, a block, a frame, an edit, a trailer. */
export interface Group {
  offset: number;
  length: number;
  /** What the unit is: 'header', 'record', 'page', 'block', 'entry', 'edit', 'trailer', ... */
  unit: string;
  /** One line saying what it holds, e.g. "seq 3 put apple = red". */
  label: string;
  /** Its fields (for a group without children). */
  spans: Span[];
  /** Its parts (for a group without spans of its own). */
  children?: Group[];
}

/** A span; `extra` adds a value, a note, a checksum or a target. */
export function span(offset: number, length: number, name: string, kind: SpanKind, extra: Partial<Span> = {}): Span {
  return { offset, length, name, kind, ...extra };
}

/** A group of fields, spanning from its first span to the end of its last. */
export function fieldGroup(unit: string, label: string, spans: Span[]): Group {
  const first = spans[0];
  const last = spans[spans.length - 1];
  const offset = first ? first.offset : 0;
  return { offset, length: last ? last.offset + last.length - offset : 0, unit, label, spans };
}

/** A group of groups, spanning from its first child to the end of its last. */
export function parentGroup(unit: string, label: string, children: Group[]): Group {
  const first = children[0];
  const last = children[children.length - 1];
  const offset = first ? first.offset : 0;
  return { offset, length: last ? last.offset + last.length - offset : 0, unit, label, spans: [], children };
}

/** The group for bytes [offset, end) that do not decode, saying why. */
export function malformed(offset: number, end: number, reason: string): Group {
  return fieldGroup('malformed', `${end - offset} bytes that do not decode: ${reason}`, [
    span(offset, end - offset, 'malformed', 'malformed', { note: reason }),
  ]);
}

/** The group for bytes [offset, end) the format does not read, named `name`. */
export function unused(offset: number, end: number, name: string, label: string): Group {
  return fieldGroup('unused', label, [span(offset, end - offset, name, 'unused')]);
}

/** Every span of the groups, depth first, in file order. */
export function allSpans(groups: readonly Group[]): Span[] {
  const out: Span[] = [];
  const walk = (g: Group): void => {
    out.push(...g.spans);
    for (const c of g.children ?? []) walk(c);
  };
  for (const g of groups) walk(g);
  return out;
}

/** The first malformed span of the groups, if any: where the walk stopped, and why. */
export function firstMalformed(groups: readonly Group[]): Span | undefined {
  return allSpans(groups).find((s) => s.kind === 'malformed');
}

/**
 * Bounds-checked little-endian reads of one file's bytes: every read past the end gives
 * undefined, never a RangeError, so a describer can walk any bytes at all.
 */
export class ByteReader {
  private readonly dv: DataView;

  /** A reader over `bytes` (a view is fine). */
  constructor(readonly bytes: Uint8Array) {
    this.dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  /** The file's length. */
  get length(): number {
    return this.bytes.length;
  }

  /** True when [at, at + n) lies inside the bytes. */
  has(at: number, n: number): boolean {
    return at >= 0 && n >= 0 && at + n <= this.bytes.length;
  }

  /** A uint8, or undefined past the end. */
  u8(at: number): number | undefined {
    return this.has(at, 1) ? this.bytes[at]! : undefined;
  }

  /** A uint16 LE, or undefined past the end. */
  u16(at: number): number | undefined {
    return this.has(at, 2) ? this.dv.getUint16(at, true) : undefined;
  }

  /** A uint32 LE, or undefined past the end. */
  u32(at: number): number | undefined {
    return this.has(at, 4) ? this.dv.getUint32(at, true) : undefined;
  }

  /** A uint64 LE stored as two uint32 halves (low first), exact up to 2^53; undefined past the end. */
  u64(at: number): number | undefined {
    return this.has(at, 8) ? this.dv.getUint32(at, true) + this.dv.getUint32(at + 4, true) * 0x1_0000_0000 : undefined;
  }

  /** The bytes [at, at + n) as a view, or undefined when they run past the end. */
  slice(at: number, n: number): Uint8Array | undefined {
    return this.has(at, n) ? this.bytes.subarray(at, at + n) : undefined;
  }

  /** The bytes [at, at + n) as ASCII text, or undefined past the end. */
  ascii(at: number, n: number): string | undefined {
    const b = this.slice(at, n);
    return b && String.fromCharCode(...b);
  }
}

/** Bytes as a dump line shows them (cut at 40 characters); the empty key as "". */
export function shown(b: Uint8Array): string {
  return b.length === 0 ? '""' : display(b, 40);
}

/** A uint32 as 8 hex digits, as checksums are shown. */
export function hex8(n: number): string {
  return n.toString(16).padStart(8, '0');
}

/** The note of a crc span: whether the stored checksum matches the computed one. */
export function crcNote(stored: number, computed: number): string {
  return stored === computed ? 'matches' : `MISMATCH: the bytes give ${hex8(computed)}`;
}
