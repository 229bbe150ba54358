/**
 * fields.ts: a file's fields for the workbench's panes, from the engine's own describer
 * (engines/<engine>/layout.ts, through describeFile). The site decodes no byte layout itself:
 * each field's name, kind, value and the unit it belongs to are the describer's.
 *
 * The panes number a file's units as "records": every top-level group but the file's own
 * header, trailer or text, and a tail that does not decode, from 0 in file order. So a B+tree page's record is its page id, an
 * SSTable's data blocks come first, then its filter, index and footer.
 */
import { describeFile, type EngineName, type Group, type Span, type SpanKind } from '../../engines/browser.js';
import { bytesText, type FieldKind, type FieldSpan } from './adapter.js';

/** Top-level units that belong to the file as a whole, not to one of its records. */
const FILE_PARTS = new Set(['header', 'trailer', 'text', 'malformed']);

/** The pane colour of a describer's span kind. */
const KIND: Record<SpanKind, FieldKind> = {
  header: 'header',
  length: 'length',
  crc: 'crc',
  seq: 'time',
  flag: 'flag',
  key: 'key',
  value: 'value',
  pointer: 'pointer',
  filter: 'filter',
  unused: 'unused',
  malformed: 'raw',
};

/** A span's value as the hex legend shows it. */
function textOf(s: Span): string | undefined {
  let v: string | undefined;
  if (s.value instanceof Uint8Array) v = bytesText(s.value);
  else if (typeof s.value === 'number')
    v = s.kind === 'crc' ? `0x${s.value.toString(16).padStart(8, '0')}` : String(s.value);
  else if (typeof s.value === 'string') v = JSON.stringify(s.value);
  if (s.note && v !== undefined) return `${v} (${s.note})`;
  return s.note ?? v;
}

/** Every span of a group, depth first. */
function spansOf(g: Group): Span[] {
  return [...g.spans, ...(g.children ?? []).flatMap(spansOf)];
}

/** The fields of a file the describer split into `groups`. */
export function fieldsFromGroups(groups: readonly Group[]): FieldSpan[] {
  const out: FieldSpan[] = [];
  let record = 0;
  for (const g of groups) {
    const r = FILE_PARTS.has(g.unit) ? undefined : record++;
    for (const s of spansOf(g)) {
      const f: FieldSpan = {
        offset: s.offset,
        length: s.length,
        name: s.name,
        kind: KIND[s.kind],
        unit: { kind: g.unit, label: g.label },
      };
      if (r !== undefined) f.record = r;
      const t = textOf(s);
      if (t !== undefined) f.text = t;
      out.push(f);
    }
  }
  return out;
}

/** Fields by engine, file name and content, most recent last (a small LRU). */
const CACHE = new Map<string, FieldSpan[]>();
const CACHE_SIZE = 64;

/** FNV-1a of the bytes: a cheap content key (a collision only mislabels a picture, never data). */
function fnv(b: Uint8Array): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < b.length; i++) h = Math.imul(h ^ b[i]!, 0x01000193);
  return h >>> 0;
}

/**
 * The fields of one of `engine`'s files (none for a file the engine does not know), described
 * once per distinct content: replaying steps reads the same bytes many times, and describing
 * checks every checksum.
 */
export function engineFields(engine: EngineName, name: string, bytes: Uint8Array): FieldSpan[] {
  const key = `${engine}:${name}:${bytes.length}:${fnv(bytes)}`;
  let fields = CACHE.get(key);
  if (fields) CACHE.delete(key);
  else {
    fields = fieldsFromGroups(describeFile(engine, name, bytes) ?? []);
    if (CACHE.size >= CACHE_SIZE) CACHE.delete(CACHE.keys().next().value!);
  }
  CACHE.set(key, fields);
  return fields;
}
