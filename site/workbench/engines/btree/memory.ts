/**
 * memory.ts: the B+tree's in-memory pane: the page cache, most recently used page first,
 * each page clean or dirty (changed since the last commit), and the cache's counters.
 */
import type { EngineSnapshot } from '../../../../engines/browser.js';
import type { BtreeInspect, BtreeInspectPage } from '../../../../engines/btree/inspect.js';
import type { MemoryPicture } from '../../adapter.js';

/** The row id of a page. */
export const pageId = (id: number): string => `page ${id}`;

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

/** The page-cache pane of a B+tree inspect() picture. */
export function btreeMemory(s: EngineSnapshot): MemoryPicture {
  if (s.engine !== 'btree') throw new Error(`btree adapter given a ${s.engine} picture`);
  const i = s as BtreeInspect;
  const pages = treePages(i.tree);
  // inspect() lists the cache least recently used first; the pane shows the newest on top.
  const rows = [...i.cache.pages].reverse().map((p) => {
    const keys = pages.get(p.id)?.keyCount;
    return {
      id: pageId(p.id),
      cells: [
        keys === undefined ? p.type : `${p.type}, ${keys} key${keys === 1 ? '' : 's'}`,
        p.dirty ? 'dirty' : 'clean',
      ],
    };
  });
  return {
    title: 'page cache (in memory, most recent first)',
    columns: ['page', 'holds', 'state'],
    rows,
    total: rows.length,
    notes: [
      ['keys', String(i.keys)],
      ['cached pages', `${i.cache.pages.length} of ${i.cache.capacity}`],
      ['cache hits', String(i.cache.hits)],
      ['cache misses', String(i.cache.misses)],
      ['height', String(i.height)],
      ['committed txid', String(i.txid)],
    ],
  };
}

/** The pages the B+tree's picture says are in use (not on the free list), by page id. */
export function btreeLiveRecords(
  name: string,
  fields: readonly { record?: number }[],
  s: EngineSnapshot | null,
): Set<number> | undefined {
  const map = s?.engine === 'btree' ? s.pageMap : undefined;
  if (name !== 'btree.db' || !map) return undefined;
  const live = new Set<number>();
  for (const f of fields)
    if (f.record !== undefined && map[f.record] !== 'free' && map[f.record] !== 'pending') live.add(f.record);
  return live;
}
