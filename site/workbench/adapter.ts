/**
 * adapter.ts: what the workbench needs to know about one engine, in one interface. No DOM.
 *
 * The recorder, the frames and the panes are the same for every engine. An adapter says, for
 * its engine, how to turn the engine's own inspect() picture into the in-memory pane, what
 * its trace events mean in a sentence, how its files split into fields, which scenarios its
 * lesson offers, and (optionally) how to build the model of a structure picture. Every one of
 * these is a pure function of one step's state: nothing here keeps a tally between steps.
 * Drawing is not an adapter's job: render/ draws the structure models.
 */
import type { EngineName, EngineSnapshot, StoreOptions, StoreStats, TraceEvent } from '../../engines/browser.js';
import type { DiskState } from './disk.js';
import type { StepEvent, StoreState } from './step.js';

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
  /** Its colour family, as the engine's describer declares it. */
  kind?: FieldKind;
  /** The unit it belongs to (a record, page, block, edit), as the describer names it. */
  unit?: { kind: string; label: string };
}

/** One entry of an in-memory structure (a dict entry, a keydir entry, a cached page). */
export interface MemoryRow {
  /** The key, shown and used to match the row across steps. */
  id: string;
  /** The cells after the key (a value; or file, offset, size). */
  cells: string[];
  /** Where on disk this entry points, when it does (the keydir). */
  target?: { file: string; offset: number; length: number };
  /** A group the row belongs to, drawn as a heading above its rows (e.g. "frozen memtable"). */
  group?: string;
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
}

/** A canned scenario: console lines run on a fresh store. */
export interface Scenario {
  /** The name `run <name>` takes. */
  name: string;
  /** A button label. */
  title: string;
  /** What it shows, one sentence. */
  about: string;
  commands: string[];
  /** Engine options of its own, over the widget's (e.g. a smaller bloomBitsPerKey), for the store it makes. */
  options?: Partial<StoreOptions>;
  /**
   * The command (an index into `commands`) the lesson talks about: the widget opens at its
   * start, so a long scenario is read from its key step (default: the last command).
   */
  focus?: number;
  /**
   * Or: the first command whose steps include an event of this type (a split, a flush), or
   * that this test accepts, when which command that is depends on the engine's sizes.
   */
  focusEvent?: string | ((event: StepEvent) => boolean);
}

/** One step as a structure model sees it: the engine's picture, the disk, and what the command did so far. */
export interface StepView {
  state: StoreState;
  /** The engine's inspect() right after this step's event (null: no store open, or recovering). */
  inspect: EngineSnapshot | null;
  stats: StoreStats | null;
  disk: DiskState;
  event: StepEvent;
  /** The events of this step's command, from its first step up to and including this one. */
  commandEvents: readonly StepEvent[];
  /** The command's text. */
  commandText: string;
}

/** A structure picture above the panes (a tree of pages, LSM levels): a title and a model builder. */
export interface StructureSpec<M = unknown> {
  title: string;
  /** The model render/ draws for one step: a pure function of the step. */
  model(view: StepView): M;
}

/** The engine-specific half of the workbench. */
export interface EngineAdapter {
  readonly engine: EngineName;
  /** The tuning a widget uses when the lesson gives none (small, so the pictures stay readable). */
  readonly defaultOptions: Partial<StoreOptions>;
  /** The in-memory pane for an inspect() picture (and the stats() of the same step). */
  memory(snapshot: EngineSnapshot, stats: StoreStats | null): MemoryPicture;
  /** The key (or row id) an event is about, to highlight its row. */
  focusKey(event: TraceEvent): string | undefined;
  /** A file's fields, decoded with the engine's format.ts; stops at the first malformed record. */
  fileFields(name: string, bytes: Uint8Array): FieldSpan[];
  /** What the engine calls a file (snapshot, temporary, data, hint...). */
  fileRole(name: string): string;
  /** The records of a file that the engine's picture still points at, or undefined if all are live. */
  liveRecords?(name: string, fields: FieldSpan[], snapshot: EngineSnapshot | null): Set<number> | undefined;
  /** One line describing an engine event for the event list. */
  describe(event: TraceEvent): string | undefined;
  readonly scenarios: readonly Scenario[];
  /** An extra full-width picture of the engine's structure. */
  readonly structure?: StructureSpec;
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

/** The colour family a field belongs to (the CSS classes and the legend use it). */
export type FieldKind =
  'header' | 'crc' | 'length' | 'key' | 'value' | 'time' | 'flag' | 'pointer' | 'filter' | 'unused' | 'raw';

/** A field's kind, as its describer declared it (a field without one is header bytes). */
export function kindOf(f: Pick<FieldSpan, 'kind'>): FieldKind {
  return f.kind ?? 'header';
}
