/**
 * events.ts: the btree engine's trace events, emitted at the point of change.
 *
 *   btree.open       the file was opened (or created): which meta page won, the root, the height
 *   btree.pageRead   a page was read from the file into the cache (a cache miss brought it in)
 *   btree.pageWrite  a page was written: at commit, or spilled early (evicted dirty, or the
 *                    dirty budget was hit inside a batch), or an overflow page of a big value
 *   btree.cacheHit   a page was found in the page cache
 *   btree.cacheMiss  a page was not in the cache and must be read
 *   btree.evict      the cache was full: its least recently used page left it
 *   btree.alloc      a page id was handed out, from the free list or from the end of the file
 *   btree.cow        copy-on-write: a committed page was copied to a new page before a change
 *   btree.free       a page was freed: reusable now (it was never committed) or after the
 *                    next commit is durable (the last commit still uses it)
 *   btree.split      a page overflowed and split in two; which keys went left and right
 *   btree.merge      an underfull page was merged with its sibling
 *   btree.borrow     an underfull page took entries from its sibling (the two were redistributed)
 *   btree.root       the root changed: a new root above a split one, or a root with one child
 *                    was replaced by that child (the tree grew or shrank by one level)
 *   btree.commit     a commit step: `pages` (dirty pages written), `freelist` (written),
 *                    `sync` (data durable), `meta` (meta page written and synced), `done`
 *   btree.freelist   after a durable commit, the pages it freed became reusable
 *   btree.recover    open found the shutdown flag dirty (a session did not close cleanly) and
 *                    cleaned up what a crash may leave: a torn meta page, pages past the page
 *                    count, free pages that fail their checksum; a commit follows if it did
 */
import type { PageKind } from './format.js';

/** Why a page was written. */
export type WriteReason = 'commit' | 'evict' | 'spill' | 'overflow' | 'init';
/** Why a commit ran. */
export type CommitReason = 'sync' | 'close' | 'budget' | 'compact' | 'init' | 'recover';

export type BtreeEvent =
  | {
      type: 'btree.open';
      file: string;
      created: boolean;
      metaSlot: number;
      txid: number;
      root: number;
      height: number;
      pageSize: number;
      pages: number;
      freePages: number;
    }
  | { type: 'btree.pageRead'; page: number; kind: PageKind }
  | { type: 'btree.pageWrite'; page: number; kind: PageKind; reason: WriteReason }
  | { type: 'btree.cacheHit'; page: number }
  | { type: 'btree.cacheMiss'; page: number }
  | { type: 'btree.evict'; page: number; dirty: boolean; cached: number }
  | { type: 'btree.alloc'; page: number; kind: PageKind; from: 'freelist' | 'end' }
  | { type: 'btree.cow'; from: number; to: number; kind: PageKind }
  | { type: 'btree.free'; page: number; kind: PageKind; reusable: 'now' | 'afterCommit' }
  | {
      type: 'btree.split';
      page: number;
      right: number;
      leaf: boolean;
      separator: string;
      leftKeys: number;
      rightKeys: number;
      leftFirst: string;
      leftLast: string;
      rightFirst: string;
      rightLast: string;
    }
  | { type: 'btree.merge'; into: number; from: number; leaf: boolean; keys: number; parent: number }
  | { type: 'btree.borrow'; from: number; to: number; leaf: boolean; moved: number; separator: string; parent: number }
  | { type: 'btree.root'; from: number; to: number; height: number; reason: 'split' | 'collapse' }
  | {
      type: 'btree.commit';
      step: 'pages' | 'freelist' | 'sync' | 'meta' | 'done';
      reason: CommitReason;
      txid: number;
      root: number;
      pages: number;
      slot: number;
    }
  | { type: 'btree.freelist'; released: number; free: number }
  | { type: 'btree.recover'; tornMeta: number[]; cutPages: number; rewrittenFreePages: number };
