/**
 * inspect.ts: the lsm engine's picture of itself, for diagrams and the CLI.
 *
 * Keys and values are shown with bytes.display(). Long lists are cut to a few hundred items;
 * the counts say how many there are.
 */
import type { FileInfo } from '../inspect.js';

/** One memtable entry as drawn. */
export interface LsmMemEntry {
  key: string;
  value: string;
  kind: 'put' | 'delete';
  seq: number;
  /** How many skiplist levels the node is on (1 to 12). */
  height: number;
}

/** A memtable: its entries and its skiplist levels. */
export interface LsmMemtableInspect {
  /** The log file that holds its writes. */
  log: string;
  entries: number;
  tombstones: number;
  bytes: number;
  /** The flush threshold (memtableBytes). */
  limit: number;
  /** Levels in use. */
  height: number;
  /** Entries in key order (level 0 of the skiplist), at most `shown`. */
  list: LsmMemEntry[];
  /** The keys on each skiplist level, bottom (level 0) first, at most `shown` per level. */
  levels: string[][];
  shown: number;
}

/** One SSTable. */
export interface LsmTableInspect {
  file: string;
  number: number;
  level: number;
  bytes: number;
  entries: number;
  tombstones: number;
  smallest: string;
  largest: string;
  minSeq: number;
  maxSeq: number;
  /** The bloom filter: bits and probes (once the table has been opened), and how it did. */
  filter: {
    bits: number;
    probes: number;
    bitsPerKey: number;
    checks: number;
    no: number;
    falsePositives: number;
  } | null;
  /** Data blocks (once opened). */
  blocks: number | null;
}

/** One level. */
export interface LsmLevelInspect {
  level: number;
  files: LsmTableInspect[];
  bytes: number;
  /** The level's byte target (level 0: none, it is counted in files). */
  targetBytes: number | null;
  /** The compaction score: >= 1 means the level is due. */
  score: number;
}

/** The lsm engine's inspect() result. */
export interface LsmInspect {
  engine: 'lsm';
  memtable: LsmMemtableInspect;
  /** The memtable being flushed, when a flush is in progress (else null). */
  immutable: LsmMemtableInspect | null;
  levels: LsmLevelInspect[];
  /** The last sequence number given to a write. */
  lastSeq: number;
  nextFile: number;
  /** Logs numbered below this one are no longer needed. */
  logNumber: number;
  manifest: string;
  cache: { bytes: number; capacity: number; blocks: number; hits: number; misses: number };
  /** Every file in the directory, with its role: log, table, manifest, current. */
  files: FileInfo[];
  settings: {
    memtableBytes: number;
    blockBytes: number;
    bloomBitsPerKey: number;
    l0CompactionTrigger: number;
    levelSizeMultiplier: number;
    level1Bytes: number;
    targetFileBytes: number;
    blockCacheBytes: number;
    /** The compaction strategy, and the tiered one's tuning. */
    compaction: 'leveled' | 'tiered';
    tieredMinThreshold: number;
    tieredMaxThreshold: number;
    tieredMaxRuns: number;
  };
}
