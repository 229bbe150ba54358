/**
 * structure.ts: the model of the B+tree picture at one step (render/tree.ts draws it). No DOM.
 *
 * Everything comes from the step itself: the tree, the cache and the free list from the
 * engine's inspect() at this step; the counters from its inspect() and stats(); the two meta
 * pages, the shutdown flag and the page map from the disk's bytes at this step, read with the
 * engine's own meta.ts; and the marks (what this step does to which page) from the events of
 * this step's command up to it.
 */
import type { BtreeEvent } from '../../../../engines/btree/events.js';
import type { BtreeInspect, BtreeInspectPage } from '../../../../engines/btree/inspect.js';
import { DATA_FILE, META_SIZE, STATE_CLEAN, STATE_DIRTY, STATE_OFFSET } from '../../../../engines/btree/format.js';
import { newestMeta, readMetaSlots } from '../../../../engines/btree/meta.js';
import type { StepView } from '../../adapter.js';
import type { StoreState } from '../../step.js';
import { describeBtree } from './captions.js';
import { btreeFileFields, filePageSize } from './fields.js';

/** The page kinds a page type names. */
const KINDS = ['meta', 'branch', 'leaf', 'overflow', 'freelist'] as const;

/** What a page is doing at this step, for highlighting. */
export type PageMark =
  | 'hit'
  | 'miss'
  | 'read'
  | 'write'
  | 'evict'
  | 'alloc'
  | 'cow-from'
  | 'cow-to'
  | 'free'
  | 'split'
  | 'split-new'
  | 'merge-into'
  | 'merge-from'
  | 'borrow'
  | 'root';

/** One meta page as it is on disk at this step. */
export interface MetaView {
  slot: number;
  valid: boolean;
  /** The one open would choose now. */
  current: boolean;
  txid?: number;
  root?: number;
  height?: number;
  pageCount?: number;
  keyCount?: number;
  error?: string;
  /** Its 88 checksummed bytes were written and not yet synced (a crash could lose or tear them). */
  unsynced: boolean;
}

/** The shutdown flag (byte 88 of meta page 0) as it is on disk at this step. */
export interface FlagView {
  value: 'clean' | 'dirty' | 'invalid';
  /** Written and not yet synced (a clean close leaves 'C' so: a crash then only recovers needlessly). */
  unsynced: boolean;
}

/** The structure view's model at one step. */
export interface BtreeStructure {
  state: StoreState;
  pageSize: number | undefined;
  /** The tree in memory at this step, or null when no store is open. */
  tree: BtreeInspectPage | null;
  /** Cached page ids now, and which are dirty. */
  cached: Map<number, { dirty: boolean }>;
  cacheCapacity: number | undefined;
  marks: Map<number, PageMark>;
  /** The two meta pages as on disk now. */
  metas: MetaView[];
  flag: FlagView | undefined;
  /** The commit step this command has reached, if it commits. */
  commit: { step: string; txid: number } | undefined;
  /** Every page of the file: its kind on disk, whether the free list holds it, and whether it is cached. */
  pages: {
    id: number;
    kind: string;
    free: 'free' | 'pending' | undefined;
    cached: boolean;
    dirty: boolean;
    unsynced: boolean;
  }[];
  freelist: { free: number[]; pending: number[] };
  /** The engine's own counters since this store was opened. */
  counts: { hits: number; misses: number; evictions: number; reads: number; writes: number } | undefined;
  /** The text of this step, for the view's caption. */
  caption: string | undefined;
}

/** The marks of the command so far: a split's, a merge's and a new root's pages stay marked; the rest only at their own step. */
function marksOf(events: readonly StepView['event'][]): {
  marks: Map<number, PageMark>;
  commit: BtreeStructure['commit'];
} {
  const marks = new Map<number, PageMark>();
  let commit: BtreeStructure['commit'];
  events.forEach((ev, j) => {
    const e = ev as BtreeEvent;
    const now = j === events.length - 1;
    switch (e.type) {
      case 'btree.commit':
        commit = { step: e.step, txid: e.txid };
        return;
      case 'btree.split':
        marks.set(e.page, 'split');
        marks.set(e.right, 'split-new');
        return;
      case 'btree.merge':
        marks.set(e.into, 'merge-into');
        marks.set(e.from, 'merge-from');
        return;
      case 'btree.borrow':
        marks.set(e.from, 'borrow');
        marks.set(e.to, 'borrow');
        return;
      case 'btree.root':
        marks.set(e.to, 'root');
        return;
    }
    if (!now) return;
    if (e.type === 'btree.cacheHit') marks.set(e.page, 'hit');
    else if (e.type === 'btree.cacheMiss') marks.set(e.page, 'miss');
    else if (e.type === 'btree.pageRead') marks.set(e.page, 'read');
    else if (e.type === 'btree.pageWrite') marks.set(e.page, 'write');
    else if (e.type === 'btree.evict') marks.set(e.page, 'evict');
    else if (e.type === 'btree.alloc') marks.set(e.page, 'alloc');
    else if (e.type === 'btree.free') marks.set(e.page, 'free');
    else if (e.type === 'btree.cow') {
      marks.set(e.from, 'cow-from');
      marks.set(e.to, 'cow-to');
    }
  });
  return { marks, commit };
}

/** The structure at one step. */
export function btreeStructure(view: StepView): BtreeStructure {
  const pic = view.inspect?.engine === 'btree' ? (view.inspect as BtreeInspect) : undefined;
  const { marks, commit } = marksOf(view.commandEvents);
  const cached = new Map<number, { dirty: boolean }>();
  for (const p of pic?.cache.pages ?? []) cached.set(p.id, { dirty: p.dirty });
  // The disk as it is at this step.
  const file = view.disk.files.find((f) => f.name === DATA_FILE);
  const bytes = file?.bytes ?? new Uint8Array(0);
  const P = filePageSize(bytes) ?? pic?.pageSize;
  const unsyncedAt = (a: number, b: number): boolean => (file?.unsynced ?? []).some(([x, y]) => x < b && a < y);
  const metas: MetaView[] = [];
  let flag: FlagView | undefined;
  if (P && bytes.length >= P) {
    const slots = readMetaSlots((at, n) => bytes.subarray(at, at + n), P, DATA_FILE);
    const newest = newestMeta(slots);
    for (const s of slots) {
      const unsynced = unsyncedAt(s.offset, s.offset + META_SIZE);
      const m = s.meta;
      if (m)
        metas.push({
          slot: s.slot,
          valid: true,
          current: m === newest,
          txid: m.txid,
          root: m.root,
          height: m.height,
          pageCount: m.pageCount,
          keyCount: m.keyCount,
          unsynced,
        });
      else
        metas.push({
          slot: s.slot,
          valid: false,
          current: false,
          error: s.error?.message.replace(/^.* at byte offset \d+: /, '') ?? 'not valid',
          unsynced,
        });
    }
    const b = bytes[STATE_OFFSET];
    flag = {
      value: b === STATE_CLEAN ? 'clean' : b === STATE_DIRTY ? 'dirty' : 'invalid',
      unsynced: unsyncedAt(STATE_OFFSET, STATE_OFFSET + 1),
    };
  }
  const open = view.state === 'open' && pic !== undefined;
  const freeList = open ? pic.freelist : { free: [], pending: [] };
  const free = new Set(freeList.free);
  const pending = new Set(freeList.pending);
  const pages: BtreeStructure['pages'] = [];
  if (P) {
    const n = Math.max(Math.floor(bytes.length / P), open ? pic.pageCount : 0);
    // Each page's type as the engine's describer reads it (a page never written has none).
    const types = new Map<number, string>();
    for (const f of btreeFileFields(DATA_FILE, bytes))
      if (f.name === 'pageType' && f.record !== undefined) types.set(f.record, f.text ?? '');
    for (let id = 0; id < n; id++) {
      const kind = KINDS.find((k) => types.get(id)?.includes(`(${k})`)) ?? 'unwritten';
      const c = cached.get(id);
      pages.push({
        id,
        kind,
        free: free.has(id) ? 'free' : pending.has(id) ? 'pending' : undefined,
        cached: !!c,
        dirty: !!c?.dirty,
        unsynced: unsyncedAt(id * P, id * P + P),
      });
    }
  }
  const es = view.stats?.engineStats as Record<string, number> | undefined;
  const ev = view.event;
  return {
    state: view.state,
    pageSize: P,
    tree: open ? pic.tree : null,
    cached,
    cacheCapacity: pic?.cache.capacity,
    marks,
    metas,
    flag,
    commit,
    pages,
    freelist: { free: freeList.free, pending: freeList.pending },
    counts: pic
      ? {
          hits: pic.cache.hits,
          misses: pic.cache.misses,
          evictions: es?.evictions ?? 0,
          reads: es?.pagesRead ?? 0,
          writes: es?.pagesWritten ?? 0,
        }
      : undefined,
    caption: ev.type.startsWith('btree.') ? describeBtree(ev as Parameters<typeof describeBtree>[0]) : undefined,
  };
}
