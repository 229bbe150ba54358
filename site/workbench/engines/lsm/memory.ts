/**
 * memory.ts: the LSM's in-memory pane: the memtable (a skiplist in key order: each entry's
 * sequence number, kind and skiplist height), the frozen memtable while it is being flushed,
 * and what else the engine keeps in memory for its tables (their indexes and filters, the
 * block cache), all from one inspect() and stats().
 */
import type { EngineSnapshot, StoreStats } from '../../../../engines/browser.js';
import type { LsmInspect, LsmMemEntry } from '../../../../engines/lsm/inspect.js';
import type { MemoryPicture, MemoryRow } from '../../adapter.js';

/** A memtable row. */
export function memRow(e: Pick<LsmMemEntry, 'key' | 'seq' | 'kind' | 'height'>, group?: string): MemoryRow {
  const r: MemoryRow = {
    id: e.key,
    cells: [String(e.seq), e.kind === 'delete' ? 'tombstone' : 'put', String(e.height)],
  };
  if (group) r.group = group;
  return r;
}

/** The memtable pane of an LSM inspect() picture. */
export function lsmMemory(s: EngineSnapshot, stats: StoreStats | null): MemoryPicture {
  if (s.engine !== 'lsm') throw new Error(`lsm adapter given a ${s.engine} picture`);
  const i = s as LsmInspect;
  const tables = i.levels.reduce((n, l) => n + l.files.length, 0);
  const l0 = i.levels[0]?.files.length ?? 0;
  const rows = i.memtable.list.map((e) => memRow(e));
  // While a flush runs, the frozen memtable still answers gets: it is listed after the live one.
  const frozen = i.immutable
    ? i.immutable.list.map((e) => memRow(e, `frozen memtable, being flushed (${i.immutable!.entries})`))
    : [];
  const es = stats?.engineStats as Record<string, number> | undefined;
  const notes: [string, string][] = [
    ['memtable', `${i.memtable.bytes} of ${i.memtable.limit} B`],
    ['log', i.memtable.log || '—'],
    ['tables', `${tables} (${l0} in L0)`],
    ['last seq', String(i.lastSeq)],
  ];
  if (i.immutable) notes.splice(1, 0, ['frozen memtable', `${i.immutable.bytes} B, ${i.immutable.entries} entries`]);
  if (es?.tableMemoryBytes !== undefined) notes.push(['indexes + filters', `${es.tableMemoryBytes} B`]);
  if (es?.cacheBytes !== undefined) notes.push(['block cache', `${es.cacheBytes} B`]);
  if (es?.cacheHits !== undefined) notes.push(['cache hits / misses', `${es.cacheHits} / ${es.cacheMisses ?? 0}`]);
  return {
    title: 'memtable: a skiplist in key order (in memory)',
    columns: ['key', 'seq', 'kind', 'levels'],
    rows: [...rows, ...frozen],
    total: i.memtable.entries + (i.immutable?.entries ?? 0),
    notes,
  };
}
