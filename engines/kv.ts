/**
 * kv.ts: the contract every engine keeps.
 *
 * One synchronous interface (as better-sqlite3's is): keys and values are bytes, given as
 * Uint8Array or string (UTF-8); order is bytewise (memcmp), as in LevelDB. Every engine
 * keeps the durability rule of DESIGN.md: after a crash at any instant, reopening yields the
 * state after some prefix of the operations, and that prefix includes every operation
 * acknowledged before the last completed sync(). A batch is one operation.
 *
 * Limits (checked before anything is written; a violation throws and changes nothing):
 *   - a key is 0 to MAX_KEY_BYTES bytes: the empty key is a key like any other, the smallest
 *     of all, as in LevelDB (an engine may set a lower upper limit, e.g. the B+tree with
 *     small pages; `limits` on the store says which);
 *   - a value is 0 to MAX_VALUE_BYTES bytes.
 */
import { KVError } from './errors.js';
import { utf8 } from './bytes.js';
import type { FileSystem } from './storage/fs.js';
import type { EngineName, EngineSnapshot, TraceListener } from './registry-types.js';
import type { Limits } from './limits.js';

// The engines and the limits are defined beside the registry and in limits.ts; the contract names them.
export { ENGINES, type EngineName } from './registry-types.js';
export { MAX_KEY_BYTES, MAX_VALUE_BYTES, type Limits } from './limits.js';

/** A key: bytes, or a string stored as its UTF-8 bytes. */
export type Key = Uint8Array | string;
/** A value: bytes, or a string stored as its UTF-8 bytes. */
export type Value = Uint8Array | string;

/** One operation in a batch. */
export type BatchOp = { type: 'put'; key: Key; value: Value } | { type: 'delete'; key: Key };

/** A scan range, with the option names the Level ecosystem uses. All bounds are optional. */
export interface Range {
  gt?: Key;
  gte?: Key;
  lt?: Key;
  lte?: Key;
  reverse?: boolean;
  limit?: number; // at most this many pairs; absent or -1 means no limit
}

/** Options for openStore(): the directory, the file system, a trace listener, and tuning. */
export interface StoreOptions {
  /** The directory the store owns. It is created if missing. */
  dir: string;
  /** The file system; default the Node backend (required in the browser entry). */
  fs?: FileSystem;
  /** A listener for trace events; when absent, tracing costs nothing. */
  trace?: TraceListener;
  /**
   * Called once with the store as soon as it exists, before it recovers its directory, so a
   * tool can call inspect() and stats() at every trace event, recovery included (the site's
   * workbench draws every step from them). inspect() may throw while recovery is part-way.
   */
  observe?: (store: KVStore) => void;

  // snapshot tuning
  /** Save the whole map after every n writes (0 or absent: only at sync() and close()). */
  autosaveEvery?: number;

  // bitcask tuning
  /** Roll over to a new data file when the active one reaches this size (default 64 MiB). */
  maxFileBytes?: number;
  /** Make every write durable before it returns (default false: durable at sync()). */
  syncEveryWrite?: boolean;
  /** Merge automatically when dead bytes in immutable files exceed this fraction (default 0.5). */
  mergeDeadRatio?: number;
  /** ...and at least this many dead bytes (default 1 MiB). */
  mergeMinDeadBytes?: number;

  // btree tuning
  /** Page size in bytes (default 4096; 512 to 65536, a power of two). */
  pageSize?: number;
  /** Bytes the page cache holds (default 64 MiB, 16,384 pages of 4096 bytes); `cachePages` wins if given. */
  cacheBytes?: number;
  /** Pages the page cache holds (default: cacheBytes / pageSize). */
  cachePages?: number;
  /** Commit automatically when this many pages are dirty (default: cachePages / 2). */
  dirtyPageBudget?: number;

  /** Bytes of data-file blocks the bitcask read cache keeps (default 8 MiB; 0 turns it off). */
  readCacheBytes?: number;

  // lsm tuning
  /** Flush the memtable to a level-0 SSTable at this size (default 4 MiB). */
  memtableBytes?: number;
  /** SSTable data block size (default 4096). */
  blockBytes?: number;
  /** Bloom filter bits per key (default 10, about 1% false positives). */
  bloomBitsPerKey?: number;
  /** Level-0 file count that triggers a compaction (default 4). */
  l0CompactionTrigger?: number;
  /** Each level is this many times larger than the one above (default 10). */
  levelSizeMultiplier?: number;
  /** Target size of level 1 in bytes (default 10 MiB). */
  level1Bytes?: number;
  /** Target SSTable size written by compactions (default 2 MiB). */
  targetFileBytes?: number;
  /** Bytes of data blocks the lsm block cache keeps (default 8 MiB; 0 turns it off). */
  blockCacheBytes?: number;
  /**
   * How the lsm engine compacts (default 'leveled', as LevelDB): 'tiered' merges sorted runs
   * of similar size (Cassandra's size-tiered, RocksDB's universal). Not stored: a store written
   * under either opens under the other (engines/lsm/FORMAT.md, "Compaction strategies").
   */
  compaction?: 'leveled' | 'tiered';
  /** Tiered: runs of similar size merged together once this many accumulate (default 4). */
  tieredMinThreshold?: number;
  /** Tiered: the most runs one merge takes (default 32). */
  tieredMaxThreshold?: number;
  /** Tiered: past this many runs the newest are merged whatever their sizes (default 12). */
  tieredMaxRuns?: number;
  /**
   * Bytes of log records the lsm keeps in memory before writing them to the log (default
   * 64 KiB; sync() and close() write them first). 0 writes every record as it is made.
   */
  logBufferBytes?: number;
  /** Most SSTables the lsm keeps open, each with its index and filter in memory (default 1000). */
  maxOpenTables?: number;
}

/** Counters every engine reports; engines may add their own fields under `engineStats`. */
export interface StoreStats {
  engine: EngineName;
  bytesWritten: number; // bytes the engine wrote through the file system since open
  bytesRead: number; // bytes the engine read through the file system since open
  syncs: number; // file and directory syncs since open
  userBytesWritten: number; // key + value bytes the user put since open
  files: number; // files in the store's directory
  diskBytes: number; // total size of those files
  liveKeys: number; // keys currently present
  liveBytes: number; // key + value bytes of the present keys (where the engine knows it cheaply)
  memoryBytes: number; // an estimate of the engine's in-memory structures
  engineStats: Record<string, number>;
}

/** The interface every engine implements. */
export interface KVStore {
  readonly engine: EngineName;
  readonly limits: Limits;
  /** The newest value of `key`, or undefined. */
  get(key: Key): Uint8Array | undefined;
  /** Sets `key` to `value`. */
  put(key: Key, value: Value): void;
  /** Removes `key`; removing a missing key is not an error. */
  delete(key: Key): void;
  /** Applies every op or none, also across a crash. */
  batch(ops: BatchOp[]): void;
  /** Pairs in bytewise key order (or reverse) within the range. */
  scan(range?: Range): IterableIterator<[Uint8Array, Uint8Array]>;
  /** Returns once every write acknowledged before the call is durable. */
  sync(): void;
  /** Reclaims space: the engine's merge, compaction or rewrite. Runs to the end. */
  compact(): void;
  /** Syncs, then releases the files and the directory lock. A second close is a no-op. */
  close(): void;
  /** Counters: bytes, syncs, files, keys, memory. */
  stats(): StoreStats;
  /** A JSON picture of the in-memory structures and the files, for diagrams. */
  inspect(): EngineSnapshot;
}

/** Converts a key to bytes, checking its type and length against `limits`. */
export function toKey(key: unknown, limits: Limits): Uint8Array {
  let b: Uint8Array;
  if (typeof key === 'string') b = utf8(key);
  else if (key instanceof Uint8Array) b = key;
  else throw new KVError('KV_BAD_KEY', `a key must be a string or a Uint8Array, not ${describe(key)}`);
  if (b.length > limits.maxKeyBytes) {
    throw new KVError('KV_TOO_LARGE', `a key is ${b.length} bytes; this store allows at most ${limits.maxKeyBytes}`);
  }
  return b;
}

/** Converts a value to bytes, checking its type and length against `limits`. */
export function toValue(value: unknown, limits: Limits): Uint8Array {
  let b: Uint8Array;
  if (typeof value === 'string') b = utf8(value);
  else if (value instanceof Uint8Array) b = value;
  else throw new KVError('KV_BAD_VALUE', `a value must be a string or a Uint8Array, not ${describe(value)}`);
  if (b.length > limits.maxValueBytes) {
    throw new KVError(
      'KV_TOO_LARGE',
      `a value is ${b.length} bytes; this store allows at most ${limits.maxValueBytes}`,
    );
  }
  return b;
}

/** Names the type of a bad argument for an error message. */
export function describe(x: unknown): string {
  if (x === null) return 'null';
  if (Array.isArray(x)) return 'an array';
  if (typeof x === 'object') return `an object (${(x as object).constructor?.name ?? 'Object'})`;
  return typeof x === 'undefined' ? 'undefined' : `a ${typeof x}`;
}
