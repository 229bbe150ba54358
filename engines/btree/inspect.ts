/**
 * inspect.ts: the btree engine's picture of itself, for the tree, cache and file diagrams.
 *
 * `tree` is the page tree from the root, nested (draw it with d3.hierarchy). It shows at most
 * INSPECT_MAX_PAGES pages, breadth first; a branch whose children were not expanded lists
 * their ids in `childIds` and has `truncated: true`. Pages are read for inspect() without
 * touching the cache or the I/O counters, so inspecting never changes what it shows.
 * `metas` are the two meta pages as the file holds them, read and chosen between by meta.ts.
 * inspector.ts builds the picture; this module is only its shape, which the engine registry's
 * union of pictures imports.
 */
import type { FileInfo } from '../inspect.js';

/** One tree page in the picture. */
export interface BtreeInspectPage {
  id: number;
  type: 'leaf' | 'branch';
  /** The keys (a branch's first key is empty and shown as ""), at most INSPECT_MAX_KEYS. */
  keys: string[];
  keyCount: number;
  /** Encoded bytes and their share of the page. */
  bytes: number;
  fill: number;
  /** In the page cache now; changed and not yet written; allocated since the last commit. */
  cached: boolean;
  dirty: boolean;
  fresh: boolean;
  /** For leaves: first overflow page of each value stored out of line (by key index). */
  overflow?: { index: number; page: number; length: number }[];
  /** For branches: the expanded children, or only their ids when truncated. */
  children?: BtreeInspectPage[];
  childIds?: number[];
  truncated?: boolean;
}

/** One meta page as read from the file. */
export interface BtreeInspectMeta {
  slot: number;
  valid: boolean;
  /** Which meta open would choose now (the valid one with the higher txid). */
  current: boolean;
  txid?: number;
  root?: number;
  height?: number;
  freelist?: number;
  pageCount?: number;
  keyCount?: number;
  error?: string;
}

/** The btree engine's inspect() result. */
export interface BtreeInspect {
  engine: 'btree';
  pageSize: number;
  /** The tree in memory (root, height, keys), possibly ahead of the last commit. */
  root: number;
  height: number;
  keys: number;
  /** The last durable commit's txid. */
  txid: number;
  pageCount: number;
  tree: BtreeInspectPage;
  metas: BtreeInspectMeta[];
  freelist: { free: number[]; pending: number[]; chain: number[] };
  cache: {
    capacity: number;
    hits: number;
    misses: number;
    dirtyBudget: number;
    pages: { id: number; dirty: boolean; type: 'leaf' | 'branch' }[];
  };
  /** Page ids changed since the last commit (what a crash now would lose). */
  uncommitted: number[];
  /** Every page id below pageCount and what it is now (only for files of at most 4096 pages). */
  pageMap?: ('meta' | 'branch' | 'leaf' | 'overflow' | 'freelist' | 'free' | 'pending')[];
  files: FileInfo[];
}
