/**
 * store.ts: the B+tree engine: one file of fixed-size pages, a bounded page cache, and
 * copy-on-write commits with two meta pages (as LMDB and bbolt do).
 *
 * What lives in memory: the page cache (at most `cachePages` decoded pages between
 * operations), the free list (page ids), and the ids changed since the last commit. Nothing
 * else: every get reads the pages on its path, from the cache or the file. That is the
 * lesson's answer to "does a store keep everything in memory?".
 *
 * Writes change fresh copies of pages (tree.ts, pager.ts); commit.ts makes them durable at
 * sync(), at close(), and on its own after any operation that leaves `dirtyPageBudget` or
 * more pages changed since the last commit. Inside one batch the budget is kept by writing
 * dirty pages early ("spilling"), never by committing, so a batch stays all or nothing.
 * Open (recovery) picks the valid meta page with the higher txid and reads its free list:
 * there is no log to replay, because nothing a commit did not finish is reachable. The shutdown
 * flag (shutdown.ts) says whether the last session closed cleanly: if not, open also cleans
 * up what a crash can leave (a torn meta page, pages past the page count, garbage on free
 * pages); if so, any such thing is damage and is reported as KV_CORRUPT.
 */
import { wholeOption } from '../options.js';
import { KVError, corrupt } from '../errors.js';
import { BaseStore, type ByteOp, type EngineStats } from '../store.js';
import type { Bounds } from '../range.js';
import type { StoreOptions } from '../kv.js';
import type { FileHandle, FileSystem } from '../storage/fs.js';
import { join, normalize } from '../storage/path.js';
import { display } from '../bytes.js';
import {
  DATA_FILE,
  FIRST_DATA_PAGE,
  checkPage,
  encodeFreePage,
  encodeMeta,
  encodeTreePage,
  STATE_CLEAN,
  STATE_OFFSET,
  geometry,
  validPageSize,
  type Geometry,
  type Meta,
} from './format.js';
import { Pager } from './pager.js';
import { FreeList } from './freelist.js';
import { Tree, type TreeState } from './tree.js';
import { scanTree } from './cursor.js';
import { commit, hasChanges } from './commit.js';
import { checkTree, checkFile, type CheckReport } from './check.js';
import { ShutdownFlag } from './shutdown.js';
import { currentMeta, filePageSize, newestMeta, readMetaSlots } from './meta.js';
import type { CommitReason } from './events.js';
import type { BtreeInspect, BtreeInspectMeta, BtreeInspectPage } from './inspect.js';
import { nodeSize } from './node.js';

/** Defaults for the tuning options. */
export const DEFAULT_PAGE_SIZE = 4096;
export const DEFAULT_CACHE_PAGES = 256;
/** inspect() expands at most this many tree pages and shows at most this many keys per page. */
export const INSPECT_MAX_PAGES = 200;
export const INSPECT_MAX_KEYS = 64;

/** The suffix of the temporary name a new file is written under before it is renamed into place. */
export const CREATE_SUFFIX = '.new';

/** The page size a store will use: the file's if it has one, else the option, else 4096. */
function choosePageSize(options: StoreOptions): number {
  try {
    if (options && options.fs && typeof options.dir === 'string' && options.dir !== '') {
      const p = filePageSize(options.fs, options.dir);
      if (p !== undefined) return p;
    }
  } catch {
    // Unreadable: open reports it properly once the lock is held.
  }
  return validPageSize(options?.pageSize) ? options.pageSize : DEFAULT_PAGE_SIZE;
}

/** The B+tree engine. */
export class BtreeStore extends BaseStore {
  readonly g: Geometry;
  private readonly path: string;
  private cachePages = DEFAULT_CACHE_PAGES;
  private budget = DEFAULT_CACHE_PAGES / 2;
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
        throw new KVError('KV_BAD_OPTION', `pageSize must be a power of two from 512 to 65536, not ${String(options.pageSize)}`);
      }
      if (options.pageSize !== undefined && options.pageSize !== pageSize) {
        throw new KVError('KV_BAD_OPTION', `this store's file uses pages of ${pageSize} bytes; open it with pageSize ${pageSize} (or leave pageSize out)`);
      }
      this.cachePages = wholeOption('cachePages', options.cachePages, 1, DEFAULT_CACHE_PAGES);
      this.budget = wholeOption('dirtyPageBudget', options.dirtyPageBudget, 1, Math.max(1, Math.floor(this.cachePages / 2)));
      this.recover();
    });
  }

  // ---- open and recovery -------------------------------------------------------------------

  /**
   * Opens the file and loads the newest valid commit, or creates a new file. With the
   * shutdown flag clean the file must be as a clean close left it; dirty (a crash), open
   * falls back past a torn meta page and cleans up (repair()).
   */
  private recover(): void {
    const P = this.g.pageSize;
    let created = false;
    // A create interrupted before its rename leaves only the temporary file: nothing to keep.
    const temp = this.path + CREATE_SUFFIX;
    if (this.fs.exists(temp)) this.fs.remove(temp);
    const torn: number[] = [];
    let crashed = false;
    if (!this.fs.exists(this.path)) {
      this.create();
      created = true;
    } else {
      this.file = this.fs.open(this.path);
      this.flag = new ShutdownFlag(this.file);
      crashed = this.flag.read() === 'dirty';
      // Found dirty, the flag stays dirty until a clean close: no write needs to set it.
      this.flag.held = crashed;
      // Read both meta pages; a crash can tear the one being written, never both (meta.ts).
      const choice = currentMeta(readMetaSlots((at, n) => this.file.read(at, n), P, this.path), crashed, this.path);
      if (!choice.ok) throw choice.error;
      const best = choice.meta;
      torn.push(...choice.torn);
      // After a clean close the file is exactly the committed pages.
      const size = this.file.size();
      if (!crashed && size !== best.pageCount * P) {
        throw corrupt(this.path, Math.min(size, best.pageCount * P), `the file holds ${size} bytes, not the ${best.pageCount} pages of ${P} bytes its meta page says (and it was closed cleanly)`);
      }
      this.durable = best;
    }
    const m = this.durable;
    this.pager = new Pager(this.file, this.path, this.g, this.cachePages, new FreeList(), m, this.trace, this.rawFs);
    // Before the session's first write to btree.db, the shutdown flag says dirty, durably.
    this.pager.beforeWrite = () => this.flag.ensure();
    // The free list of the chosen commit.
    const { ids, chain } = this.pager.readFreelist(m.freelist, m.freelistPages);
    this.pager.freelist = new FreeList(ids);
    this.pager.freelistChain = chain;
    const state: TreeState = { root: m.root, height: m.height, keyCount: m.keyCount, liveBytes: m.liveBytes };
    this.tree = new Tree(this.pager, this.g, state, this.trace);
    this.trace?.({
      type: 'btree.open',
      file: DATA_FILE,
      created,
      metaSlot: m.txid % 2,
      txid: m.txid,
      root: m.root,
      height: m.height,
      pageSize: P,
      pages: m.pageCount,
      freePages: ids.length,
    });
    if (crashed && !created) this.repair(ids, torn);
  }

  /**
   * After a crash (the shutdown flag was dirty): makes the file meet the clean-close
   * invariants again, so that the next clean close may set the flag clean. Cuts the file to
   * the page count, rewrites each free page that fails its checksum (a page an unfinished
   * transaction wrote, or tore) with a placeholder, and commits if anything was cleaned or a
   * meta page was torn: the commit rewrites the torn slot (txid + 1 goes to the slot the
   * interrupted commit was writing) and its fsyncs make the cleanup durable. None of it
   * touches a page the current commit uses. The flag stays dirty until a clean close.
   */
  private repair(free: readonly number[], torn: number[]): void {
    const P = this.g.pageSize;
    const end = this.durable.pageCount * P;
    const size = this.file.size();
    let cut = 0;
    if (size > end) {
      this.pager.beforeWrite();
      this.file.truncate(end);
      cut = Math.ceil((size - end) / P);
    }
    let rewritten = 0;
    for (const id of free) {
      try {
        checkPage(this.file.read(id * P, P), id, P, this.path);
      } catch (e) {
        if (!(e instanceof KVError) || e.code !== 'KV_CORRUPT') throw e;
        this.pager.writeRaw(id, encodeFreePage(id, P), 'freelist', 'commit');
        rewritten++;
      }
    }
    this.trace?.({ type: 'btree.recover', tornMeta: torn, cutPages: cut, rewrittenFreePages: rewritten });
    if (cut > 0 || rewritten > 0 || torn.length > 0) this.commitNow('recover', true);
  }

  /**
   * Writes a new file: an empty root leaf (page 2) and both meta pages, to a temporary name,
   * synced, then renamed into place and the directory synced. So btree.db exists only whole.
   * The new file's shutdown flag says clean (see shutdown.ts).
   */
  private create(): void {
    const P = this.g.pageSize;
    const root = FIRST_DATA_PAGE;
    const temp = this.path + CREATE_SUFFIX;
    const f = this.fs.open(temp, { create: true, truncate: true });
    f.write(root * P, encodeTreePage({ leaf: true, keys: [], values: [], children: [] }, root, P));
    this.trace?.({ type: 'btree.pageWrite', page: root, kind: 'leaf', reason: 'init' });
    const base: Meta = {
      pageSize: P,
      txid: 0,
      root,
      height: 1,
      freelist: 0,
      freelistPages: 0,
      pageCount: root + 1,
      leafPages: 1,
      branchPages: 0,
      overflowPages: 0,
      keyCount: 0,
      liveBytes: 0,
    };
    for (const txid of [0, 1]) {
      const page = encodeMeta({ ...base, txid });
      if (txid === 0) page[STATE_OFFSET] = STATE_CLEAN;
      f.write(txid * P, page);
      this.trace?.({ type: 'btree.pageWrite', page: txid, kind: 'meta', reason: 'init' });
    }
    // The file's bytes, then its name, become durable.
    f.sync();
    f.close();
    this.fs.rename(temp, this.path);
    this.fs.syncDir(this.dir);
    this.file = this.fs.open(this.path);
    this.flag = new ShutdownFlag(this.file);
    this.durable = { ...base, txid: 1 };
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

  protected doGet(key: Uint8Array): Uint8Array | undefined {
    const v = this.tree.get(key);
    this.pager.trim();
    return v;
  }

  protected doPut(key: Uint8Array, value: Uint8Array): void {
    this.tree.put(key, value);
    this.afterWrite();
  }

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

  protected doScan(bounds: Bounds): Iterator<[Uint8Array, Uint8Array]> {
    return scanTree(this.tree, bounds);
  }

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

  protected abandon(): void {
    this.pager?.closeRaw();
    this.file?.close();
  }

  protected doStats(): EngineStats {
    const p = this.pager;
    const s = this.tree.state;
    const lookups = p.cache.hits + p.cache.misses;
    return {
      liveKeys: s.keyCount,
      liveBytes: s.liveBytes,
      // Decoded pages take about twice their size (arrays, views); ids are 8 bytes each.
      memoryBytes: p.cache.size * this.g.pageSize * 2 + (p.freelist.freeCount + p.freelist.pendingCount + p.fresh.size) * 8,
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

  protected doInspect(): BtreeInspect {
    const p = this.pager;
    const s = this.tree.state;
    // The tree, breadth first, up to INSPECT_MAX_PAGES pages.
    let budget = INSPECT_MAX_PAGES;
    const pageOf = (id: number): BtreeInspectPage => {
      budget--;
      const n = p.peek(id);
      const size = nodeSize(n);
      const out: BtreeInspectPage = {
        id,
        type: n.leaf ? 'leaf' : 'branch',
        keys: n.keys.slice(0, INSPECT_MAX_KEYS).map((k) => display(k)),
        keyCount: n.leaf ? n.keys.length : n.keys.length - 1,
        bytes: size,
        fill: size / this.g.pageSize,
        cached: p.isCached(id),
        dirty: n.dirty,
        fresh: p.fresh.has(id),
      };
      if (n.leaf) {
        const ovf = n.values.flatMap((v, index) => ('bytes' in v ? [] : [{ index, page: v.overflow, length: v.length }]));
        if (ovf.length > 0) out.overflow = ovf;
      } else out.childIds = n.children.slice();
      return out;
    };
    const tree = pageOf(s.root);
    const queue: BtreeInspectPage[] = [tree];
    while (queue.length > 0) {
      const page = queue.shift()!;
      if (!page.childIds) continue;
      if (budget < page.childIds.length) {
        page.truncated = true;
        continue;
      }
      page.children = page.childIds.map(pageOf);
      delete page.childIds;
      queue.push(...page.children);
    }
    // Both meta pages as the file holds them.
    const raw = p.raw();
    const slots = readMetaSlots((at, n) => raw.read(at, n), this.g.pageSize, this.path);
    const newest = newestMeta(slots);
    const metas: BtreeInspectMeta[] = slots.map(({ slot, meta: m, error }) =>
      m
        ? { slot, valid: true, current: m === newest, txid: m.txid, root: m.root, height: m.height, freelist: m.freelist, pageCount: m.pageCount, keyCount: m.keyCount }
        : { slot, valid: false, current: false, error: error!.message },
    );
    const lists = p.freelist.lists();
    const out: BtreeInspect = {
      engine: 'btree',
      pageSize: this.g.pageSize,
      root: s.root,
      height: s.height,
      keys: s.keyCount,
      txid: this.durable.txid,
      pageCount: p.pageCount,
      tree,
      metas,
      freelist: { free: lists.free, pending: lists.pending, chain: p.freelistChain.slice() },
      cache: {
        capacity: this.cachePages,
        hits: p.cache.hits,
        misses: p.cache.misses,
        dirtyBudget: this.budget,
        pages: [...p.cache.nodes()].map((n) => ({ id: n.id, dirty: n.dirty, type: n.leaf ? 'leaf' : 'branch' })),
      },
      uncommitted: [...p.fresh].sort((a, b) => a - b),
      files: [{ name: DATA_FILE, size: this.rawFs.fileSize(this.path), role: 'pages' }],
    };
    if (p.pageCount <= 4096) out.pageMap = checkTree(p, s).roles;
    return out;
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
    if (problems.length > 0) throw new KVError('KV_CORRUPT', `${join(normalize(dir), DATA_FILE)} breaks the B+tree invariants: ${problems.join('; ')}`);
  } finally {
    db.close();
  }
}
