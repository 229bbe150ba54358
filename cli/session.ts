/**
 * session.ts: one `kv` session: the engine, the directory, the open store, where output
 * goes, whether trace lines print, and a batch being collected at the prompt.
 *
 * The store opens lazily, on the first command that needs it, with a trace listener that
 * prints each event as one line while tracing is on (trace lines go to the error stream,
 * so a script reading a value from stdout is not disturbed by --trace).
 */
import type { BatchOp, EngineName, KVStore, StoreOptions } from '../engines/kv.js';
import type { FileSystem } from '../engines/storage/fs.js';
import type { TraceEvent } from '../engines/registry-types.js';
import { openWith } from '../engines/registry.js';
import type { Paint } from './colour.js';
import { formatTraceEvent } from './trace-line.js';

/** Where a session writes: result lines to `out`, messages and trace lines to `err`. */
export interface Output {
  out(line: string): void;
  err(line: string): void;
  /** Colour for `out` lines. */
  paint: Paint;
  /** Colour for `err` lines. */
  errPaint: Paint;
}

/** How a session is set up. */
export interface SessionOptions {
  engine: EngineName;
  dir: string;
  fs: FileSystem;
  output: Output;
  /** Engine tuning (StoreOptions fields) from -o name=value. */
  tuning?: Record<string, number | boolean | string>;
  /** Print trace events from the start (--trace). */
  trace?: boolean;
  /** True at a prompt, typed or scripted: batch collects lines, trace on|off works. */
  interactive?: boolean;
  /** True when a person is watching: acknowledgements ("ok", "(3 pairs)") and hints print. */
  chatty?: boolean;
  /** Reads the rest of the input (stdin), for `batch` with no ops on the command line. */
  readInput?: () => string;
}

/** A session with at most one open store. */
export class Session {
  readonly engine: EngineName;
  readonly dir: string;
  readonly fs: FileSystem;
  readonly output: Output;
  readonly interactive: boolean;
  readonly chatty: boolean;
  /** The lines typed so far, oldest first (kept by the shell, for `history`). */
  history: string[] = [];
  /** Whether trace events print. */
  tracing: boolean;
  /** Ops collected by `batch` at the prompt until `commit` or `abort`. */
  pendingBatch: BatchOp[] | undefined;
  /** Reads the rest of the input, for `batch` on the command line. */
  readonly readInput: () => string;
  private readonly tuning: Record<string, number | boolean | string>;
  private opened: KVStore | undefined;

  constructor(o: SessionOptions) {
    this.engine = o.engine;
    this.dir = o.dir;
    this.fs = o.fs;
    this.output = o.output;
    this.tuning = o.tuning ?? {};
    this.tracing = o.trace ?? false;
    this.interactive = o.interactive ?? false;
    this.chatty = o.chatty ?? false;
    this.readInput = o.readInput ?? (() => '');
  }

  /** True once the store is open. */
  get isOpen(): boolean {
    return this.opened !== undefined;
  }

  /** The store, opened on first use. */
  store(): KVStore {
    if (!this.opened) {
      const options: StoreOptions & { fs: FileSystem } = {
        ...this.tuning,
        dir: this.dir,
        fs: this.fs,
        trace: (e) => this.onTrace(e),
      };
      this.opened = openWith(this.engine, options);
    }
    return this.opened;
  }

  /** Prints one trace event while tracing is on. */
  private onTrace(e: TraceEvent): void {
    if (this.tracing) this.output.err(formatTraceEvent(e, { paint: this.output.errPaint, dir: this.dir }));
  }

  /** Closes the store if it is open (which syncs it). */
  close(): void {
    const s = this.opened;
    this.opened = undefined;
    s?.close();
  }
}
