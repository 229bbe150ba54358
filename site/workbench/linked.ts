/**
 * linked.ts: diagrams and bytes linked, as plain data. No DOM.
 *
 *   targetRange   a diagram element (a record, a page, a block, an SSTable, an in-memory
 *                 entry) -> the exact byte range of the file that holds it
 *   ownerAt       a byte of a file -> the structure it belongs to (record, page, block...),
 *                 the field it falls in, and what the diagrams should light up for it
 *   selectionHex  the hex view of a selected range, with the file's fields around it
 *
 * Everything is computed from a frame's disk (the trace's picture of the files at that step)
 * and the adapter's own field decoders, so a click shows the bytes the engine really wrote.
 */
import { kindOf, type EngineAdapter, type FieldSpan } from './adapter.js';
import { fieldAt } from './frame.js';
import type { DiskState } from './disk.js';
import { fieldsOf, type HexModel } from './panes.js';
import { filePageSize } from './engines/btree/fields.js';

/** Something in a diagram the reader can click. */
export type DiagramTarget =
  /** A record (or block, or page) drawn in the files pane: `record` as the adapter's fields number it. */
  | { kind: 'record'; file: string; record: number }
  /** An in-memory entry: its key, and where it points on disk when it does (a keydir entry). */
  | { kind: 'entry'; key: string; target?: { file: string; offset: number; length: number } | undefined }
  /** A B+tree page by id. */
  | { kind: 'page'; file: string; page: number }
  /** A whole file (an SSTable in the levels view). */
  | { kind: 'table'; file: string };

/** A byte range of one file, with what it is. */
export interface LinkedRange {
  file: string;
  offset: number;
  length: number;
  /** What the range is, e.g. "record 3 of 000001.data", "page 2 of btree.db". */
  label: string;
  /** The record number the range is, when it is one. */
  record?: number;
}

/** What a byte belongs to. */
export interface ByteOwner {
  file: string;
  offset: number;
  /** The field the byte falls in (none for a torn tail no decoder explains). */
  field: FieldSpan | undefined;
  /** The record (page, block) it belongs to, and that record's byte range. */
  record: number | undefined;
  recordRange: { offset: number; length: number } | undefined;
  /** The structure's name, e.g. "record 2", "page 3", "data block 0", "footer". */
  structure: string;
  /** The key the record holds (its first key field), unquoted, when it has one. */
  key: string | undefined;
  /** One line naming the field, e.g. `keyLength of record 2 = 5 (1 B at 13)`. */
  text: string;
}

/** The byte range of each record of a file, from its fields. */
export function recordRanges(fields: readonly FieldSpan[]): Map<number, { offset: number; length: number }> {
  const out = new Map<number, { offset: number; end: number }>();
  for (const f of fields) {
    if (f.record === undefined) continue;
    const r = out.get(f.record);
    if (r) {
      r.offset = Math.min(r.offset, f.offset);
      r.end = Math.max(r.end, f.offset + f.length);
    } else out.set(f.record, { offset: f.offset, end: f.offset + f.length });
  }
  return new Map([...out].map(([k, r]) => [k, { offset: r.offset, length: r.end - r.offset }]));
}

/** A key field's text without the quotes bytesText puts around printable keys. */
export function unquote(t: string): string {
  return t.length >= 2 && t.startsWith('"') && t.endsWith('"') ? t.slice(1, -1) : t;
}

/** The name of record `record` of `file` as the engine's lesson calls it. */
export function structureName(
  ad: EngineAdapter,
  file: string,
  record: number | undefined,
  fields: readonly FieldSpan[],
): string {
  void ad;
  void file;
  if (record === undefined) return fields.length ? 'file header' : 'bytes';
  // The engine's describer says what each unit is; the hex view names it the same way.
  const mine = fields.filter((f) => f.record === record);
  const unit = mine[0]?.unit;
  switch (unit?.kind) {
    case 'page':
      return `page ${record}`;
    case 'block':
      return unit.label.split(':')[0]!;
    case 'filter':
      return 'filter block';
    case 'index':
      return 'index block';
    case 'footer':
      return 'footer';
    case 'edit':
      return `edit ${record}`;
    case 'hint':
      return `hint entry ${record}`;
    case 'record':
    case 'tombstone': {
      // The trace names a record by its sequence number: so does the hex view.
      const seq = mine.find((f) => f.name === 'seq')?.text;
      return seq !== undefined ? `record ${record} (seq ${seq})` : `record ${record}`;
    }
    default:
      return `${unit?.kind ?? 'record'} ${record}`;
  }
}

/** The file named `name` on `disk`. */
function fileOf(disk: DiskState, name: string): Uint8Array | undefined {
  return disk.files.find((f) => f.name === name)?.bytes;
}

/** The byte range a diagram element stands for on `disk`, or undefined when no file holds it. */
export function targetRange(ad: EngineAdapter, disk: DiskState, t: DiagramTarget): LinkedRange | undefined {
  switch (t.kind) {
    case 'record': {
      const bytes = fileOf(disk, t.file);
      if (!bytes) return undefined;
      const fields = fieldsOf(ad, t.file, bytes);
      const r = recordRanges(fields).get(t.record);
      return r
        ? { file: t.file, ...r, record: t.record, label: `${structureName(ad, t.file, t.record, fields)} of ${t.file}` }
        : undefined;
    }
    case 'page': {
      const bytes = fileOf(disk, t.file);
      const P = bytes && filePageSize(bytes);
      if (!bytes || !P || (t.page + 1) * P > bytes.length || t.page < 0) return undefined;
      return { file: t.file, offset: t.page * P, length: P, record: t.page, label: `page ${t.page} of ${t.file}` };
    }
    case 'table': {
      const bytes = fileOf(disk, t.file);
      return bytes ? { file: t.file, offset: 0, length: bytes.length, label: `the whole of ${t.file}` } : undefined;
    }
    case 'entry':
      return entryRange(ad, disk, t.key, t.target);
  }
}

/**
 * An in-memory entry's bytes: the record its pointer lands in (a keydir entry points at a
 * value); a cached page's page; else the newest record on disk holding its key (the last file
 * in name order, the last record in it): the log record of a memtable entry, a snapshot entry.
 */
function entryRange(
  ad: EngineAdapter,
  disk: DiskState,
  key: string,
  target?: { file: string; offset: number; length: number },
): LinkedRange | undefined {
  if (target) {
    const bytes = fileOf(disk, target.file);
    if (bytes) {
      const fields = fieldsOf(ad, target.file, bytes);
      for (const [record, r] of recordRanges(fields)) {
        if (r.offset <= target.offset && target.offset + target.length <= r.offset + r.length) {
          return {
            file: target.file,
            ...r,
            record,
            label: `${structureName(ad, target.file, record, fields)} of ${target.file}, where the entry for ${key} points`,
          };
        }
      }
    }
  }
  const page = /^page (\d+)$/.exec(key);
  if (ad.engine === 'btree' && page) {
    for (const f of disk.files) {
      const r = targetRange(ad, disk, { kind: 'page', file: f.name, page: Number(page[1]) });
      if (r) return r;
    }
    return undefined;
  }
  let found: LinkedRange | undefined;
  for (const f of disk.files) {
    const fields = fieldsOf(ad, f.name, f.bytes);
    const ranges = recordRanges(fields);
    for (const x of fields) {
      if (x.record === undefined || kindOf(x) !== 'key' || x.text === undefined || unquote(x.text) !== key) continue;
      const r = ranges.get(x.record)!;
      found = {
        file: f.name,
        ...r,
        record: x.record,
        label: `${structureName(ad, f.name, x.record, fields)} of ${f.name}, which holds ${key}`,
      };
    }
  }
  return found;
}

/** What the byte at `offset` of `file` belongs to. */
export function ownerAt(ad: EngineAdapter, file: string, bytes: Uint8Array, offset: number): ByteOwner {
  const fields = fieldsOf(ad, file, bytes);
  const i = fieldAt(fields, offset);
  const field = i >= 0 ? fields[i] : undefined;
  const record = field?.record;
  const recordRange = record !== undefined ? recordRanges(fields).get(record) : undefined;
  const keyField =
    record !== undefined
      ? fields.find((x) => x.record === record && kindOf(x) === 'key' && x.text !== undefined)
      : undefined;
  const key = keyField ? unquote(keyField.text!) : undefined;
  const structure = structureName(ad, file, record, fields);
  let text: string;
  if (!field) text = `byte ${offset} of ${file}: no field explains it (a torn or unused tail)`;
  else {
    const where = record !== undefined ? ` of ${structure}` : '';
    const val = field.text !== undefined ? ` = ${field.text}` : '';
    text = `${field.name}${where}${val} (${field.length} B at ${field.offset} of ${file})`;
  }
  return { file, offset, field, record, recordRange, structure, key, text };
}

/** The most bytes the hex view shows for a selection. */
export const SELECT_SHOW = 1024;
/** Bytes of context shown before and after a selection (whole rows). */
const CONTEXT_ROWS = 2;

/**
 * The hex view of a selected range: the selection plus a couple of rows either side (at most
 * SELECT_SHOW bytes), every byte coloured by its field, the selected ones marked.
 */
export function selectionHex(
  ad: EngineAdapter,
  disk: DiskState,
  range: LinkedRange,
  perRow = 16,
  show = SELECT_SHOW,
): HexModel | undefined {
  const bytes = fileOf(disk, range.file);
  if (!bytes) return undefined;
  const fields = fieldsOf(ad, range.file, bytes);
  const selEnd = Math.min(bytes.length, range.offset + range.length);
  const start = Math.max(0, range.offset - (range.offset % perRow) - CONTEXT_ROWS * perRow);
  const rowEnd = Math.ceil(selEnd / perRow) * perRow;
  const end = Math.min(bytes.length, rowEnd + CONTEXT_ROWS * perRow, start + show);
  const legend: HexModel['legend'] = [];
  const legendOf = new Map<number, number>();
  const rows: HexModel['rows'] = [];
  for (let o = start; o < end; o += perRow) {
    const row: HexModel['rows'][number] = { offset: o, bytes: [] };
    for (let k = o; k < o + perRow && k < end; k++) {
      const fi = fieldAt(fields, k);
      let li = -1;
      if (fi >= 0) {
        li = legendOf.get(fi) ?? -1;
        if (li < 0) {
          const f = fields[fi]!;
          li = legend.length;
          legendOf.set(fi, li);
          legend.push({
            name: f.name,
            kind: f.kind,
            record: f.record,
            text: f.text,
            offset: f.offset,
            length: f.length,
          });
        }
      }
      row.bytes.push({ offset: k, value: bytes[k]!, field: li });
    }
    rows.push(row);
  }
  return {
    title: `${range.label}: ${range.length} B at offset ${range.offset}`,
    kind: 'select',
    file: range.file,
    offset: range.offset,
    length: range.length,
    earlier: false,
    rows,
    legend,
    hidden: Math.max(0, selEnd - end),
    selected: [range.offset, selEnd],
  };
}
