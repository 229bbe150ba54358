/**
 * btree.ts: the workbench adapter for the B+tree engine (engines/btree/).
 *
 * Memory: the page cache, most recently used page first, each page clean or dirty (changed
 * since the last commit). Disk: btree.db as a strip of fixed-size pages, each page split into
 * its header fields and entries the way format.ts lays them out. The structure view
 * (btreeStructure + render/tree.ts) draws the tree of pages, which of them are in memory and
 * which only on disk, the two meta pages as they are on disk at this step, the free list and a
 * map of every page of the file.
 */
import type { EngineSnapshot, TraceEvent } from '../../../engines/registry-types.js';
import type { BtreeEvent } from '../../../engines/btree/events.js';
import type { BtreeInspect, BtreeInspectPage } from '../../../engines/btree/inspect.js';
import {
  BRANCH_ENTRY,
  DATA_FILE,
  FLAG_OVERFLOW,
  HEADER,
  LEAF_ENTRY,
  MAGIC,
  META_SIZE,
  OVERFLOW_REF,
  PAGE_BRANCH,
  PAGE_FREELIST,
  PAGE_LEAF,
  PAGE_META,
  PAGE_OVERFLOW,
  decodeMeta,
  kindOf,
  validPageSize,
} from '../../../engines/btree/format.js';
import { bytesText, readUintLE, type EngineAdapter, type FieldSpan, type MemoryPicture, type MemoryRow } from '../adapter.js';
import type { Frame } from '../frame.js';
import type { Recorder } from '../recorder.js';
import { renderTree } from '../render/tree.js';

const COLUMNS = ['page', 'holds', 'state'];
const TITLE = 'page cache (in memory, most recent first)';

/** The memory picture, carrying the inspect() it came from (keyframes only) for the structure view. */
export interface BtreeMemory extends MemoryPicture {
  inspect?: BtreeInspect;
}

/** The row id of a page. */
export const pageId = (id: number): string => `page ${id}`;

/** A cache row. */
function row(id: number, kind: string, dirty: boolean, keys: string): MemoryRow {
  return { id: pageId(id), cells: [keys === '' ? kind : `${kind}, ${keys} keys`, dirty ? 'dirty' : 'clean'] };
}

/** Replaces one note's value. */
function setNote(notes: [string, string][], name: string, value: string): [string, string][] {
  return notes.map(([n, v]) => [n, n === name ? value : v]);
}

/** Reads a note as a number. */
function noteNum(mem: MemoryPicture, name: string): number {
  return Number(mem.notes.find(([n]) => n === name)?.[1] ?? 0);
}

/** Every page of the inspected tree, by id. */
export function treePages(tree: BtreeInspectPage | undefined): Map<number, BtreeInspectPage> {
  const out = new Map<number, BtreeInspectPage>();
  const walk = (p: BtreeInspectPage): void => {
    out.set(p.id, p);
    for (const c of p.children ?? []) walk(c);
  };
  if (tree) walk(tree);
  return out;
}

/** Moves a row to the front (most recently used), or adds it there. */
function touch(rows: MemoryRow[], r: MemoryRow): MemoryRow[] {
  return [r, ...rows.filter((x) => x.id !== r.id)];
}

/** Field text for the hex legend. */
function fieldText(name: string, b: Uint8Array, offset: number, length: number): string {
  const bytes = b.subarray(offset, offset + length);
  if (name === 'checksum') return '0x' + readUintLE(b, offset, 4).toString(16).padStart(8, '0') + ' (masked CRC-32C)';
  switch (name) {
    case 'pageType':
      return `${b[offset]} (${kindOf(b[offset] ?? 0) ?? 'unknown'})`;
    case 'magic':
    case 'key':
    case 'separatorKey':
    case 'value':
    case 'overflowData':
      return bytesText(bytes);
    case 'entryFlags':
      return (b[offset] ?? 0) & FLAG_OVERFLOW ? '1 (value in overflow pages)' : '0 (value inline)';
    default:
      return String(readUintLE(b, offset, length));
  }
}

/** The page size of a btree.db, from meta page 0 (or 1), or undefined when neither says. */
export function filePageSize(bytes: Uint8Array): number | undefined {
  for (const at of [0, 512, 1024, 2048, 4096, 8192, 16384, 32768, 65536]) {
    if (bytes.length < at + META_SIZE || bytes[at + 4] !== PAGE_META) continue;
    let magic = true;
    for (let i = 0; i < 8; i++) if (bytes[at + 16 + i] !== MAGIC.charCodeAt(i)) magic = false;
    const ps = readUintLE(bytes, at + 28, 4);
    if (magic && validPageSize(ps)) return ps;
  }
  return undefined;
}

/**
 * The fields of btree.db: for each page (record = page id), its 16-byte header, then by type
 * the meta fields, the entries, the overflow bytes or the freelist ids. Reads with bounds
 * checks and stops a page at the first entry that does not fit (a torn page stays unexplained).
 */
export function btreeFields(bytes: Uint8Array): FieldSpan[] {
  const P = filePageSize(bytes);
  if (!P) return [];
  const out: FieldSpan[] = [];
  const u = (o: number, n: number): number => readUintLE(bytes, o, n);
  for (let id = 0; (id + 1) * P <= bytes.length; id++) {
    const at = id * P;
    const type = bytes[at + 4] ?? 0;
    if (!kindOf(type)) continue; // a never-written (all zero) page
    const f = (offset: number, length: number, name: string): void => {
      out.push({ offset: at + offset, length, name, record: id });
    };
    f(0, 4, 'checksum');
    f(4, 1, 'pageType');
    f(5, 1, 'flags');
    f(6, 2, 'count');
    f(8, 4, 'pageId');
    f(12, 4, 'nextPage');
    const count = u(at + 6, 2);
    if (type === PAGE_META) {
      f(16, 8, 'magic');
      f(24, 2, 'version');
      f(26, 2, 'reserved');
      f(28, 4, 'pageSize');
      f(32, 8, 'txid');
      f(40, 4, 'rootPage');
      f(44, 4, 'height');
      f(48, 4, 'freelistPage');
      f(52, 4, 'freelistPages');
      f(56, 4, 'pageCount');
      f(60, 4, 'leafPages');
      f(64, 4, 'branchPages');
      f(68, 4, 'overflowPages');
      f(72, 8, 'keyCount');
      f(80, 8, 'liveBytes');
    } else if (type === PAGE_LEAF) {
      let o = HEADER;
      for (let i = 0; i < count && o + LEAF_ENTRY <= P; i++) {
        const kl = u(at + o, 2);
        const flags = bytes[at + o + 2] ?? 0;
        const vl = u(at + o + 3, 4);
        const inline = (flags & FLAG_OVERFLOW) === 0;
        const end = o + LEAF_ENTRY + kl + (inline ? vl : OVERFLOW_REF);
        if (end > P) break;
        f(o, 2, 'keyLength');
        f(o + 2, 1, 'entryFlags');
        f(o + 3, 4, 'valueLength');
        f(o + LEAF_ENTRY, kl, 'key');
        if (inline) f(o + LEAF_ENTRY + kl, vl, 'value');
        else f(o + LEAF_ENTRY + kl, OVERFLOW_REF, 'overflowPage');
        o = end;
      }
    } else if (type === PAGE_BRANCH) {
      let o = HEADER;
      for (let i = 0; i < count && o + BRANCH_ENTRY <= P; i++) {
        const kl = u(at + o + 4, 2);
        if (o + BRANCH_ENTRY + kl > P) break;
        f(o, 4, 'childPage');
        f(o + 4, 2, 'keyLength');
        if (kl > 0) f(o + BRANCH_ENTRY, kl, 'separatorKey');
        o += BRANCH_ENTRY + kl;
      }
    } else if (type === PAGE_OVERFLOW) {
      if (count > 0 && HEADER + count <= P) f(HEADER, count, 'overflowData');
    } else if (type === PAGE_FREELIST) {
      for (let i = 0; i < count && HEADER + 4 * i + 4 <= P; i++) f(HEADER + 4 * i, 4, 'freePageId');
    }
  }
  return out.map((x) => ({ ...x, text: fieldText(x.name, bytes, x.offset, x.length) }));
}

/** The notes under the cache. */
function notes(i: BtreeInspect): [string, string][] {
  return [
    ['keys', String(i.keys)],
    ['cached pages', `${i.cache.pages.length} of ${i.cache.capacity}`],
    ['cache hits', String(i.cache.hits)],
    ['cache misses', String(i.cache.misses)],
    ['height', String(i.height)],
    ['committed txid', String(i.txid)],
  ];
}

export const btreeAdapter: EngineAdapter = {
  engine: 'btree',
  defaultOptions: { pageSize: 512, cachePages: 8 },

  memory(s: EngineSnapshot): MemoryPicture {
    if (s.engine !== 'btree') throw new Error(`btree adapter given a ${s.engine} picture`);
    const i = s as BtreeInspect;
    const pages = treePages(i.tree);
    // inspect() lists the cache least recently used first; the pane shows the newest on top.
    const rows = [...i.cache.pages].reverse().map((p) => row(p.id, p.type, p.dirty, String(pages.get(p.id)?.keyCount ?? '')));
    const mem: BtreeMemory = { title: TITLE, columns: COLUMNS, rows, total: rows.length, keys: i.keys, notes: notes(i), inspect: i };
    return mem;
  },

  emptyMemory(): MemoryPicture {
    return {
      title: TITLE,
      columns: COLUMNS,
      rows: [],
      total: 0,
      keys: null,
      notes: [
        ['keys', '—'],
        ['cached pages', '0'],
        ['cache hits', '0'],
        ['cache misses', '0'],
        ['height', '—'],
        ['committed txid', '—'],
      ],
    };
  },

  applyEvent(mem: MemoryPicture, event: TraceEvent, after: MemoryPicture | null): MemoryPicture {
    if (!event.type.startsWith('btree.')) return mem;
    const e = event as BtreeEvent;
    const m = mem as BtreeMemory;
    const find = (id: number): MemoryRow | undefined => m.rows.find((r) => r.id === pageId(id));
    const withRows = (rows: MemoryRow[]): BtreeMemory => ({ ...m, rows, total: rows.length });
    switch (e.type) {
      case 'btree.cacheHit': {
        const r = find(e.page);
        const next = r ? withRows(touch(m.rows, r)) : m;
        return { ...next, notes: setNote(next.notes, 'cache hits', String(noteNum(m, 'cache hits') + 1)) };
      }
      case 'btree.cacheMiss':
        return { ...m, notes: setNote(m.notes, 'cache misses', String(noteNum(m, 'cache misses') + 1)) };
      case 'btree.pageRead':
        if (e.kind !== 'leaf' && e.kind !== 'branch') return m;
        return withRows(touch(m.rows, row(e.page, e.kind, false, '')));
      case 'btree.alloc':
        if (e.kind !== 'leaf' && e.kind !== 'branch') return m;
        return withRows(touch(m.rows, row(e.page, e.kind, true, '')));
      case 'btree.cow': {
        const from = find(e.from);
        return withRows(touch(m.rows, { id: pageId(e.to), cells: [from?.cells[0] ?? e.kind, 'dirty'] }));
      }
      case 'btree.free':
        return withRows(m.rows.filter((r) => r.id !== pageId(e.page)));
      case 'btree.evict':
        return withRows(m.rows.filter((r) => r.id !== pageId(e.page)));
      case 'btree.pageWrite': {
        const r = find(e.page);
        if (!r) return m;
        return withRows(m.rows.map((x) => (x === r ? { ...x, cells: [x.cells[0]!, 'clean'] } : x)));
      }
      case 'btree.commit':
        return e.step === 'done' ? { ...m, notes: setNote(m.notes, 'committed txid', String(e.txid)) } : m;
      case 'btree.open':
        return { ...m, notes: setNote(setNote(m.notes, 'height', String(e.height)), 'committed txid', String(e.txid)) };
      case 'btree.root':
        return { ...m, notes: setNote(m.notes, 'height', String(e.height)) };
      default:
        return after && e.type === 'btree.freelist' ? m : m;
    }
  },

  focusKey(event: TraceEvent): string | undefined {
    switch (event.type) {
      case 'btree.cacheHit':
      case 'btree.cacheMiss':
      case 'btree.pageRead':
      case 'btree.pageWrite':
      case 'btree.alloc':
      case 'btree.evict':
        return pageId(event.page);
      case 'btree.cow':
        return pageId(event.to);
      case 'btree.split':
        return pageId(event.right);
      case 'btree.merge':
        return pageId(event.into);
      case 'btree.borrow':
        return pageId(event.to);
      default:
        return undefined;
    }
  },

  fileFields(name: string, bytes: Uint8Array): FieldSpan[] {
    return name.startsWith(DATA_FILE) ? btreeFields(bytes) : [];
  },

  fileRole(name: string): string {
    if (name === DATA_FILE) return 'pages';
    if (name === 'btree.dirty') return 'dirty marker: a session is writing (gone after a clean close)';
    return name.startsWith(DATA_FILE) ? 'temporary: a create in progress' : 'other';
  },

  liveRecords(name: string, fields: FieldSpan[], mem: MemoryPicture | null): Set<number> | undefined {
    // A page is live unless the free list holds it (free now, or pending until the next commit).
    const map = (mem as BtreeMemory | null)?.inspect?.pageMap;
    if (name !== DATA_FILE || !map) return undefined;
    const live = new Set<number>();
    for (const f of fields) if (f.record !== undefined && map[f.record] !== 'free' && map[f.record] !== 'pending') live.add(f.record);
    return live;
  },

  describe(event: TraceEvent): string | undefined {
    if (!event.type.startsWith('btree.')) return undefined;
    const e = event as BtreeEvent;
    switch (e.type) {
      case 'btree.open':
        return e.created
          ? `created ${e.file}: empty root leaf (page ${e.root}) and both meta pages, ${e.pageSize} B pages`
          : `open: meta page ${e.metaSlot} wins (txid ${e.txid}): root page ${e.root}, height ${e.height}, ${e.pages} pages, ${e.freePages} free`;
      case 'btree.pageRead':
        return `read ${e.kind} page ${e.page} from disk into the cache`;
      case 'btree.pageWrite':
        return `write ${e.kind} page ${e.page} (${{ commit: 'commit', evict: 'evicted dirty: spilled early', spill: 'dirty budget reached: spilled', overflow: 'overflow page of a big value', init: 'new file' }[e.reason]})`;
      case 'btree.cacheHit':
        return `cache hit: page ${e.page} is in memory, no disk read`;
      case 'btree.cacheMiss':
        return `cache miss: page ${e.page} is only on disk, it must be read`;
      case 'btree.evict':
        return `cache full: evict page ${e.page}, the least recently used${e.dirty ? ' (dirty: written first)' : ''}; ${e.cached} cached`;
      case 'btree.alloc':
        return `allocate page ${e.page} for a ${e.kind} page, ${e.from === 'freelist' ? 'reused from the free list' : 'at the end of the file'}`;
      case 'btree.cow':
        return `copy-on-write: committed ${e.kind} page ${e.from} is copied to page ${e.to}; page ${e.from} stays untouched on disk`;
      case 'btree.free':
        return `free page ${e.page} (${e.kind}): ${e.reusable === 'now' ? 'never committed, reusable at once' : 'pending: the last commit still uses it'}`;
      case 'btree.split':
        return `split ${e.leaf ? 'leaf' : 'branch'} page ${e.page}: ${e.leftKeys} keys (${e.leftFirst}…${e.leftLast}) stay, ${e.rightKeys} (${e.rightFirst}…${e.rightLast}) move to page ${e.right}; separator ${e.separator} goes up`;
      case 'btree.merge':
        return `merge ${e.leaf ? 'leaf' : 'branch'} page ${e.from} into page ${e.into} (${e.keys} keys); parent ${e.parent} loses an entry`;
      case 'btree.borrow':
        return `borrow: move ${e.moved} entries from page ${e.from} to page ${e.to}; new separator ${e.separator} in parent ${e.parent}`;
      case 'btree.root':
        return e.reason === 'split' ? `the root split: new root page ${e.to}, the tree is now ${e.height} levels high` : `root ${e.from} had one child: page ${e.to} is the root, height ${e.height}`;
      case 'btree.commit':
        return {
          pages: `commit txid ${e.txid} (${e.reason}) 1/4: write ${e.pages} dirty pages, all at fresh ids`,
          freelist: `commit 2/4: write the free list`,
          sync: `commit 3/4: fsync: every page the new meta will point at is durable`,
          meta: `commit 4/4: write meta page ${e.slot} (txid ${e.txid}, root ${e.root}) and fsync: the commit point`,
          done: `commit txid ${e.txid} done: a crash now reopens at this state`,
        }[e.step];
      case 'btree.freelist':
        return `the commit is durable: ${e.released} pending pages are free to reuse (${e.free} free)`;
      default:
        return undefined;
    }
  },

  scenarios: [
    {
      name: 'split',
      title: 'Fill until a split',
      about: 'Puts of 40-byte values fill the 512-byte root leaf; the next put splits it and a branch root appears.',
      commands: ['sync', ...longPuts(1, 12)],
    },
    {
      name: 'grow',
      title: 'Sixty keys in order',
      about: 'Sixty ascending keys: each split keeps most of the full leaf on the left; the root branch gathers a separator per leaf, and the small cache evicts the oldest leaves.',
      commands: [...longPuts(1, 60), 'sync'],
    },
    {
      name: 'merge',
      title: 'Delete until a merge',
      about: 'Deletes empty a leaf below a quarter full; it merges with its sibling and the root collapses.',
      commands: [...longPuts(1, 12), 'sync', ...Array.from({ length: 7 }, (_, i) => `delete k${String(i + 1).padStart(2, '0')}`), 'sync'],
    },
    {
      name: 'cache',
      title: 'Cache hits, misses, evictions',
      about: 'With 4 cache pages, reading keys spread across the tree misses and evicts; reading one again hits.',
      commands: ['reset', ...longPuts(1, 40), 'sync', 'reopen', 'get k01', 'get k20', 'get k39', 'get k10', 'get k30', 'get k01', 'get k01'],
    },
    {
      name: 'commit',
      title: 'A commit, step by step',
      about: 'Changes go to fresh pages (copy-on-write); sync writes them, the free list, fsyncs, then writes the meta page.',
      commands: [...longPuts(1, 6), 'sync', 'put k03 changed', 'sync'],
    },
    {
      name: 'crash-commit',
      title: 'Crash inside a commit',
      about: 'The meta page write fails mid-commit and power is lost: reopen takes the other meta page, the last commit.',
      commands: [...longPuts(1, 6), 'sync', 'put k03 changed', 'put k07 new', 'fault sync', 'sync', 'crash', 'reopen', 'scan'],
    },
    {
      name: 'overflow',
      title: 'A big value: overflow pages',
      about: 'A 1200-byte value does not fit a leaf entry: it goes to a chain of overflow pages; replacing it frees the chain.',
      commands: ['put small 1', `put big ${'B'.repeat(1200)}`, 'sync', 'put big tiny', 'sync'],
    },
    {
      name: 'freelist',
      title: 'The free list',
      about: 'Each commit copies the path; the old pages are pending until the commit is durable, then reused.',
      commands: [...longPuts(1, 10), 'sync', 'put k02 x', 'sync', 'put k04 y', 'sync', 'put k06 z', 'sync'],
    },
  ],

  structure: {
    title: 'The tree of pages: in memory or only on disk',
    render(svg: SVGSVGElement, width: number, frame: Frame, rec: Recorder, ms: number): void {
      renderTree(svg, width, btreeStructure(rec, frame), ms);
    },
  },
};

/** Puts k<from>..k<to> with 40-byte values, so a 512-byte page holds about nine of them. */
export function longPuts(from: number, to: number): string[] {
  const out: string[] = [];
  for (let i = from; i <= to; i++) out.push(`put k${String(i).padStart(2, '0')} value-${String(i).padStart(2, '0')}-${'x'.repeat(31)}`);
  return out;
}

// ---- the structure model ---------------------------------------------------------------------

/** What a page is doing at this step, for highlighting. */
export type PageMark = 'hit' | 'miss' | 'read' | 'write' | 'evict' | 'alloc' | 'cow-from' | 'cow-to' | 'free' | 'split' | 'split-new' | 'merge-into' | 'merge-from' | 'root';

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
  /** Not yet synced (a crash now could lose or tear it). */
  unsynced: boolean;
}

/** The structure view's model at one step. No DOM. */
export interface BtreeStructure {
  state: Frame['state'];
  pageSize: number | undefined;
  /** The tree in memory (the before or after picture of the command), or null when no store is open. */
  tree: BtreeInspectPage | null;
  /** Cached page ids now, and which are dirty. */
  cached: Map<number, { dirty: boolean }>;
  marks: Map<number, PageMark>;
  /** The two meta pages as on disk now. */
  metas: MetaView[];
  /** The commit step this command has reached, if it commits. */
  commit: { step: string; txid: number } | undefined;
  /** Every page of the file: its kind on disk, whether the free list holds it, and whether it is cached. */
  pages: { id: number; kind: string; free: 'free' | 'pending' | undefined; cached: boolean; dirty: boolean; unsynced: boolean }[];
  freelist: { free: number[]; pending: number[] };
  counts: { hits: number; misses: number; evictions: number; reads: number; writes: number };
  /** The text of this step, for the view's caption. */
  caption: string | undefined;
}

/** Events that change the tree's shape or page ids: from the first of them the view shows the after picture. */
const SHAPE = new Set(['btree.cow', 'btree.split', 'btree.merge', 'btree.borrow', 'btree.root', 'btree.alloc', 'btree.free']);

/** The structure at `frame`: the tree from inspect(), cache and marks from the trace, metas from the disk. */
export function btreeStructure(rec: Recorder, frame: Frame): BtreeStructure {
  const cmd = frame.command;
  const before = (cmd.before.memory as BtreeMemory | null)?.inspect;
  const after = (cmd.after.memory as BtreeMemory | null)?.inspect;
  const marks = new Map<number, PageMark>();
  let changed = false;
  let commit: BtreeStructure['commit'];
  for (let j = cmd.firstStep; j <= frame.step; j++) {
    const e = rec.steps[j]!.event as BtreeEvent | { type: string };
    if (SHAPE.has(e.type)) changed = true;
    if (e.type === 'btree.commit') {
      const c = e as Extract<BtreeEvent, { type: 'btree.commit' }>;
      commit = { step: c.step, txid: c.txid };
    }
  }
  // Marks: only the current step's event (and a split's pages stay marked to the end of the command).
  for (let j = cmd.firstStep; j <= frame.step; j++) {
    const e = rec.steps[j]!.event as BtreeEvent;
    const now = j === frame.step;
    switch (e.type) {
      case 'btree.split':
        marks.set(e.page, 'split');
        marks.set(e.right, 'split-new');
        break;
      case 'btree.merge':
        marks.set(e.into, 'merge-into');
        marks.set(e.from, 'merge-from');
        break;
      case 'btree.root':
        marks.set(e.to, 'root');
        break;
      default:
        if (!now) break;
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
    }
  }
  const last = frame.step === cmd.endStep - 1;
  const open = frame.state === 'open' && frame.memory !== null;
  const pic = last || changed ? (after ?? before) : (before ?? after);
  const cached = new Map<number, { dirty: boolean }>();
  if (open) for (const r of frame.memory!.rows) cached.set(Number(r.id.slice(5)), { dirty: r.cells[1] === 'dirty' });
  // Counts: every btree event up to this step (the page loaded; they survive reopens).
  const counts = { hits: 0, misses: 0, evictions: 0, reads: 0, writes: 0 };
  for (let j = 0; j <= frame.step; j++) {
    const t = rec.steps[j]!.event.type;
    if (t === 'btree.cacheHit') counts.hits++;
    else if (t === 'btree.cacheMiss') counts.misses++;
    else if (t === 'btree.evict') counts.evictions++;
    else if (t === 'btree.pageRead') counts.reads++;
    else if (t === 'btree.pageWrite') counts.writes++;
  }
  // The disk as it is at this step.
  const file = frame.disk.files.find((f) => f.name === DATA_FILE);
  const bytes = file?.bytes ?? new Uint8Array(0);
  const P = filePageSize(bytes) ?? pic?.pageSize;
  const unsyncedAt = (a: number, b: number): boolean => (file?.unsynced ?? []).some(([x, y]) => x < b && a < y);
  const metas: MetaView[] = [];
  if (P) {
    for (const slot of [0, 1]) {
      const at = slot * P;
      const unsynced = unsyncedAt(at, at + P);
      if (bytes.length < at + META_SIZE) {
        metas.push({ slot, valid: false, current: false, error: 'not written yet', unsynced });
        continue;
      }
      try {
        const m = decodeMeta(bytes.subarray(at, at + P), slot, at, DATA_FILE);
        metas.push({ slot, valid: true, current: false, txid: m.txid, root: m.root, height: m.height, pageCount: m.pageCount, keyCount: m.keyCount, unsynced });
      } catch (err) {
        metas.push({ slot, valid: false, current: false, error: err instanceof Error ? err.message.replace(/^.*?: /, '') : String(err), unsynced });
      }
    }
    const best = metas.filter((m) => m.valid).sort((a, b) => (b.txid ?? 0) - (a.txid ?? 0))[0];
    if (best) best.current = true;
  }
  const freeList = pic?.freelist ?? { free: [], pending: [], chain: [] };
  const free = new Set(freeList.free);
  const pending = new Set(freeList.pending);
  const pages: BtreeStructure['pages'] = [];
  if (P) {
    const n = Math.max(Math.floor(bytes.length / P), open ? (pic?.pageCount ?? 0) : 0);
    for (let id = 0; id < n; id++) {
      const type = bytes[id * P + 4] ?? 0;
      const kind = id * P + P <= bytes.length ? (kindOf(type) ?? 'unwritten') : 'unwritten';
      const c = cached.get(id);
      pages.push({
        id,
        kind,
        free: open && free.has(id) ? 'free' : open && pending.has(id) ? 'pending' : undefined,
        cached: !!c,
        dirty: !!c?.dirty,
        unsynced: unsyncedAt(id * P, id * P + P),
      });
    }
  }
  let caption: string | undefined;
  const ev = frame.event;
  if (ev.type.startsWith('btree.')) caption = btreeAdapter.describe(ev as TraceEvent);
  return {
    state: frame.state,
    pageSize: P,
    tree: open ? (pic?.tree ?? null) : null,
    cached,
    marks,
    metas,
    commit,
    pages,
    freelist: open ? { free: freeList.free, pending: freeList.pending } : { free: [], pending: [] },
    counts,
    caption,
  };
}
