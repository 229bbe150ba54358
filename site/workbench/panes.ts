/**
 * panes.ts: models that turn a frame into what each pane draws, as plain data. No DOM.
 *
 *   filesModel   each file as a strip of records, each record split into its fields
 *   stripLayout  where each byte range of a file sits on a wrapped strip of a given width
 *   hexModel     the annotated hex view of the bytes the step wrote or read
 *   eventLines   the event list of the step's command, one line per event
 */
import type { TraceEvent } from '../../engines/registry-types.js';
import type { EngineAdapter, FieldKind, FieldSpan } from './adapter.js';
import { fieldAt, type Frame } from './frame.js';
import type { StepEvent } from './recorder.js';
import type { Recorder } from './recorder.js';

/** A file as the files pane draws it. */
export interface FileModel {
  name: string;
  role: string;
  size: number;
  fields: (FieldSpan & { kind: FieldKind })[];
  /** Records: their byte range, the key they hold (when known), and whether they are live. */
  records: { record: number; offset: number; length: number; key: string | undefined; live: boolean }[];
  unsynced: [number, number][];
  entryDurable: boolean;
  /** The byte range this step wrote or read in this file. */
  touched: { offset: number; length: number; kind: 'write' | 'read' } | undefined;
  /** The record the focused in-memory entry points at (a keydir entry's record). */
  target: { offset: number; length: number } | undefined;
}

/** A file's fields with their colour kinds (the engine's describer's, cached in fields.ts). */
export function fieldsOf(ad: EngineAdapter, name: string, bytes: Uint8Array): (FieldSpan & { kind: FieldKind })[] {
  return ad.fileFields(name, bytes) as (FieldSpan & { kind: FieldKind })[];
}

/** Builds the files pane model for a frame. */
export function filesModel(frame: Frame, ad: EngineAdapter): FileModel[] {
  // Where the focused entry points, if it points anywhere (the keydir does; a dict does not).
  const focus =
    frame.focusKey !== undefined ? frame.memory?.rows.find((r) => r.id === frame.focusKey)?.target : undefined;
  return frame.disk.files.map((f) => {
    const fields = fieldsOf(ad, f.name, f.bytes);
    const live = ad.liveRecords?.(f.name, fields, frame.inspect);
    // Group fields into records.
    const byRecord = new Map<number, { record: number; offset: number; end: number; key: string | undefined }>();
    for (const x of fields) {
      if (x.record === undefined) continue;
      const r = byRecord.get(x.record) ?? {
        record: x.record,
        offset: x.offset,
        end: x.offset + x.length,
        key: undefined,
      };
      r.offset = Math.min(r.offset, x.offset);
      r.end = Math.max(r.end, x.offset + x.length);
      if (x.kind === 'key' && x.text !== undefined) r.key = x.text;
      byRecord.set(x.record, r);
    }
    const records = [...byRecord.values()].map((r) => ({
      record: r.record,
      offset: r.offset,
      length: r.end - r.offset,
      key: r.key,
      live: live ? live.has(r.record) : true,
    }));
    const t = frame.touch && frame.touch.step === frame.step && frame.touch.file === f.name ? frame.touch : undefined;
    return {
      name: f.name,
      role: ad.fileRole(f.name),
      size: f.bytes.length,
      fields,
      records,
      unsynced: f.unsynced,
      entryDurable: f.entryDurable,
      touched: t ? { offset: t.offset, length: t.length, kind: t.kind } : undefined,
      target: focus && focus.file === f.name ? recordAround(records, focus.offset) : undefined,
    };
  });
}

/** The record whose bytes include `offset` (a value offset), as a byte range. */
function recordAround(records: FileModel['records'], offset: number): { offset: number; length: number } | undefined {
  const r = records.find((x) => x.offset <= offset && offset <= x.offset + x.length);
  return r ? { offset: r.offset, length: r.length } : undefined;
}

/** One piece of a byte range on a wrapped strip. */
export interface Segment {
  row: number;
  x: number;
  width: number;
}

/** How a file's bytes map onto rows of a strip. */
export interface StripScale {
  /** Pixels per byte. */
  px: number;
  /** Bytes per row. */
  perRow: number;
}

/**
 * Chooses pixels per byte so the largest file fits in `maxRows` rows of `width` pixels,
 * between `minPx` and `maxPx` (a tiny file is drawn large enough to read).
 */
export function stripScale(largest: number, width: number, maxRows = 6, minPx = 0.25, maxPx = 10): StripScale {
  const w = Math.max(40, width);
  let px = largest > 0 ? (w * maxRows) / largest : maxPx;
  px = Math.max(minPx, Math.min(maxPx, px));
  const perRow = Math.max(1, Math.floor(w / px));
  return { px, perRow };
}

/** The segments a byte range [offset, offset+length) occupies on the strip. */
export function segments(offset: number, length: number, s: StripScale): Segment[] {
  const out: Segment[] = [];
  let o = offset;
  const end = offset + Math.max(length, 0);
  while (o < end) {
    const row = Math.floor(o / s.perRow);
    const rowEnd = (row + 1) * s.perRow;
    const e = Math.min(end, rowEnd);
    out.push({ row, x: (o - row * s.perRow) * s.px, width: (e - o) * s.px });
    o = e;
  }
  return out;
}

/** Rows a file of `size` bytes takes (at least one). */
export function rowsFor(size: number, s: StripScale): number {
  return Math.max(1, Math.ceil(size / s.perRow));
}

/** One byte of the hex view. */
export interface HexByte {
  offset: number;
  value: number;
  /** Index into `legend`, or -1 when no field covers it. */
  field: number;
}

/** The annotated hex view. */
export interface HexModel {
  title: string;
  /** What the bytes are: what the step wrote or read, or a range the reader selected in a diagram. */
  kind: 'write' | 'read' | 'select';
  file: string;
  offset: number;
  length: number;
  /** True when this is an earlier step's bytes (the current step touched none). */
  earlier: boolean;
  rows: { offset: number; bytes: HexByte[] }[];
  /** The fields the shown bytes fall in, with their kind and decoded value. */
  legend: {
    name: string;
    kind: FieldKind;
    record: number | undefined;
    text: string | undefined;
    offset: number;
    length: number;
  }[];
  /** Bytes not shown (beyond the display limit). */
  hidden: number;
  /** The selected byte range [start, end) of the file, for a selection. */
  selected?: [number, number];
}

/** The most bytes the hex view shows. */
export const HEX_SHOW = 256;

/** Builds the hex view for a frame, or undefined when its command touched no bytes yet. */
export function hexModel(frame: Frame, ad: EngineAdapter, perRow = 16, show = HEX_SHOW): HexModel | undefined {
  const t = frame.touch;
  if (!t) return undefined;
  // The fields of the whole file as it was at that step: the bytes read or written are part of it.
  const fields = fieldsOf(ad, t.file, t.fileBytes);
  const legend: HexModel['legend'] = [];
  const legendOf = new Map<number, number>();
  const n = Math.min(t.bytes.length, show);
  const rows: HexModel['rows'] = [];
  // Rows align to multiples of perRow in the file, as hexdump does.
  const first = t.offset - (t.offset % perRow);
  for (let o = first; o < t.offset + n; o += perRow) {
    const bytes: HexByte[] = [];
    for (let k = o; k < o + perRow && k < t.offset + n; k++) {
      if (k < t.offset) continue;
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
      bytes.push({ offset: k, value: t.bytes[k - t.offset]!, field: li });
    }
    rows.push({ offset: o, bytes });
  }
  const verb = t.kind === 'write' ? 'wrote' : 'read';
  return {
    title: `${verb} ${t.length} B of ${t.file} at offset ${t.offset}`,
    kind: t.kind,
    file: t.file,
    offset: t.offset,
    length: t.length,
    earlier: t.step !== frame.step,
    rows,
    legend,
    hidden: Math.max(0, t.length - n),
  };
}

/** One line of the event list. */
export interface EventLine {
  step: number;
  family: 'op' | 'io' | 'engine' | 'workbench';
  text: string;
  error: boolean;
}

/** Describes any event on one line. */
export function describeEvent(e: StepEvent, ad: EngineAdapter): string {
  switch (e.type) {
    case 'op': {
      if (e.phase === 'begin') {
        const args = [e.key, e.value].filter((x) => x !== undefined).join(' ');
        return `▸ ${e.op}${args ? ' ' + args : ''}${e.detail ? ` (${e.detail})` : ''}`;
      }
      return `◂ ${e.op} ${e.error ? `failed: ${e.error}` : e.result ? `→ ${e.result}` : 'done'}`;
    }
    case 'io': {
      const file = e.path.slice(e.path.lastIndexOf('/') + 1);
      const err = e.error ? ` FAILED (${e.error})` : '';
      switch (e.call) {
        case 'write':
          return `write ${file} @${e.offset} +${e.length} B${err}`;
        case 'read':
          return `read ${file} @${e.offset} ${e.length} B${err}`;
        case 'rename':
          return `rename ${file} → ${(e.to ?? '').slice((e.to ?? '').lastIndexOf('/') + 1)}${err}`;
        case 'syncDir':
          return `fsync directory ${e.path}${err}`;
        case 'sync':
          return `fsync ${file}${err}`;
        case 'truncate':
          return `truncate ${file} to ${e.length} B${err}`;
        default:
          return `${e.call} ${file}${err}`;
      }
    }
    case 'workbench':
      return `⚡ ${e.text}`;
    default:
      return ad.describe(e as TraceEvent) ?? `${e.type} ${JSON.stringify({ ...e, type: undefined })}`;
  }
}

/**
 * The event list for a frame: its command's events, one line each, at most `window` on
 * each side of the current step (a fill of 200 keys is a thousand events). A cut end is
 * one line saying how many events it hides.
 */
export function eventLines(rec: Recorder, frame: Frame, window = 40): EventLine[] {
  const out: EventLine[] = [];
  const first = Math.max(frame.command.firstStep, frame.step - window);
  const end = Math.min(frame.command.endStep, frame.step + window + 1);
  if (first > frame.command.firstStep)
    out.push({
      step: -1,
      family: 'workbench',
      text: `… ${first - frame.command.firstStep} earlier events`,
      error: false,
    });
  for (let j = first; j < end; j++) {
    const e = rec.steps[j]!.event;
    const family = e.type === 'op' ? 'op' : e.type === 'io' ? 'io' : e.type === 'workbench' ? 'workbench' : 'engine';
    const error = (e.type === 'io' && !!e.error) || (e.type === 'op' && e.phase === 'end' && !!e.error);
    out.push({ step: j, family, text: describeEvent(e, rec.adapter), error });
  }
  if (end < frame.command.endStep)
    out.push({ step: -2, family: 'workbench', text: `… ${frame.command.endStep - end} later events`, error: false });
  return out;
}

/** Formats a byte count for counters: 512 B, 1.5 KiB, 2.0 MiB. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}
