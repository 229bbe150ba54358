/**
 * reads.ts: the lsm engine's read path, on a store's in-memory parts (LevelDB's DBImpl::Get
 * and NewIterator, Version::Get).
 *
 * A point get looks in the memtable, then the immutable memtable (only during a flush), then
 * the tables through Version.get: level 0 newest first, then the one table per deeper level
 * whose range holds the key. A table is skipped when the key is outside its range (traced),
 * else asked through its open reader (the table cache): bloom filter, index, one data block.
 * The first entry found, a value or a tombstone, is the answer.
 *
 * A scan, and stats()'s live count, merge the memtables and Version.iterators with one
 * merging iterator (merge.ts).
 */
import { compareBytes, display } from '../bytes.js';
import { join } from '../storage/path.js';
import type { FileSystem } from '../storage/fs.js';
import type { Bounds } from '../range.js';
import type { TraceListener } from '../registry-types.js';
import { EMPTY, KIND_PUT, tableName, type Entry, type FileMeta } from './format.js';
import type { Memtable } from './memtable.js';
import { MergingIterator } from './merge.js';
import type { TableCache } from './table-cache.js';
import { TableReader } from './table-reader.js';
import type { Version } from './version.js';

/** What a read needs of the store: its memtables, its version and its open tables. */
export interface ReadParts {
  mem: Memtable;
  imm: Memtable | undefined;
  tree: Version;
  tables: TableCache;
  trace: TraceListener | undefined;
}

/** Where a get found its answer. */
type Source = 'memtable' | 'immutable' | 'table' | 'none';

/** The parts, key and shown key of the get in progress, for PROBE (reads run one at a time; no closure per get). */
let cur: { p: ReadParts; key: Uint8Array; shown: string } = {
  p: undefined as unknown as ReadParts,
  key: EMPTY,
  shown: '',
};

/** Version.get's probe: looks in one table, skipping it (traced) when the key is outside its range. */
function PROBE(f: FileMeta, level: number): Entry | undefined {
  const { p, key, shown } = cur;
  if (compareBytes(key, f.smallest) < 0 || compareBytes(key, f.largest) > 0) {
    p.trace?.({
      type: 'lsm.get.skip',
      file: tableName(f.number),
      level,
      key: shown,
      smallest: display(f.smallest),
      largest: display(f.largest),
    });
    return undefined;
  }
  return p.tables.get(f, level).get(key, level);
}

/** The newest value of `key` (a copy), or undefined when it is absent or deleted. */
export function pointGet(p: ReadParts, key: Uint8Array): Uint8Array | undefined {
  const shown = p.trace ? display(key) : '';
  // Memory first: the memtable, then the one being flushed.
  const m = lookIn(p, p.mem, 'memtable', key, shown);
  if (m) return answer(p, m, shown, 'memtable');
  const i = p.imm ? lookIn(p, p.imm, 'immutable', key, shown) : undefined;
  if (i) return answer(p, i, shown, 'immutable');
  // Then the tables, level by level.
  const saved = cur;
  cur = { p, key, shown };
  try {
    const hit = p.tree.get(key, PROBE);
    if (hit) return answer(p, hit.entry, shown, 'table', tableName(hit.file.number), hit.level);
  } finally {
    cur = saved;
  }
  return answer(p, undefined, shown, 'none');
}

/** One memtable's entry for `key` (traced). */
function lookIn(
  p: ReadParts,
  m: Memtable,
  which: 'memtable' | 'immutable',
  key: Uint8Array,
  shown: string,
): Entry | undefined {
  const e = m.get(key);
  p.trace?.({
    type: 'lsm.get.memtable',
    which,
    key: shown,
    found: !e ? 'no' : e.kind === KIND_PUT ? 'value' : 'tombstone',
  });
  return e;
}

/** A get's answer from where it was found (traced): a copy of the value, or undefined. */
function answer(
  p: ReadParts,
  e: Entry | undefined,
  shown: string,
  source: Source,
  file?: string,
  level?: number,
): Uint8Array | undefined {
  if (p.trace) {
    const result = !e ? 'absent' : e.kind === KIND_PUT ? 'value' : 'tombstone';
    p.trace({
      type: 'lsm.get.found',
      key: shown,
      source,
      result,
      ...(file !== undefined ? { file, level: level! } : {}),
    });
  }
  return e && e.kind === KIND_PUT ? e.value.slice() : undefined;
}

/** The merging iterator over the memtables and every table (Version.iterators) within, and from the start of, the bounds. */
export function mergeAll(
  p: Pick<ReadParts, 'mem' | 'imm' | 'tree'>,
  b: Bounds,
  reader: (f: FileMeta) => TableReader,
): MergingIterator {
  const start = b.reverse ? b.upper : b.lower;
  const from = start?.key;
  const exclusive = start ? !start.inclusive : false;
  const sources: Iterator<Entry>[] = [p.mem.entries(b.reverse, from, exclusive)];
  if (p.imm) sources.push(p.imm.entries(b.reverse, from, exclusive));
  sources.push(...p.tree.iterators(b, reader));
  return new MergingIterator(sources, b.reverse);
}

/**
 * Live keys and bytes, by a merge over everything, through readers of its own on `rawFs` (so
 * neither the I/O counters nor the trace see it, and the table cache is left as it is).
 */
export function countLive(
  p: Pick<ReadParts, 'mem' | 'imm' | 'tree'>,
  rawFs: FileSystem,
  dir: string,
): { keys: number; bytes: number } {
  const quiet = new Map<number, TableReader>();
  const reader = (f: FileMeta): TableReader => {
    let r = quiet.get(f.number);
    if (!r) {
      const name = tableName(f.number);
      r = new TableReader(rawFs, join(dir, name), name, f, undefined, undefined);
      quiet.set(f.number, r);
    }
    return r;
  };
  let keys = 0;
  let bytes = 0;
  const merge = mergeAll(p, { reverse: false, limit: Infinity }, reader);
  try {
    for (const e of merge) {
      if (e.kind !== KIND_PUT) continue;
      keys++;
      bytes += e.key.length + e.value.length;
    }
  } finally {
    merge.return();
    for (const r of quiet.values()) r.close();
  }
  return { keys, bytes };
}
