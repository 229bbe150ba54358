/**
 * recovery.ts: opening btree.db (LMDB and bbolt have no more than this: there is no log).
 *
 *   create   no file: write an empty root leaf and both meta pages to btree.db.new, fsync it,
 *            rename it into place and fsync the directory, so btree.db only ever exists whole
 *            (a create a crash interrupted leaves only the temporary file, which open removes);
 *   open     read the shutdown flag (shutdown.ts) and both meta pages, and take the commit
 *            meta.ts chooses: the valid one with the higher txid. After a clean close the file
 *            must be exactly what the close left; after a crash a torn meta page is allowed;
 *   load     a pager over the file with that commit's free list (committedPager, which the
 *            `kv` checker uses too, on a closed file);
 *   repair   after a crash only: cut the file to the page count, rewrite every free page that
 *            fails its checksum with a placeholder, and commit if anything was cleaned or a
 *            meta page was torn (that commit rewrites the torn slot). Nothing it touches is a
 *            page the current commit uses.
 * Nothing a commit did not finish is reachable from the meta page open takes, so there is
 * nothing to replay.
 */
import { KVError, corrupt } from '../errors.js';
import type { StoreOptions } from '../kv.js';
import type { FileHandle, FileSystem } from '../storage/fs.js';
import type { TraceListener } from '../registry-types.js';
import { commit } from './commit.js';
import {
  CREATE_SUFFIX,
  DATA_FILE,
  FIRST_DATA_PAGE,
  STATE_CLEAN,
  STATE_OFFSET,
  checkPage,
  encodeFreePage,
  encodeMeta,
  encodeTreePage,
  validPageSize,
  type Geometry,
  type Meta,
} from './format.js';
import { FreeList } from './freelist.js';
import { currentMeta, filePageSize, readMetaSlots } from './meta.js';
import { Pager } from './pager.js';
import { readFreelist } from './chains.js';
import { ShutdownFlag } from './shutdown.js';
import { Tree, type TreeState } from './tree.js';

/** The page size a new store gets when the options give none. */
export const DEFAULT_PAGE_SIZE = 4096;

/** The page size a store will use: the file's if it has one, else the option, else 4096. */
export function choosePageSize(options: StoreOptions): number {
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

/** Where a store's file is and how to reach it. */
export interface BtreeFiles {
  /** The counted (and traced) file system the engine writes through. */
  fs: FileSystem;
  /** The same file system without counting, for reads that are not engine I/O. */
  rawFs: FileSystem;
  dir: string;
  /** The path of btree.db. */
  path: string;
  trace: TraceListener | undefined;
}

/** An open btree.db and its committed state: what a store works on. */
export interface OpenedBtree {
  file: FileHandle;
  flag: ShutdownFlag;
  pager: Pager;
  tree: Tree;
  /** The last durable commit. */
  durable: Meta;
  /** Commits made while opening (repair's, after a crash). */
  commits: number;
}

/**
 * A pager over `file` whose free list is the one commit `m` lists (its chain pages are read
 * and checked). Open loads the store this way; the `kv` checker loads a closed file this way.
 */
export function committedPager(
  file: FileHandle,
  path: string,
  g: Geometry,
  cachePages: number,
  m: Meta,
  trace: TraceListener | undefined,
  rawFs: FileSystem,
): Pager {
  const pager = new Pager(file, path, g, cachePages, new FreeList(), m, trace, rawFs);
  const { ids, chain } = readFreelist(pager, m.freelist, m.freelistPages);
  pager.freelist = new FreeList(ids);
  pager.freelistChain = chain;
  return pager;
}

/** The tree state a commit records. */
export function stateOf(m: Meta): TreeState {
  return { root: m.root, height: m.height, keyCount: m.keyCount, liveBytes: m.liveBytes };
}

/**
 * Opens the store's file and loads the newest valid commit, or creates a new file. With the
 * shutdown flag clean the file must be as a clean close left it; dirty (a crash), open falls
 * back past a torn meta page and cleans up (repair()). On failure nothing stays open.
 */
export function openBtree(f: BtreeFiles, g: Geometry, cachePages: number): OpenedBtree {
  const P = g.pageSize;
  // A create interrupted before its rename leaves only the temporary file: nothing to keep.
  const temp = f.path + CREATE_SUFFIX;
  if (f.fs.exists(temp)) f.fs.remove(temp);
  let file: FileHandle | undefined;
  let pager: Pager | undefined;
  try {
    let flag: ShutdownFlag;
    let durable: Meta;
    const created = !f.fs.exists(f.path);
    const torn: number[] = [];
    let crashed = false;
    if (created) {
      ({ file, flag, durable } = create(f, g));
    } else {
      file = f.fs.open(f.path);
      flag = new ShutdownFlag(file);
      crashed = flag.read() === 'dirty';
      // Found dirty, the flag stays dirty until a clean close: no write needs to set it.
      flag.held = crashed;
      // Read both meta pages; a crash can tear the one being written, never both (meta.ts).
      const opened = file;
      const choice = currentMeta(
        readMetaSlots((at, n) => opened.read(at, n), P, f.path),
        crashed,
        f.path,
      );
      if (!choice.ok) throw choice.error;
      durable = choice.meta;
      torn.push(...choice.torn);
      // After a clean close the file is exactly the committed pages.
      const size = file.size();
      if (!crashed && size !== durable.pageCount * P) {
        throw corrupt(
          f.path,
          Math.min(size, durable.pageCount * P),
          `the file holds ${size} bytes, not the ${durable.pageCount} pages of ${P} bytes its meta page says (and it was closed cleanly)`,
        );
      }
    }
    pager = committedPager(file, f.path, g, cachePages, durable, f.trace, f.rawFs);
    // Before the session's first write to btree.db, the shutdown flag says dirty, durably.
    const shutdown = flag;
    pager.beforeWrite = () => shutdown.ensure();
    const tree = new Tree(pager, g, stateOf(durable), f.trace);
    f.trace?.({
      type: 'btree.open',
      file: DATA_FILE,
      created,
      metaSlot: durable.txid % 2,
      txid: durable.txid,
      root: durable.root,
      height: durable.height,
      pageSize: P,
      pages: durable.pageCount,
      freePages: pager.freelist.freeCount,
    });
    const opened: OpenedBtree = { file, flag, pager, tree, durable, commits: 0 };
    if (crashed && !created) repair(opened, f, pager.freelist.lists().free, torn);
    return opened;
  } catch (e) {
    pager?.closeRaw();
    file?.close();
    throw e;
  }
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
function repair(o: OpenedBtree, f: BtreeFiles, free: readonly number[], torn: number[]): void {
  const P = o.pager.pageSize;
  const end = o.durable.pageCount * P;
  const size = o.file.size();
  let cut = 0;
  if (size > end) {
    o.pager.beforeWrite();
    o.file.truncate(end);
    cut = Math.ceil((size - end) / P);
  }
  let rewritten = 0;
  for (const id of free) {
    try {
      checkPage(o.file.read(id * P, P), id, P, f.path);
    } catch (e) {
      if (!(e instanceof KVError) || e.code !== 'KV_CORRUPT') throw e;
      o.pager.writeRaw(id, encodeFreePage(id, P), 'freelist', 'commit');
      rewritten++;
    }
  }
  f.trace?.({ type: 'btree.recover', tornMeta: torn, cutPages: cut, rewrittenFreePages: rewritten });
  if (cut > 0 || rewritten > 0 || torn.length > 0) {
    o.durable = commit(o.pager, o.tree.state, o.durable, 'recover', f.trace);
    o.commits++;
  }
}

/**
 * Writes a new file: an empty root leaf (page 2) and both meta pages, to a temporary name,
 * synced, then renamed into place and the directory synced. So btree.db exists only whole.
 * The new file's shutdown flag says clean (see shutdown.ts).
 */
function create(f: BtreeFiles, g: Geometry): { file: FileHandle; flag: ShutdownFlag; durable: Meta } {
  const P = g.pageSize;
  const root = FIRST_DATA_PAGE;
  const temp = f.path + CREATE_SUFFIX;
  const h = f.fs.open(temp, { create: true, truncate: true });
  h.write(root * P, encodeTreePage({ leaf: true, keys: [], values: [], children: [] }, root, P));
  f.trace?.({ type: 'btree.pageWrite', page: root, kind: 'leaf', reason: 'init' });
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
    h.write(txid * P, page);
    f.trace?.({ type: 'btree.pageWrite', page: txid, kind: 'meta', reason: 'init' });
  }
  // The file's bytes, then its name, become durable.
  h.sync();
  h.close();
  f.fs.rename(temp, f.path);
  f.fs.syncDir(f.dir);
  const file = f.fs.open(f.path);
  return { file, flag: new ShutdownFlag(file), durable: { ...base, txid: 1 } };
}
