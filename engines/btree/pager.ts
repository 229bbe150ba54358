/**
 * pager.ts: pages between the file and the page cache, and who owns which page id.
 *
 * Every tree page is read through entry() or get(): a cache hit returns the cached page, a miss
 * reads the page, checks its checksum, type, id and entries once (tree-page.ts), and caches it
 * as a PageView, which reads search in place (page-search.ts). get() is for a page about to
 * change or to be walked by arrays: it decodes a cached view into a Node, in the cache's
 * place, and later hits return that Node. When the cache holds more than
 * `cachePages` pages, trim() evicts the least recently used; a dirty victim is written first
 * (a "spill"). Writing a dirty page early is always safe because of copy-on-write:
 *
 *   - a page the last commit uses ("committed") is never written. To change it, writable()
 *     copies it to a newly allocated id and frees the old id (pending until the next commit
 *     is durable), and the caller points the parent at the copy;
 *   - a page allocated since the last commit ("fresh") belongs to no durable state, so it may
 *     be changed in place, written, evicted and read back as often as needed.
 *
 * Batches are all or nothing in memory too: between beginBatch() and endBatch() the pager keeps
 * the pre-image of every page that was fresh before the batch and that the batch changes or
 * frees, and does not hand out such a freed page again, so that rollback() can put the tree
 * back as it was if an I/O error stops the batch part-way (a spill may already have written
 * the batch's pages: they are fresh, so no commit refers to them).
 *
 * Invariants: every dirty node is in the cache; `dirtyCount` counts them; `fresh` holds the
 * ids allocated since the last commit; no id is both fresh and free; `unwritten` holds the ids
 * taken from the end of the file since the last commit that nothing was written to yet (the
 * commit writes a placeholder to those that end up free, so no page below the page count is
 * left without a valid checksum).
 */
import type { FileHandle, FileSystem } from '../storage/fs.js';
import type { TraceListener } from '../registry-types.js';
import { corrupt } from '../errors.js';
import {
  FIRST_DATA_PAGE,
  PAGE_BRANCH,
  PAGE_LEAF,
  checkPage,
  encodeFreePage,
  kindOf,
  type Geometry,
  type Meta,
  type PageKind,
} from './format.js';
import { decodeView, encodeTreePageInto, indexTreePage, viewOfEncoded, type PageView } from './tree-page.js';
import { isView, type CachedPage } from './page-search.js';
import { PageCache } from './cache.js';
import { FreeList } from './freelist.js';
import { cloneNode, emptyNode, type Node } from './node.js';
import type { WriteReason } from './events.js';

/** The most pages peek() keeps decoded (inspect() and the checker walk the tree often). */
const PEEK_MEMO = 512;
/** The most consecutive pages one write to the file carries (writeNodes). */
const MAX_RUN_PAGES = 64;

/** Pages of each kind in the tree, kept in the meta page. */
type KindCounts = Pick<Meta, 'leafPages' | 'branchPages' | 'overflowPages'>;

/** The pager: page I/O, the cache, allocation and freeing. */
export class Pager {
  readonly cache: PageCache;
  readonly pageSize: number;
  /** Ids allocated since the last commit (changeable in place). */
  readonly fresh = new Set<number>();
  /** Ids allocated at the end of the file since the last commit and not written yet. */
  readonly unwritten = new Set<number>();
  /** Dirty nodes in the cache. */
  dirtyCount = 0;
  /** Pages read from and written to the file since open. */
  pagesRead = 0;
  pagesWritten = 0;
  evictions = 0;
  /** Ids below this are allocated; the next id from the end of the file. */
  pageCount: number;
  /** The pages of the committed freelist chain (freed, pending, by the next commit). */
  freelistChain: number[] = [];
  readonly counts: KindCounts;
  /** Called before every write to the file (the store marks itself dirty: shutdown.ts). */
  beforeWrite: () => void = () => {};
  /** True when the file was written since the last commit's final fsync. */
  unsynced = false;
  /** Pages peek() decoded from the file, by id (dropped when the id is written). */
  private readonly peeked = new Map<number, Node>();
  /** A handle that bypasses counting and tracing, for inspect() and the checker. */
  private rawFile: FileHandle | undefined;
  /** While a batch runs: pre-images of the pages fresh before it that it changed or freed. */
  private undo: Map<number, Node> | undefined;
  /** While a batch runs: the ids it allocated (they hold nothing the state before it needs). */
  private undoNew: Set<number> | undefined;
  /** After a failed write: nothing more is written, so dirty pages stay in the cache. */
  private readOnly = false;
  /** The buffer runs of pages are encoded into before one write (reused: writes copy it). */
  private scratch = new Uint8Array(0);

  constructor(
    readonly file: FileHandle,
    readonly path: string,
    readonly g: Geometry,
    cachePages: number,
    public freelist: FreeList,
    meta: Meta,
    private readonly trace: TraceListener | undefined,
    private readonly rawFs: FileSystem,
  ) {
    this.cache = new PageCache(cachePages);
    this.pageSize = g.pageSize;
    this.pageCount = meta.pageCount;
    this.counts = { leafPages: meta.leafPages, branchPages: meta.branchPages, overflowPages: meta.overflowPages };
  }

  // ---- reading ------------------------------------------------------------------------------

  /** Reads and checks page `id` from the file (through `handle`, the counted one by default). */
  readPage(
    id: number,
    expect?: number,
    handle: FileHandle = this.file,
  ): { bytes: Uint8Array; header: ReturnType<typeof checkPage> } {
    if (id < FIRST_DATA_PAGE || id >= this.pageCount)
      throw corrupt(this.path, id * this.pageSize, `page ${id} is outside the file's ${this.pageCount} pages`);
    const bytes = handle.read(id * this.pageSize, this.pageSize);
    const header = checkPage(bytes, id, this.pageSize, this.path, expect);
    if (handle === this.file) {
      this.pagesRead++;
      this.trace?.({ type: 'btree.pageRead', page: id, kind: kindOf(header.type)! });
    }
    return { bytes, header };
  }

  /** The tree page at `id` as cached (a view or a node), from the cache or the file. */
  entry(id: number): CachedPage {
    const hit = this.cache.get(id);
    if (hit) {
      this.trace?.({ type: 'btree.cacheHit', page: id });
      return hit;
    }
    this.trace?.({ type: 'btree.cacheMiss', page: id });
    const view = this.view(id, this.file);
    this.cache.set(view);
    return view;
  }

  /** The tree node at `id` decoded for reading only: a cached view stays cached as it is (scans). */
  read(id: number): Node {
    const e = this.entry(id);
    return isView(e) ? materialize(e) : e;
  }

  /** The tree node at `id`, decoded (a cached view is replaced by its node). */
  get(id: number): Node {
    const e = this.entry(id);
    if (!isView(e)) return e;
    const node = materialize(e);
    this.cache.replace(node);
    return node;
  }

  /**
   * The node at `id` without changing the cache or the counters (inspect, checker). A page
   * read from the file this way is kept in a small memo of its own: a committed page never
   * changes (copy-on-write), so the memo holds until its id is written again.
   */
  peek(id: number): Node {
    const cached = this.cache.peek(id);
    if (cached) return isView(cached) ? materialize(cached) : cached;
    let n = this.peeked.get(id);
    if (!n) {
      n = materialize(this.view(id, this.raw()));
      if (this.peeked.size >= PEEK_MEMO) this.peeked.delete(this.peeked.keys().next().value!);
      this.peeked.set(id, n);
    }
    return n;
  }

  /** True when `id` is in the cache. */
  isCached(id: number): boolean {
    return this.cache.peek(id) !== undefined;
  }

  /** Reads and checks a tree page, once, into a view. */
  private view(id: number, handle: FileHandle): PageView {
    const { bytes, header } = this.readPage(id, undefined, handle);
    if (header.type !== PAGE_LEAF && header.type !== PAGE_BRANCH) {
      throw corrupt(
        this.path,
        id * this.pageSize + 4,
        `page ${id} is a ${kindOf(header.type)} page where a tree page was expected`,
      );
    }
    return indexTreePage(bytes, header, this.pageSize, this.pageCount, this.path);
  }

  /** The raw (uncounted) handle, opened on first use. */
  raw(): FileHandle {
    if (!this.rawFile) this.rawFile = this.rawFs.open(this.path);
    return this.rawFile;
  }

  // ---- allocating and freeing -----------------------------------------------------------------

  /** Hands out a page id: the lowest free one, else the next at the end of the file. */
  alloc(kind: PageKind): number {
    let id = this.freelist.take();
    const from = id === undefined ? 'end' : 'freelist';
    if (id === undefined) {
      id = this.pageCount++;
      this.unwritten.add(id);
    }
    this.fresh.add(id);
    this.undoNew?.add(id);
    this.count(kind, +1);
    this.trace?.({ type: 'btree.alloc', page: id, kind, from });
    return id;
  }

  /** A new empty node on a new page, dirty and cached. */
  newNode(leaf: boolean): Node {
    const node = emptyNode(this.alloc(leaf ? 'leaf' : 'branch'), leaf);
    this.cache.set(node);
    this.dirtyCount++;
    return node;
  }

  /**
   * A node that may be changed: `node` itself if its page is fresh, else a copy on a new page
   * (copy-on-write), with the old page freed. The caller must point the parent (or the root)
   * at the returned node's id.
   */
  writable(node: Node): Node {
    if (this.fresh.has(node.id)) {
      this.remember(node);
      return node;
    }
    const kind = node.leaf ? 'leaf' : 'branch';
    const copy = cloneNode(node, this.alloc(kind));
    this.trace?.({ type: 'btree.cow', from: node.id, to: copy.id, kind });
    this.free(node.id, kind);
    this.cache.set(copy);
    this.dirtyCount++;
    return copy;
  }

  /** Marks a (fresh) node changed. */
  touch(node: Node): void {
    if (!node.dirty) {
      node.dirty = true;
      this.dirtyCount++;
    }
    // A touched node must be cached (it may have been evicted after a spill).
    if (this.cache.peek(node.id) !== node) this.cache.set(node);
  }

  /** Frees page `id`: reusable now if fresh, else after the next durable commit. */
  free(id: number, kind: PageKind): void {
    const before = this.undo !== undefined && this.fresh.has(id) && !this.undoNew!.has(id);
    if (before) {
      // A page the state before this batch uses: keep its picture, and do not reuse it in
      // the batch (a rollback needs its bytes); the next commit lists it as free.
      const cached = this.cache.peek(id);
      if (cached) this.remember(isView(cached) ? materialize(cached) : cached);
    }
    const cached = this.cache.delete(id);
    if (cached?.dirty) this.dirtyCount--;
    this.count(kind, -1);
    if (before) {
      this.fresh.delete(id);
      this.freelist.defer(id);
      this.trace?.({ type: 'btree.free', page: id, kind, reusable: 'afterCommit' });
    } else if (this.fresh.delete(id)) {
      this.freelist.release(id);
      this.trace?.({ type: 'btree.free', page: id, kind, reusable: 'now' });
    } else {
      this.freelist.defer(id);
      this.trace?.({ type: 'btree.free', page: id, kind, reusable: 'afterCommit' });
    }
  }

  /** Adjusts the page-kind counters. */
  private count(kind: PageKind, d: number): void {
    if (kind === 'leaf') this.counts.leafPages += d;
    else if (kind === 'branch') this.counts.branchPages += d;
    else if (kind === 'overflow') this.counts.overflowPages += d;
  }

  // ---- batches and failures ---------------------------------------------------------------------

  /** A batch begins: from now on, remember what it changes (see the header). */
  beginBatch(): void {
    this.undo = new Map();
    this.undoNew = new Set();
  }

  /** The batch is over (applied, or rolled back): forget its pre-images. */
  endBatch(): void {
    this.undo = undefined;
    this.undoNew = undefined;
  }

  /** Keeps the picture of `node` as the batch found it, the first time the batch changes it. */
  private remember(node: Node): void {
    if (!this.undo || this.undo.has(node.id) || this.undoNew!.has(node.id) || !this.fresh.has(node.id)) return;
    const pre = cloneNode(node, node.id);
    pre.dirty = node.dirty;
    this.undo.set(node.id, pre);
  }

  /**
   * Puts every page the batch changed back as the batch found it, for a batch that failed
   * part-way; the caller restores the tree's root and totals. The pages go into the cache as
   * dirty (the file may hold the batch's version), and the pager turns read-only: a store
   * whose write failed writes nothing until it is reopened, so they are never written.
   */
  rollback(): void {
    for (const pre of this.undo?.values() ?? []) {
      pre.dirty = true;
      this.cache.set(pre);
    }
    this.endBatch();
    this.failed();
  }

  /** A write failed: write nothing more (dirty pages stay cached; reads still work). */
  failed(): void {
    this.readOnly = true;
    this.dirtyCount = 0;
    for (const n of this.cache.nodes()) if (n.dirty) this.dirtyCount++;
  }

  // ---- writing ---------------------------------------------------------------------------------

  /** Writes a dirty node to its page; it stays cached, now clean (as a view of what was written). */
  writeNode(node: Node, reason: WriteReason): void {
    this.writeNodes([node], 0, 1, reason);
  }

  /**
   * Writes nodes[from, to), whose ids are consecutive and ascending, with one write to the
   * file: each is encoded into the reused scratch buffer, the run is written, then each page
   * is cached as a view of its bytes as written, clean, and traced.
   */
  private writeNodes(nodes: readonly Node[], from: number, to: number, reason: WriteReason): void {
    const P = this.pageSize;
    const len = (to - from) * P;
    if (this.scratch.length < len)
      this.scratch = new Uint8Array(Math.max(len, Math.min(MAX_RUN_PAGES * P, 2 * this.scratch.length)));
    const run = this.scratch.subarray(0, len);
    run.fill(0);
    for (let i = from; i < to; i++)
      encodeTreePageInto(nodes[i]!, nodes[i]!.id, run.subarray((i - from) * P, (i - from + 1) * P));
    this.beforeWrite();
    this.unsynced = true;
    this.file.write(nodes[from]!.id * P, run);
    for (let i = from; i < to; i++) {
      const node = nodes[i]!;
      this.unwritten.delete(node.id);
      this.peeked.delete(node.id);
      this.pagesWritten++;
      if (node.dirty) {
        node.dirty = false;
        this.dirtyCount--;
      }
      // The page as written is what later reads search; the decoded node is dropped.
      if (this.cache.peek(node.id) === node)
        this.cache.replace(viewOfEncoded(run.slice((i - from) * P, (i - from + 1) * P), node));
      this.trace?.({ type: 'btree.pageWrite', page: node.id, kind: node.leaf ? 'leaf' : 'branch', reason });
    }
  }

  /** Writes an encoded non-tree page (overflow, freelist). */
  writeRaw(id: number, page: Uint8Array, kind: PageKind, reason: WriteReason): void {
    this.beforeWrite();
    this.unsynced = true;
    this.file.write(id * this.pageSize, page);
    this.unwritten.delete(id);
    this.peeked.delete(id);
    this.pagesWritten++;
    this.trace?.({ type: 'btree.pageWrite', page: id, kind, reason });
  }

  /** Writes every dirty node (at commit, or early when the dirty budget is hit). */
  writeDirty(reason: WriteReason): number {
    // Ascending ids: the writes then go to the file in order, a run of consecutive ids at a time.
    const dirty: Node[] = [];
    for (const x of this.cache.nodes()) if (x.dirty) dirty.push(x as Node);
    dirty.sort((a, b) => a.id - b.id);
    for (let i = 0; i < dirty.length;) {
      let j = i + 1;
      while (j < dirty.length && j - i < MAX_RUN_PAGES && dirty[j]!.id === dirty[j - 1]!.id + 1) j++;
      this.writeNodes(dirty, i, j, reason);
      i = j;
    }
    return dirty.length;
  }

  /**
   * At commit, after every dirty page and the free list are written: writes a placeholder
   * (an empty freelist page) to each page taken from the end of the file and freed before
   * anything was written to it. Returns how many.
   */
  writePlaceholders(): number {
    const ids = [...this.unwritten].sort((a, b) => a - b);
    for (const id of ids) this.writeRaw(id, encodeFreePage(id, this.pageSize), 'freelist', 'commit');
    return ids.length;
  }

  /** Evicts least recently used pages until the cache is within its capacity. */
  trim(): void {
    while (this.cache.over) {
      // After a failed write only clean pages leave (the dirty ones exist nowhere else).
      const victim = this.readOnly ? this.cache.oldestClean() : this.cache.oldest();
      if (!victim) return;
      // A dirty victim is fresh (only fresh pages change), so writing it early is safe.
      if (victim.dirty) this.writeNode(victim as Node, 'evict');
      this.cache.delete(victim.id);
      this.evictions++;
      this.trace?.({ type: 'btree.evict', page: victim.id, dirty: false, cached: this.cache.size });
    }
  }

  /** Closes the raw handle (the store closes the counted one). */
  closeRaw(): void {
    this.rawFile?.close();
    this.rawFile = undefined;
  }
}

/** A decoded node of a cached view, clean, for a page about to change. */
function materialize(v: PageView): Node {
  return { id: v.id, dirty: false, ...decodeView(v) };
}
