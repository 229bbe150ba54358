/**
 * settings.ts: the lsm engine's tuning (kv.ts documents each option) read and checked once
 * at open, with LevelDB's defaults, and the counters a store keeps for stats().
 */
import { choiceOption, wholeOption } from '../options.js';
import type { StoreOptions } from '../kv.js';
import type { CompactionOptions } from './compaction.js';
import type { TieredOptions } from './compaction-tiered.js';
import { STRATEGIES, type StrategyName } from './compaction-strategy.js';

/** The tuning, with defaults filled in. */
export interface Settings extends CompactionOptions, TieredOptions {
  compaction: StrategyName;
  memtableBytes: number;
  blockBytes: number;
  bloomBitsPerKey: number;
  blockCacheBytes: number;
  logBufferBytes: number;
  maxOpenTables: number;
}

const MiB = 1024 * 1024;

/** Reads and checks the lsm tuning options (KV_BAD_OPTION for a bad one). */
export function settings(o: StoreOptions): Settings {
  const int = (name: keyof StoreOptions, def: number, min: number): number => wholeOption(name, o[name], min, def);
  return {
    memtableBytes: int('memtableBytes', 4 * MiB, 1),
    blockBytes: int('blockBytes', 4096, 1),
    bloomBitsPerKey: int('bloomBitsPerKey', 10, 1),
    l0CompactionTrigger: int('l0CompactionTrigger', 4, 1),
    levelSizeMultiplier: int('levelSizeMultiplier', 10, 2),
    level1Bytes: int('level1Bytes', 10 * MiB, 1),
    targetFileBytes: int('targetFileBytes', 2 * MiB, 1),
    blockCacheBytes: int('blockCacheBytes', 8 * MiB, 0),
    compaction: choiceOption('compaction', o.compaction, STRATEGIES, 'leveled'),
    // Cassandra's min_threshold (4) and max_threshold (32); a merge takes at least two runs.
    tieredMinThreshold: int('tieredMinThreshold', 4, 2),
    tieredMaxThreshold: int('tieredMaxThreshold', 32, 2),
    tieredMaxRuns: int('tieredMaxRuns', 12, 1),
    logBufferBytes: int('logBufferBytes', 64 * 1024, 0),
    maxOpenTables: int('maxOpenTables', 1000, 1),
  };
}

/** Counters kept since open, reported by stats(). */
export interface Counters {
  userBytes: number;
  logBytes: number;
  flushes: number;
  flushBytes: number;
  compactions: number;
  trivialMoves: number;
  compactionBytesRead: number;
  compactionBytesWritten: number;
  /** Bloom checks of tables since deleted (live tables keep their own counts). */
  bloomChecks: number;
  bloomNo: number;
  bloomFalse: number;
}

/** Counters at zero. */
export function newCounters(): Counters {
  return {
    userBytes: 0,
    logBytes: 0,
    flushes: 0,
    flushBytes: 0,
    compactions: 0,
    trivialMoves: 0,
    compactionBytesRead: 0,
    compactionBytesWritten: 0,
    bloomChecks: 0,
    bloomNo: 0,
    bloomFalse: 0,
  };
}
