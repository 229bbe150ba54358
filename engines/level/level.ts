/**
 * level.ts: WorkbenchLevel, any of the four engines as an abstract-level database.
 *
 *   import { WorkbenchLevel } from './engines/level/index.js';
 *   const db = new WorkbenchLevel('btree', './data', { valueEncoding: 'json', pageSize: 4096 });
 *   await db.put('a', { x: 1 });
 *   for await (const [k, v] of db.iterator({ gte: 'a' })) { ... }
 *
 * abstract-level (3.x) does everything the Level API promises on top of a few private
 * methods (_open, _get, _put, _batch, _iterator...): encodings, deferred open, sublevels,
 * hooks, events, chained batches, key and value iterators. The adapter implements those
 * methods with the synchronous KVStore calls, so a workbench engine can be handed to
 * anything in the Level ecosystem. Its only storage format is 'view' (Uint8Array): every
 * other encoding (utf8, json, buffer, custom ones) is transcoded by abstract-level.
 *
 * The manifest says what is and is not supported:
 *   - getSync, has/hasMany, getMany, seek, clear: yes;
 *   - createIfMissing: false refuses a location whose directory does not exist; errorIfExists:
 *     true refuses one whose directory exists (a store's directory is created at first open);
 *   - permanence: yes (the data is on the file system given, by default real files);
 *   - snapshots, implicit or explicit: no. An iterator sees writes made after it was created
 *     (never a key twice, never out of order: BaseStore re-seeks), and get() reads the newest
 *     value; db.snapshot() throws LEVEL_NOT_SUPPORTED;
 *   - abort signals on iterators: no (every call finishes synchronously anyway).
 * A write with `{ sync: true }` (classic-level's option) syncs the store before it resolves.
 * Errors: KVErrors become LevelErrors with LEVEL_* codes (errors.ts).
 */
import { AbstractLevel } from 'abstract-level';
import type { AbstractDatabaseOptions } from 'abstract-level';
import { KVError } from '../errors.js';
import { describe, ENGINES, type BatchOp, type EngineName, type KVStore, type StoreOptions } from '../kv.js';
import type { FileSystem } from '../storage/fs.js';
import { normalize } from '../storage/path.js';
import { NodeFileSystem, openStore } from '../index.js';
import { LevelError, toLevelError } from './errors.js';
import { WorkbenchIterator, edgesOf, rangeOf, type PrivateIteratorOptions } from './iterator.js';

/** Options of the constructor: abstract-level's (encodings, createIfMissing, errorIfExists) and the engine's (fs, trace, tuning). */
export type WorkbenchLevelOptions<K, V> = AbstractDatabaseOptions<K, V> & Omit<StoreOptions, 'dir'>;

/** The options abstract-level passes to `_open()`. */
interface PrivateOpenOptions {
  createIfMissing: boolean;
  errorIfExists: boolean;
}

/** Options of the private write calls; `sync` is classic-level's "fsync before resolving". */
interface PrivateWriteOptions {
  sync?: boolean;
}

/** One op as abstract-level passes it to `_batch()` (keys and values encoded as bytes). */
interface PrivateBatchOp {
  type: 'put' | 'del';
  key: Uint8Array;
  value?: Uint8Array;
}

/** Range options of `_clear()`, encoded as bytes. */
interface PrivateClearOptions {
  gt?: Uint8Array;
  gte?: Uint8Array;
  lt?: Uint8Array;
  lte?: Uint8Array;
  reverse: boolean;
  limit: number;
}

/** The engine's options (every StoreOptions key but `dir`): they go to openStore, not to abstract-level. */
const STORE_KEYS = [
  'fs',
  'trace',
  'observe',
  'autosaveEvery',
  'maxFileBytes',
  'syncEveryWrite',
  'mergeDeadRatio',
  'mergeMinDeadBytes',
  'pageSize',
  'cacheBytes',
  'cachePages',
  'dirtyPageBudget',
  'memtableBytes',
  'blockBytes',
  'bloomBitsPerKey',
  'l0CompactionTrigger',
  'levelSizeMultiplier',
  'level1Bytes',
  'targetFileBytes',
  'blockCacheBytes',
  'compaction',
  'tieredMinThreshold',
  'tieredMaxThreshold',
  'tieredMaxRuns',
  'logBufferBytes',
  'maxOpenTables',
  'readCacheBytes',
] as const satisfies readonly (keyof StoreOptions)[];
/** Fails to compile if StoreOptions gains a key that STORE_KEYS does not list. */
const STORE_KEYS_COMPLETE: [Exclude<keyof StoreOptions, 'dir' | (typeof STORE_KEYS)[number]>] extends [never]
  ? true
  : never = true;
void STORE_KEYS_COMPLETE;
const STORE_KEY_SET: ReadonlySet<string> = new Set(STORE_KEYS);

/** Splits constructor options into the engine's (for openStore) and abstract-level's (encodings, open options, userland ones). */
function splitOptions(options: object): { store: Record<string, unknown>; level: Record<string, unknown> } {
  const store: Record<string, unknown> = {};
  const level: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(options)) {
    if (k === 'dir')
      throw new KVError(
        'KV_BAD_OPTION',
        'a WorkbenchLevel takes its directory as the location argument, not as options.dir',
      );
    (STORE_KEY_SET.has(k) ? store : level)[k] = v;
  }
  return { store, level };
}

/** What the adapter supports, for abstract-level's `db.supports` (level-supports' manifest). */
const MANIFEST = {
  encodings: { view: true },
  implicitSnapshots: false,
  explicitSnapshots: false,
  getSync: true,
  has: true,
  seek: true,
  createIfMissing: true,
  errorIfExists: true,
  permanence: true,
  signals: { iterators: false },
};

/** The Node file system every WorkbenchLevel not given its own uses. */
let defaultFs: FileSystem | undefined;

/** A workbench engine (snapshot, bitcask, btree or lsm) as an abstract-level database. */
export class WorkbenchLevel<K = string, V = string> extends AbstractLevel<Uint8Array, K, V> {
  /** The engine this database runs. */
  readonly engine: EngineName;
  /** The store's directory. */
  readonly location: string;
  readonly #fs: FileSystem;
  readonly #storeOptions: Omit<StoreOptions, 'dir'>;
  #store: KVStore | undefined;

  /** A database of `engine` in the directory `location`; it opens itself (deferred open), as every abstract-level database does. */
  constructor(engine: EngineName, location: string, options: WorkbenchLevelOptions<K, V> = {}) {
    if (!(ENGINES as readonly string[]).includes(engine)) {
      throw new KVError(
        'KV_UNKNOWN_ENGINE',
        `unknown engine ${JSON.stringify(engine)}; choose one of ${ENGINES.join(', ')}`,
      );
    }
    if (typeof location !== 'string' || location === '') {
      throw new KVError(
        'KV_BAD_OPTION',
        `the location of a WorkbenchLevel must be a non-empty string (a directory), not ${describe(location)}`,
      );
    }
    if (options === null || typeof options !== 'object')
      throw new KVError('KV_BAD_OPTION', `WorkbenchLevel options must be an object, not ${describe(options)}`);
    const { store, level } = splitOptions(options);
    super(MANIFEST, level);
    this.engine = engine;
    this.location = normalize(location);
    this.#storeOptions = store as Omit<StoreOptions, 'dir'>;
    this.#fs = options.fs ?? (defaultFs ??= new NodeFileSystem());
  }

  /** The open KVStore underneath (for stats(), inspect(), compact()); throws LEVEL_DATABASE_NOT_OPEN when there is none. */
  get store(): KVStore {
    if (!this.#store || this.status !== 'open')
      throw new LevelError(`the ${this.engine} database at ${this.location} is not open`, 'LEVEL_DATABASE_NOT_OPEN');
    return this.#store;
  }

  /** The store for a private call (abstract-level only calls them while open). */
  #s(): KVStore {
    if (!this.#store)
      throw new LevelError(`the ${this.engine} database at ${this.location} is not open`, 'LEVEL_DATABASE_NOT_OPEN');
    return this.#store;
  }

  /** Runs `f` on the store, throwing its KVErrors as LevelErrors (`tooLarge`: what a KV_TOO_LARGE was about). */
  #run<T>(f: (s: KVStore) => T, tooLarge: 'key' | 'value' = 'key'): T {
    const s = this.#s();
    try {
      return f(s);
    } catch (e) {
      throw toLevelError(e, tooLarge);
    }
  }

  /** abstract-level: opens (and recovers) the store, honouring createIfMissing and errorIfExists. */
  async _open(options: PrivateOpenOptions): Promise<void> {
    const exists = this.#fs.exists(this.location);
    if (!exists && options.createIfMissing === false) {
      throw new KVError(
        'KV_BAD_OPTION',
        `the ${this.engine} store at ${this.location} does not exist (createIfMissing is false)`,
      );
    }
    if (exists && options.errorIfExists === true) {
      throw new KVError(
        'KV_BAD_OPTION',
        `the ${this.engine} store at ${this.location} already exists (errorIfExists is true)`,
      );
    }
    try {
      this.#store = openStore(this.engine, { ...this.#storeOptions, dir: this.location, fs: this.#fs });
    } catch (e) {
      throw toLevelError(e);
    }
  }

  /** abstract-level: closes the store (which syncs it); iterators were closed before. */
  async _close(): Promise<void> {
    const s = this.#store;
    if (!s) return;
    try {
      s.close();
    } catch (e) {
      throw toLevelError(e);
    }
    this.#store = undefined;
  }

  /** abstract-level: the value of `key`, or undefined. */
  async _get(key: Uint8Array): Promise<Uint8Array | undefined> {
    return this.#run((s) => s.get(key));
  }

  /** abstract-level: the value of `key`, or undefined, synchronously. */
  _getSync(key: Uint8Array): Uint8Array | undefined {
    return this.#run((s) => s.get(key));
  }

  /** abstract-level: the values of `keys`, undefined where missing. */
  async _getMany(keys: Uint8Array[]): Promise<(Uint8Array | undefined)[]> {
    return this.#run((s) => keys.map((k) => s.get(k)));
  }

  /** abstract-level: whether `key` is present. */
  async _has(key: Uint8Array): Promise<boolean> {
    return this.#run((s) => s.get(key) !== undefined);
  }

  /** abstract-level: whether each of `keys` is present. */
  async _hasMany(keys: Uint8Array[]): Promise<boolean[]> {
    return this.#run((s) => keys.map((k) => s.get(k) !== undefined));
  }

  /** abstract-level: sets `key` to `value` (and syncs with `{ sync: true }`). */
  async _put(key: Uint8Array, value: Uint8Array, options: PrivateWriteOptions): Promise<void> {
    const tooLarge = key.length > this.#s().limits.maxKeyBytes ? 'key' : 'value';
    this.#run((s) => {
      s.put(key, value);
      if (options?.sync === true) s.sync();
    }, tooLarge);
  }

  /** abstract-level: removes `key` (and syncs with `{ sync: true }`). */
  async _del(key: Uint8Array, options: PrivateWriteOptions): Promise<void> {
    this.#run((s) => {
      s.delete(key);
      if (options?.sync === true) s.sync();
    });
  }

  /** abstract-level: applies every op or none, as one store batch (and syncs with `{ sync: true }`). */
  async _batch(operations: PrivateBatchOp[], options: PrivateWriteOptions): Promise<void> {
    const ops: BatchOp[] = operations.map((op) =>
      op.type === 'put' ? { type: 'put', key: op.key, value: op.value! } : { type: 'delete', key: op.key },
    );
    const max = this.#s().limits.maxKeyBytes;
    const tooLarge = ops.some((op) => op.key.length > max) ? 'key' : 'value';
    this.#run((s) => {
      s.batch(ops);
      if (options?.sync === true) s.sync();
    }, tooLarge);
  }

  /** abstract-level: deletes the keys in the range (up to `limit`, from the end when `reverse`), in one batch. */
  async _clear(options: PrivateClearOptions): Promise<void> {
    this.#run((s) => {
      const { lower, upper } = edgesOf(options);
      const range = {
        ...rangeOf(lower, upper, options.reverse),
        ...(options.limit >= 0 ? { limit: options.limit } : {}),
      };
      const doomed: BatchOp[] = [];
      for (const [key] of s.scan(range)) doomed.push({ type: 'delete', key });
      s.batch(doomed);
    });
  }

  /** abstract-level: an iterator over the range in `options`. */
  _iterator(options: PrivateIteratorOptions): WorkbenchIterator<this> {
    return new WorkbenchIterator(this, options, this.#s());
  }
}
