/**
 * store.ts: the B+tree engine: one file of fixed-size pages, a bounded page cache, and
 * copy-on-write commits with two meta pages (as LMDB and bbolt do).
 *
 * What lives in memory: the page cache (at most `cachePages` pages between operations,
 * `cacheBytes` / pageSize by default; clean pages are kept as their bytes and searched in
 * place, only changed pages are decoded), the free list (page ids), and the ids changed since the last commit. Nothing
 * else: every get reads the pages on its path, from the cache or the file. That is the
 * lesson's answer to "does a store keep everything in memory?".
 *
 * Writes change fresh copies of pages (tree.ts, pager.ts); commit.ts makes them durable at
 * sync(), at close(), and on its own after any operation that leaves `dirtyPageBudget` or
 * more pages changed since the last commit. Inside one batch the budget is kept by writing
 * dirty pages early ("spilling"), never by committing, so a batch stays all or nothing.
 * Open (recovery.ts) picks the valid meta page with the higher txid and reads its free list:
 * there is no log to replay, because nothing a commit did not finish is reachable. The shutdown
 * flag (shutdown.ts) says whether the last session closed cleanly: if not, open also cleans
 * up what a crash can leave (a torn meta page, pages past the page count, garbage on free
 * pages); if so, any such thing is damage and is reported as KV_CORRUPT. inspect() is
 * inspector.ts; the invariant checker is check.ts.
 */
import { wholeOption } from '../options.js';
import { KVError } from '../errors.js';
import { BaseStore, type ByteOp, type EngineStats } from '../store.js';
import type { Bounds } from '../range.js';
import type { StoreOptions } from '../kv.js';
import type { FileHandle, FileSystem } from '../storage/fs.js';
import { join, normalize } from '../storage/path.js';
import { DATA_FILE, geometry, validPageSize, type Geometry, type Meta } from './format.js';
import type { Pager } from './pager.js';
import type { Tree } from './tree.js';
import { scanTree } from './cursor.js';
import { commit, hasChanges } from './commit.js';
import { checkTree, checkFile, type CheckReport } from './check.js';
import type { ShutdownFlag } from './shutdown.js';
import type { CommitReason } from './events.js';
import type { BtreeInspect } from './inspect.js';
import { inspectBtree } from './inspector.js';
import { choosePageSize, openBtree } from './recovery.js';

/**
 * The default page cache size, in bytes: enough for the inner pages and most leaves of a few
 * million small pairs, as LMDB's and bbolt's working sets live in the OS page cache. The
 * lessons and widgets ask for tiny caches (a few pages) through `cachePages`.
 */
export const DEFAULT_CACHE_BYTES = 64 * 1024 * 1024;

/** The B+tree engine. */
export class BtreeStore extends BaseStore {
  readonly g: Geometry;
  private readonly path: string;
  private cachePages!: number;
  private budget!: number;
  private file!: FileHandle;
  private flag!: ShutdownFlag;
  private pager!: Pager;
  private tree!: Tree;
  /** The last durable commit. */
  private durable!: Meta;
  private commits = 0;

  /** Opens (or creates) a btree store in options.dir. */
  constructor(options: StoreOptions) {
    const pageSize = choosePageSize(options);
    super('btree', options, { maxKeyBytes: geometry(pageSize).maxKeyBytes });
    this.g = geometry(pageSize);
    this.path = join(this.dir, DATA_FILE);
    this.opening(() => {
      // Options are checked here, where a failure releases the lock.
      if (options.pageSize !== undefined && !validPageSize(options.pageSize)) {
        throw new KVError(
          'KV_BAD_OPTION',
          `pageSize must be a power of two from 512 to 65536, not ${String(options.pageSize)}`,
        );
      }
      if (options.pageSize !== undefined && options.pageSize !== pageSize) {
        throw new KVError(
          'KV_BAD_OPTION',
          `this store's file uses pages of ${pageSize} bytes; open it with pageSize ${pageSize} (or leave pageSize out)`,
        );
      }
      const cacheBytes = wholeOption('cacheBytes', options.cacheBytes, pageSize, DEFAULT_CACHE_BYTES);
      this.cachePages = wholeOption(
        'cachePages',
        options.cachePages,
        1,
        Math.max(1, Math.floor(cacheBytes / pageSize)),
      );
      this.budget = wholeOption(
        'dirtyPageBudget',
        options.dirtyPageBudget,
        1,
        Math.max(1, Math.floor(this.cachePages / 2)),
      );
      // Open, or create, and after a crash repair (recovery.ts).
      const o = openBtree(
        { fs: this.fs, rawFs: this.rawFs, dir: this.dir, path: this.path, trace: this.trace },
        this.g,
        this.cachePages,
      );
      this.file = o.file;
      this.flag = o.flag;
      this.pager = o.pager;
      this.tree = o.tree;
      this.durable = o.durable;
      this.commits = o.commits;
    });
  }

  // ---- commits ---------------------------------------------------------------------------

  /** Commits the changes since the last commit, if there are any (or if `force`). */
  private commitNow(reason: CommitReason, force = false): void {
    if (!force && !hasChanges(this.pager)) return;
    this.durable = commit(this.pager, this.tree.state, this.durable, reason, this.trace);
    this.commits++;
  }

  /** After each operation: trim the cache, and commit if the dirty budget is used up. */
  private afterWrite(): void {
    this.pager.trim();
    if (this.pager.fresh.size >= this.budget) this.commitNow('budget');
  }

  // ---- the engine interface ----------------------------------------------------------------

  /** The value of `key`, or undefined. */
  protected doGet(key: Uint8Array): Uint8Array | undefined {
    const v = this.tree.get(key);
    this.pager.trim();
    return v;
  }

  /** Sets `key` to `value`. */
  protected doPut(key: Uint8Array, value: Uint8Array): void {
    this.tree.put(key, value);
    this.afterWrite();
  }

  /** Removes `key`. */
  protected doDelete(key: Uint8Array): void {
    this.tree.delete(key);
    this.afterWrite();
  }

  /** A batch is committed whole or not at all: the budget is kept by spilling, not committing. */
  protected doBatch(ops: ByteOp[]): void {
    // If an error stops the batch part-way, reads must not see the ops before it: roll back.
    const before = { ...this.tree.state };
    this.pager.beginBatch();
    try {
      for (const op of ops) {
        if (op.type === 'put') this.tree.put(op.key, op.value);
        else this.tree.delete(op.key);
        this.pager.trim();
        if (this.pager.dirtyCount > this.budget) this.pager.writeDirty('spill');
      }
    } catch (e) {
      this.pager.rollback();
      Object.assign(this.tree.state, before);
      throw e;
    }
    this.pager.endBatch();
    this.afterWrite();
  }

  /** The pairs within the bounds, in order. */
  protected doScan(bounds: Bounds): Iterator<[Uint8Array, Uint8Array]> {
    return scanTree(this.tree, bounds);
  }

  /** Makes every acknowledged write durable. */
  protected doSync(): void {
    this.commitNow('sync');
  }

  /** The B+tree reuses freed pages as it goes, so compact() only commits (see FORMAT.md). */
  protected doCompact(): void {
    this.commitNow('compact');
  }

  /** Commits (also when only unsynced writes are left), closes, then sets the shutdown flag clean. */
  protected doClose(): void {
    this.commitNow('close', this.pager.unsynced);
    // Everything is synced: the file meets the clean-close invariants.
    this.flag.clear();
    this.pager.closeRaw();
    this.file.close();
  }

  /** A write failed: the pager writes nothing more, so reads keep the last good state. */
  protected onFailure(): void {
    this.pager?.failed();
  }

  /** Closes every file without writing anything (after a failure). */
  protected abandon(): void {
    this.pager?.closeRaw();
    this.file?.close();
  }

  /** The engine's half of stats(). */
  protected doStats(): EngineStats {
    const p = this.pager;
    const s = this.tree.state;
    const lookups = p.cache.hits + p.cache.misses;
    return {
      liveKeys: s.keyCount,
      liveBytes: s.liveBytes,
      // Decoded pages take about twice their size (arrays, views); ids are 8 bytes each.
      memoryBytes:
        p.cache.size * this.g.pageSize * 2 + (p.freelist.freeCount + p.freelist.pendingCount + p.fresh.size) * 8,
      engineStats: {
        height: s.height,
        pageSize: this.g.pageSize,
        pages: p.pageCount,
        leafPages: p.counts.leafPages,
        branchPages: p.counts.branchPages,
        overflowPages: p.counts.overflowPages,
        freePages: p.freelist.freeCount,
        pendingPages: p.freelist.pendingCount,
        cachedPages: p.cache.size,
        cacheCapacity: this.cachePages,
        dirtyPages: p.dirtyCount,
        uncommittedPages: p.fresh.size,
        cacheHits: p.cache.hits,
        cacheMisses: p.cache.misses,
        cacheHitRatio: lookups === 0 ? 0 : p.cache.hits / lookups,
        pagesRead: p.pagesRead,
        pagesWritten: p.pagesWritten,
        evictions: p.evictions,
        commits: this.commits,
        txid: this.durable.txid,
        maxKeyBytes: this.limits.maxKeyBytes,
      },
    };
  }

  // ---- pictures and checks ----------------------------------------------------------------

  /** Runs the invariant checker (check.ts) on the tree as it is in memory now. */
  check(): CheckReport {
    this.checkOpen();
    return checkTree(this.pager, this.tree.state);
  }

  /**
   * The file-level invariants of a store just opened (no uncommitted changes), given the
   * tree checker's report: the file is exactly the page count, both meta pages are valid
   * with zero unused bytes, and every free page has a valid checksum (check.ts checkFile).
   */
  checkFile(report: CheckReport): string[] {
    this.checkOpen();
    return checkFile(this.pager, report.roles);
  }

  /** The engine's picture of itself. */
  protected doInspect(): BtreeInspect {
    return inspectBtree({
      pager: this.pager,
      state: this.tree.state,
      g: this.g,
      durable: this.durable,
      cachePages: this.cachePages,
      dirtyBudget: this.budget,
      path: this.path,
      rawFs: this.rawFs,
    });
  }
}

/**
 * Opens the closed store at `dir`, runs the invariant checker, and throws KV_CORRUPT listing
 * what is wrong (for the reliability campaign's per-engine structural check).
 */
export function checkBtreeDir(fs: FileSystem, dir: string, tuning: Partial<StoreOptions> = {}): void {
  const db = new BtreeStore({ ...tuning, pageSize: undefined, dir, fs });
  try {
    const r = db.check();
    // Every value must also read back whole (overflow chains, checksums).
    for (const pair of db.scan()) void pair;
    // And the pages no commit uses must be as a clean close leaves them.
    const problems = [...r.problems, ...db.checkFile(r)];
    if (problems.length > 0)
      throw new KVError(
        'KV_CORRUPT',
        `${join(normalize(dir), DATA_FILE)} breaks the B+tree invariants: ${problems.join('; ')}`,
      );
  } finally {
    db.close();
  }
}
