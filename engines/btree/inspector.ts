/**
 * inspector.ts: builds the btree engine's inspect() picture (its shape is inspect.ts) from the
 * store's pager and tree: the tree of pages from the root, both meta pages as the file holds
 * them (meta.ts), the free list, the cache, and a map of every page. Pages are read without
 * touching the cache or the I/O counters, so inspecting never changes what it shows.
 */
import { display } from '../bytes.js';
import type { FileSystem } from '../storage/fs.js';
import { checkTree } from './check.js';
import { DATA_FILE, type Geometry, type Meta } from './format.js';
import type { BtreeInspect, BtreeInspectMeta, BtreeInspectPage } from './inspect.js';
import { newestMeta, readMetaSlots } from './meta.js';
import { nodeSize } from './node.js';
import type { Pager } from './pager.js';
import type { TreeState } from './tree.js';

/** inspect() expands at most this many tree pages and shows at most this many keys per page. */
export const INSPECT_MAX_PAGES = 200;
export const INSPECT_MAX_KEYS = 64;

/** What inspectBtree() looks at: the store's pager and tree, and what it was opened with. */
export interface BtreeParts {
  pager: Pager;
  state: TreeState;
  g: Geometry;
  /** The last durable commit. */
  durable: Meta;
  cachePages: number;
  dirtyBudget: number;
  path: string;
  /** The file system without counting, for the file's size. */
  rawFs: FileSystem;
}

/** The tree from the root, breadth first, at most INSPECT_MAX_PAGES pages expanded. */
function treeOf(p: Pager, root: number, pageSize: number): BtreeInspectPage {
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
      fill: size / pageSize,
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
  const tree = pageOf(root);
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
  return tree;
}

/** The btree engine's picture of itself: the tree, both meta pages, the free list, the cache. */
export function inspectBtree(b: BtreeParts): BtreeInspect {
  const p = b.pager;
  const s = b.state;
  const tree = treeOf(p, s.root, b.g.pageSize);
  // Both meta pages as the file holds them.
  const raw = p.raw();
  const slots = readMetaSlots((at, n) => raw.read(at, n), b.g.pageSize, b.path);
  const newest = newestMeta(slots);
  const metas: BtreeInspectMeta[] = slots.map(({ slot, meta: m, error }) =>
    m
      ? {
          slot,
          valid: true,
          current: m === newest,
          txid: m.txid,
          root: m.root,
          height: m.height,
          freelist: m.freelist,
          pageCount: m.pageCount,
          keyCount: m.keyCount,
        }
      : { slot, valid: false, current: false, error: error!.message },
  );
  const lists = p.freelist.lists();
  const out: BtreeInspect = {
    engine: 'btree',
    pageSize: b.g.pageSize,
    root: s.root,
    height: s.height,
    keys: s.keyCount,
    txid: b.durable.txid,
    pageCount: p.pageCount,
    tree,
    metas,
    freelist: { free: lists.free, pending: lists.pending, chain: p.freelistChain.slice() },
    cache: {
      capacity: b.cachePages,
      hits: p.cache.hits,
      misses: p.cache.misses,
      dirtyBudget: b.dirtyBudget,
      pages: [...p.cache.nodes()].map((n) => ({ id: n.id, dirty: n.dirty, type: n.leaf ? 'leaf' : 'branch' })),
    },
    uncommitted: [...p.fresh].sort((a, c) => a - c),
    files: [{ name: DATA_FILE, size: b.rawFs.fileSize(b.path), role: 'pages' }],
  };
  if (p.pageCount <= 4096) out.pageMap = checkTree(p, s).roles;
  return out;
}
