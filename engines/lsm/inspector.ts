/**
 * inspector.ts: what an lsm store reports about itself: the engine's half of stats() and the
 * inspect() picture (its shape is inspect.ts), both read from the store's parts without
 * touching the I/O counters or the trace.
 */
import { display } from '../bytes.js';
import type { EngineStats } from '../store.js';
import type { FileSystem } from '../storage/fs.js';
import { join } from '../storage/path.js';
import type { BlockCache } from './block-cache.js';
import { KIND_PUT, LEVELS, logName, parseName, tableName } from './format.js';
import type { LsmInspect, LsmMemtableInspect } from './inspect.js';
import type { ManifestWriter } from './manifest.js';
import type { Memtable } from './memtable.js';
import type { Counters, Settings } from './settings.js';
import type { TableCache } from './table-cache.js';
import { maxBytesForLevel, scores, type Version } from './version.js';
import type { LogWriter } from './wal.js';

/** The parts of an open store the reports read. */
export interface LsmParts {
  dir: string;
  /** The file system without counting, for listing files. */
  rawFs: FileSystem;
  o: Settings;
  mem: Memtable;
  /** The memtable being flushed, during a flush. */
  imm: Memtable | undefined;
  tree: Version;
  tables: TableCache;
  cache: BlockCache;
  log: LogWriter;
  manifest: ManifestWriter;
  lastSeq: number;
  nextFile: number;
  logNumber: number;
  counters: Counters;
}

/** Bloom filter totals over live tables (their readers) and deleted ones (the counters). */
function bloomTotals(p: LsmParts): { checks: number; no: number; falsePositives: number } {
  let checks = p.counters.bloomChecks;
  let no = p.counters.bloomNo;
  let falsePositives = p.counters.bloomFalse;
  for (const r of p.tables.readers()) {
    checks += r.bloomChecks;
    no += r.bloomNo;
    falsePositives += r.bloomFalse;
  }
  return { checks, no, falsePositives };
}

/**
 * The engine's half of stats(): `live` is the live key count and bytes (a merge over
 * everything, which the store caches), `bytesWritten` the I/O counter since open.
 */
export function lsmStats(p: LsmParts, live: { keys: number; bytes: number }, bytesWritten: number): EngineStats {
  const tableMemory = p.tables.memory();
  const bloom = bloomTotals(p);
  const n = p.counters;
  const engineStats: Record<string, number> = {
    memtableBytes: p.mem.bytes,
    memtableEntries: p.mem.count,
    lastSeq: p.lastSeq,
    logBytes: n.logBytes,
    flushes: n.flushes,
    flushBytes: n.flushBytes,
    compactions: n.compactions,
    trivialMoves: n.trivialMoves,
    compactionBytesRead: n.compactionBytesRead,
    compactionBytesWritten: n.compactionBytesWritten,
    // Bytes written to disk per byte of keys and values the user wrote, since open.
    writeAmplification: n.userBytes > 0 ? bytesWritten / n.userBytes : 0,
    bloomChecks: bloom.checks,
    bloomUseful: bloom.no,
    bloomFalsePositives: bloom.falsePositives,
    bloomUsefulRatio: bloom.checks > 0 ? bloom.no / bloom.checks : 0,
    // In memory besides the memtables: the open tables' filters and indexes, and the block cache.
    tableMemoryBytes: tableMemory,
    openTables: p.tables.size,
    tableCacheCapacity: p.tables.capacity,
    cacheBytes: p.cache.bytes,
    cacheHits: p.cache.hits,
    cacheMisses: p.cache.misses,
  };
  for (let l = 0; l < LEVELS; l++) {
    engineStats[`level${l}Files`] = p.tree.levels[l]!.length;
    engineStats[`level${l}Bytes`] = p.tree.levelBytes(l);
  }
  return {
    liveKeys: live.keys,
    liveBytes: live.bytes,
    memoryBytes: p.mem.memory() + (p.imm?.memory() ?? 0) + p.cache.bytes + tableMemory,
    engineStats,
  };
}

/** A memtable as drawn: its entries and skiplist levels, at most `shown` of each. */
function memtableOf(m: Memtable, limit: number, shown: number): LsmMemtableInspect {
  const levels = m.levels(shown);
  return {
    log: logName(m.log),
    entries: m.count,
    tombstones: m.tombstones,
    bytes: m.bytes,
    limit,
    height: m.height,
    list: levels[0]!.map((n) => ({
      key: display(n.key),
      value: display(n.value),
      kind: n.kind === KIND_PUT ? 'put' : 'delete',
      seq: n.seq,
      height: n.height,
    })),
    levels: levels.map((row) => row.map((n) => display(n.key))),
    shown,
  };
}

/** The lsm engine's inspect() picture: memtables, levels with their tables, files, cache. */
export function inspectLsm(p: LsmParts): LsmInspect {
  const shown = 200;
  const sc = scores(p.tree, p.o);
  const levels = p.tree.levels.map((files, level) => ({
    level,
    bytes: p.tree.levelBytes(level),
    targetBytes: level === 0 ? null : maxBytesForLevel(level, p.o),
    score: Math.round(sc[level]! * 1000) / 1000,
    files: files.map((f) => {
      const r = p.tables.peek(f.number);
      // Only what is in memory already: inspect() reads nothing.
      const blocks = r?.loadedBlocks();
      const fi = blocks !== undefined ? r!.filterInfo() : undefined;
      return {
        file: tableName(f.number),
        number: f.number,
        level,
        bytes: f.size,
        entries: f.entries,
        tombstones: f.tombstones,
        smallest: display(f.smallest),
        largest: display(f.largest),
        minSeq: f.minSeq,
        maxSeq: f.maxSeq,
        filter: fi
          ? {
              bits: fi.bits,
              probes: fi.probes,
              bitsPerKey: Math.round((fi.bits / Math.max(1, f.entries)) * 100) / 100,
              checks: r!.bloomChecks,
              no: r!.bloomNo,
              falsePositives: r!.bloomFalse,
            }
          : null,
        blocks: blocks ?? null,
      };
    }),
  }));
  const role = (name: string): string => {
    const q = parseName(name);
    if (!q) return 'other';
    if (q.kind === 'log') return q.number === p.log.number ? 'log (current)' : 'log';
    if (q.kind === 'table') return 'table';
    if (q.kind === 'manifest') return q.number === p.manifest.number ? 'manifest (current)' : 'manifest (old)';
    return q.kind === 'current' ? 'current' : 'temporary';
  };
  const files = p.rawFs
    .list(p.dir)
    .filter((n) => parseName(n))
    .map((name) => ({ name, size: p.rawFs.fileSize(join(p.dir, name)), role: role(name) }));
  return {
    engine: 'lsm',
    memtable: memtableOf(p.mem, p.o.memtableBytes, shown),
    immutable: p.imm ? memtableOf(p.imm, p.o.memtableBytes, shown) : null,
    levels,
    lastSeq: p.lastSeq,
    nextFile: p.nextFile,
    logNumber: p.logNumber,
    manifest: p.manifest.name,
    cache: {
      bytes: p.cache.bytes,
      capacity: p.cache.capacity,
      blocks: p.cache.blocks,
      hits: p.cache.hits,
      misses: p.cache.misses,
    },
    files,
    settings: { ...p.o },
  };
}
