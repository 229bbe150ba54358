/**
 * step.ts: what the recorder keeps for each step of the timeline. No DOM.
 *
 * A step is one event (an engine's trace event, or one the workbench adds: a crash, a fault,
 * a reset) and the one state every pane draws at that step: the engine's own inspect() and
 * stats() as they were right after the event (a Picture), the I/O totals so far, and, for a
 * write, the exact bytes written (the disk is rebuilt from those, see disk.ts).
 */
import type { EngineSnapshot, StoreStats, TraceEvent } from '../../engines/browser.js';

/** A step the workbench adds itself: things that happen to the machine, not in the engine. */
export interface WorkbenchEvent {
  type: 'workbench';
  what: 'crash' | 'fault' | 'reset' | 'corrupt' | 'refused';
  text: string;
  /** For `corrupt`: the byte that changed on disk (frames apply it to the disk they rebuild). */
  damage?: { file: string; offset: number; before: number; after: number };
}

/** Any event on the timeline. */
export type StepEvent = TraceEvent | WorkbenchEvent;

/** Whether a store is open, closed by the reader, or gone in a crash. */
export type StoreState = 'open' | 'closed' | 'crashed';

/** Running I/O totals since the page loaded (across reopens), from the io events so far. */
export interface Counters {
  bytesWritten: number;
  bytesRead: number;
  syncs: number;
  writes: number;
  reads: number;
}

/**
 * The engine as it was right after a step's event. `inspect` and `stats` are null when no
 * store is open, and while a store is recovering before its structures can be read.
 */
export interface Picture {
  state: StoreState;
  /** True while the store is being opened (recovery in progress). */
  opening: boolean;
  inspect: EngineSnapshot | null;
  stats: StoreStats | null;
}

/** One event on the timeline, with everything the panes need at it. */
export interface Step {
  command: number;
  event: StepEvent;
  counters: Counters;
  picture: Picture;
  /** For a write: the bytes it wrote, exactly (the trace's hex is cut for big writes). */
  data?: Uint8Array;
}
