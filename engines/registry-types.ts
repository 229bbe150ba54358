/**
 * registry-types.ts: the engine registry's names and types: which engines there are, and the
 * unions of their trace events and inspect() pictures. The contract (kv.ts) and the trace
 * vocabulary (trace.ts) know no engine; adding an engine adds its name here, one member to
 * each union, and its opener in registry.ts.
 *
 * Every module these unions import (each engine's events.ts and inspect.ts, and what those
 * import) must not import kv.ts, store.ts or this module, so the types have no import cycle.
 */
import type { IoEvent, OpBeginEvent, OpEndEvent } from './trace.js';
import type { SnapshotEvent } from './snapshot/events.js';
import type { BitcaskEvent } from './bitcask/events.js';
import type { BtreeEvent } from './btree/events.js';
import type { LsmEvent } from './lsm/events.js';
import type { SnapshotInspect } from './snapshot/inspect.js';
import type { BitcaskInspect } from './bitcask/inspect.js';
import type { BtreeInspect } from './btree/inspect.js';
import type { LsmInspect } from './lsm/inspect.js';

export type { SnapshotInspect, BitcaskInspect, BtreeInspect, LsmInspect };

/** The names of the four engines, in the order the course teaches them. */
export const ENGINES = ['snapshot', 'bitcask', 'btree', 'lsm'] as const;
export type EngineName = (typeof ENGINES)[number];

/** Semantic events from the engines (each engine documents its own in its events.ts). */
export type EngineEvent = SnapshotEvent | BitcaskEvent | BtreeEvent | LsmEvent;

/** Any trace event: an operation bracket and file-system call (trace.ts), or an engine's own. */
export type TraceEvent = OpBeginEvent<EngineName> | OpEndEvent<EngineName> | IoEvent | EngineEvent;

/** A trace listener. It must not throw, and must not call back into the store. */
export type TraceListener = (event: TraceEvent) => void;

/** Any engine's inspect() picture; its `engine` field says which shape it has. */
export type EngineSnapshot = SnapshotInspect | BitcaskInspect | BtreeInspect | LsmInspect;
