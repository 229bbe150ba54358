/**
 * adapter.ts: the one interface the workloads drive. Each subject (one of our engines, a
 * native peer, or a limit) is wrapped in a small adapter that speaks it.
 *
 * Calls return void (synchronous) or a Promise (the peers, whose write APIs are async);
 * the workload loop awaits only when it is given a Promise, so a synchronous engine pays
 * nothing for the peers' asynchrony. The contract is our engines' one: a write is
 * acknowledged when its call returns, and durable once sync() returns.
 */

/** What a subject is, for the report. */
export type SubjectKind = 'engine' | 'peer' | 'limit';

/** The workload operations an adapter may lack (a limit that only appends cannot get). */
export type Capability = 'get' | 'delete' | 'scan' | 'batch' | 'reopen' | 'trace';

/** I/O counters an adapter reports, in bytes, since it was opened. */
export interface AdapterStats {
  /** Bytes written to files (our engines: through their FileSystem; peers: the process's write calls). */
  bytesWritten: number;
  /** Bytes read from files (peers: the process's read calls; LMDB reads through mmap, so 0). */
  bytesRead: number;
  /** fsyncs, or undefined where the subject cannot tell. */
  syncs: number | undefined;
  /** Total size of the store's files. */
  diskBytes: number;
  /** Keys the engine says it holds, or undefined. */
  liveKeys: number | undefined;
  /** The engine's own estimate of its in-memory structures, or undefined. */
  memoryBytes: number | undefined;
  /** Where the byte counts come from. */
  ioSource: 'engine' | 'proc' | 'self' | 'none';
}

/** A store under test. */
export interface BenchKV {
  /** Synchronous in every subject (classic-level has getSync, LMDB reads its memory map). */
  get(key: Uint8Array): Uint8Array | undefined;
  put(key: Uint8Array, value: Uint8Array): void | Promise<void>;
  delete(key: Uint8Array): void | Promise<void>;
  /** Puts every pair as one atomic batch. */
  batch(pairs: [Uint8Array, Uint8Array][]): void | Promise<void>;
  /** Visits up to `limit` pairs from the first key >= `from` (or from the start); returns how many. */
  scan(from: Uint8Array | undefined, limit: number): number | Promise<number>;
  sync(): void | Promise<void>;
  /** Closes cleanly (syncs). */
  close(): void | Promise<void>;
  stats(): AdapterStats;
}

/** Opens a subject's store in a directory. */
export interface Subject {
  /** The name in reports: 'bitcask', 'classic-level', 'limit-map'... */
  readonly name: string;
  readonly kind: SubjectKind;
  /** What it cannot do; workloads needing it are reported as not applicable. */
  readonly lacks: ReadonlySet<Capability>;
  /** Loads the subject's code; throws with a reason when it cannot run here (not built, no binary). */
  load(): Promise<{ version?: string }>;
  /**
   * Opens (or recovers) the store in `dir`. `traced` attaches a do-nothing trace listener;
   * `bare` opens files past the counting and tracing wrapper (engines only; no byte counts).
   */
  open(dir: string, options: { traced?: boolean; bare?: boolean }): BenchKV | Promise<BenchKV>;
}
