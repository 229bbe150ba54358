/**
 * adapter.ts: what the workbench needs to know about one engine, in one interface.
 *
 * The recorder and the panes are the same for every engine; an adapter says how to turn
 * that engine's inspect() into the in-memory pane, how its trace events change that pane
 * between two inspect() pictures, how to split its files into fields (from the engine's own
 * format.ts decoders), and which canned scenarios its lesson offers.
 */
import type { EngineName, StoreOptions } from '../../engines/kv.js';
import type { EngineSnapshot, TraceEvent } from '../../engines/registry-types.js';
import type { Frame } from './frame.js';
import type { Recorder } from './recorder.js';

/** One field of a file: a byte range with a name, the record it belongs to, and its value as text. */
export interface FieldSpan {
  offset: number;
  length: number;
  /** The field's name as the engine's format.ts names it (crc, keyLength, key, value...). */
  name: string;
  /** The record it belongs to (0-based), absent for file headers and trailers. */
  record?: number;
  /** The decoded value, for the hex view's legend (e.g. "3", "0x1a2b3c4d", "apple"). */
  text?: string;
}

/** One entry of an in-memory structure (a dict entry, a keydir entry). */
export interface MemoryRow {
  /** The key, shown and used to match the row across steps. */
  id: string;
  /** The cells after the key (a value; or file, offset, size). */
  cells: string[];
  /** Where on disk this entry points, when it does (the keydir). */
  target?: { file: string; offset: number; length: number };
}

/** The in-memory pane: a titled table plus a few named numbers. */
export interface MemoryPicture {
  title: string;
  /** Column headings: the key column first. */
  columns: string[];
  rows: MemoryRow[];
  /** How many entries exist (rows may be fewer when inspect() cut the list). */
  total: number;
  /** A few numbers about the structure, e.g. ["unsaved writes", "3"]. */
  notes: [string, string][];
  /**
   * Live keys in the store, when the rows are not one per key (a page cache, a memtable):
   * a number, or null for "not known here" (the counters then use stats()). Absent: `total`.
   */
  keys?: number | null;
}

/** A canned scenario: console lines run one after another. */
export interface Scenario {
  /** The name `run <name>` takes. */
  name: string;
  /** A button label. */
  title: string;
  /** What it shows, one sentence. */
  about: string;
  commands: string[];
}

/** The engine-specific half of the workbench. */
export interface EngineAdapter {
  readonly engine: EngineName;
  /** The tuning a widget uses when the lesson gives none (small, so the pictures stay readable). */
  readonly defaultOptions: Partial<StoreOptions>;
  /** The in-memory pane for an inspect() picture. */
  memory(snapshot: EngineSnapshot): MemoryPicture;
  /** The pane right after open begins, before recovery has filled anything. */
  emptyMemory(): MemoryPicture;
  /**
   * How one engine event changes the pane between two inspect() pictures. `after` is the
   * picture at the end of the command, for events that say "the structure is now what is
   * on disk" (a whole-file load). Returns a new picture; never mutates `mem`.
   */
  applyEvent(mem: MemoryPicture, event: TraceEvent, after: MemoryPicture | null): MemoryPicture;
  /** The key an event is about, to highlight its row. */
  focusKey(event: TraceEvent): string | undefined;
  /** A file's fields, decoded with the engine's format.ts; stops at the first malformed record. */
  fileFields(name: string, bytes: Uint8Array): FieldSpan[];
  /** What the engine calls a file (snapshot, temporary, data, hint...). */
  fileRole(name: string): string;
  /** The records of a file that the in-memory structure still points at, or undefined if all are live. */
  liveRecords?(name: string, fields: FieldSpan[], mem: MemoryPicture | null): Set<number> | undefined;
  /** One line describing an engine event for the event list. */
  describe(event: TraceEvent): string | undefined;
  readonly scenarios: readonly Scenario[];
  /** An extra full-width picture of the engine's structure (a tree of pages, LSM levels). */
  readonly structure?: StructureView;
}

/**
 * A structure picture the element draws above the panes, at every step, from the recording
 * (the frame, and the steps and keyframes of its command): never from a live engine.
 */
export interface StructureView {
  /** The pane's heading. */
  title: string;
  /** Draws step `frame.step` into `svg`, `width` pixels wide, animating for `ms`. */
  render(svg: SVGSVGElement, width: number, frame: Frame, rec: Recorder, ms: number): void;
}

/** Reads an unsigned little-endian integer of up to 6 bytes. */
export function readUintLE(b: Uint8Array, offset: number, length: number): number {
  let n = 0;
  for (let i = Math.min(length, 6) - 1; i >= 0; i--) n = n * 256 + (b[offset + i] ?? 0);
  return n;
}

/** Text for bytes as a key or value would show: printable text in quotes, else hex. */
export function bytesText(b: Uint8Array, max = 24): string {
  let printable = true;
  for (const c of b) if (c < 0x20 || c > 0x7e) printable = false;
  if (printable) {
    const s = String.fromCharCode(...b.subarray(0, max));
    return `"${s}${b.length > max ? '…' : ''}"`;
  }
  let h = '0x';
  for (const c of b.subarray(0, max / 2)) h += c.toString(16).padStart(2, '0');
  return h + (b.length > max / 2 ? '…' : '');
}

/** The colour family a field name belongs to (the CSS classes and the legend use it). */
export type FieldKind = 'header' | 'crc' | 'length' | 'key' | 'value' | 'time' | 'flag' | 'pointer';

/** Classifies a field by its name, for colouring. */
export function fieldKind(name: string): FieldKind {
  const n = name.toLowerCase();
  if (n.includes('crc') || n.includes('checksum')) return 'crc';
  if (n.includes('length') || n.includes('size') || n === 'count' || n.endsWith('len')) return 'length';
  if (n.includes('time') || n.includes('stamp') || n === 'seq' || n.includes('sequence')) return 'time';
  if (n.includes('tomb') || n.includes('flag') || n.includes('kind') || n.includes('type')) return 'flag';
  if (n.includes('offset') || n.includes('fileid') || n.includes('pos')) return 'pointer';
  if (n === 'key' || n.endsWith('key')) return 'key';
  if (n === 'value' || n.endsWith('value')) return 'value';
  return 'header';
}
