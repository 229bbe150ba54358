/**
 * trace.ts: the trace events that are the same for every engine. The union of all trace
 * events (these and each engine's own) is TraceEvent in registry-types.ts, so this module
 * knows no engine.
 *
 * Three families:
 *   - `op` events bracket each user operation (begin, then end with its outcome);
 *   - `io` events come from the instrumented FileSystem (storage/instrumented.ts), one per
 *     read, write, truncate, sync, rename and remove, with the bytes as hex, so engines
 *     never log their own I/O;
 *   - engine events (`snapshot.*`, `bitcask.*`, `btree.*`, `lsm.*`) are emitted at the point
 *     of change: a record appended, a page split, a memtable flushed. Each engine documents
 *     its own in its events.ts.
 *
 * Cost: engines call `this.trace?.({...})`. With no listener, an optional call does not
 * evaluate its argument, so no event object is built.
 */

/** The user-visible operations an `op` event can bracket. */
export type OpName = 'open' | 'get' | 'put' | 'delete' | 'batch' | 'scan' | 'sync' | 'compact' | 'close';

/**
 * The start of a user operation. Keys and values are shown with bytes.display(). `E` is the
 * type of engine names (registry-types.ts gives EngineName).
 */
export interface OpBeginEvent<E extends string = string> {
  type: 'op';
  phase: 'begin';
  op: OpName;
  engine: E;
  key?: string;
  value?: string;
  /** For a batch: the number of ops; for a scan: the range as text. */
  detail?: string;
}

/** The end of a user operation, with what it returned or the error code it threw. */
export interface OpEndEvent<E extends string = string> {
  type: 'op';
  phase: 'end';
  op: OpName;
  engine: E;
  /** For a get: whether the key was found; for a scan: how many pairs it returned. */
  result?: string;
  error?: string;
}

/** One file-system call, traced by the instrumented FileSystem. */
export interface IoEvent {
  type: 'io';
  call: 'read' | 'write' | 'truncate' | 'sync' | 'syncDir' | 'rename' | 'remove' | 'create';
  path: string;
  offset?: number;
  length?: number;
  /** The bytes read or written, as hex, cut to HEX_LIMIT bytes (see `cut`). */
  hex?: string;
  /** True when `hex` holds only the first HEX_LIMIT bytes. */
  cut?: boolean;
  /** For a rename: the new path. */
  to?: string;
  /** For a failed call: the error code. */
  error?: string;
}

/** A listener for io events alone (what the instrumented file system calls). */
export type IoListener = (event: IoEvent) => void;

/** The most bytes an io event carries as hex. */
export const HEX_LIMIT = 64 * 1024;
