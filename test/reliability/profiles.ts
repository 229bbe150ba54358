/**
 * profiles.ts: per engine, the tuning that makes small workloads reach every kind of step
 * (saves; appends, rollovers, merges; splits, commits; flushes, compactions), and the
 * engine's structural checker, run on a closed store after every recovery.
 */
import type { EngineName, StoreOptions } from '../../engines/index.js';
import type { MemoryFileSystem } from '../../engines/storage/memory.js';
import { readWhole } from '../../engines/storage/fs.js';
import { decodeSnapshot, LIVE_FILE } from '../../engines/snapshot/format.js';
import { checkBitcaskDir } from '../../engines/bitcask/check.js';
import { checkBtreeDir } from '../../engines/btree/store.js';
import { checkLsmDir } from '../../engines/lsm/check.js';
import { FULL } from './campaign.js';

/** What the campaign needs to know about one engine. */
export interface Profile {
  /** The name the reports use: the engine's, or the engine's and its variant's (lsm-tiered). */
  name: string;
  engine: EngineName;
  tuning: Partial<StoreOptions>;
  /** Throws (KV_CORRUPT or an assertion) if the closed store at `dir` breaks an invariant. */
  check: (fs: MemoryFileSystem, dir: string) => void;
}

/** The snapshot engine: the live file must decode whole. */
const snapshot: Profile = {
  name: 'snapshot',
  engine: 'snapshot',
  tuning: { autosaveEvery: 4 },
  check(fs, dir) {
    const p = `${dir}/${LIVE_FILE}`;
    if (fs.exists(p)) decodeSnapshot(readWhole(fs, p), p);
  },
};

/** The bitcask engine: tiny files, a low merge threshold and a small read cache; every record, batch and hint checks out. */
const bitcask: Profile = {
  name: 'bitcask',
  engine: 'bitcask',
  tuning: { maxFileBytes: 256, mergeMinDeadBytes: 512, mergeDeadRatio: 0.4, readCacheBytes: 8192 },
  check(fs, dir) {
    checkBitcaskDir(fs, dir);
  },
};

/** The btree engine: 512-byte pages and a tiny cache, so splits, merges, overflow pages, budget commits and free-page reuse all happen. */
const btree: Profile = {
  name: 'btree',
  engine: 'btree',
  tuning: { pageSize: 512, cachePages: 6, dirtyPageBudget: 4 },
  check(fs, dir) {
    checkBtreeDir(fs, dir);
  },
};

/** The lsm engine: a tiny memtable, blocks, levels and log buffer, so flushes, compactions at every level and buffer-full log writes happen. */
const lsm: Profile = {
  name: 'lsm',
  engine: 'lsm',
  tuning: {
    memtableBytes: 256,
    blockBytes: 128,
    l0CompactionTrigger: 2,
    level1Bytes: 1024,
    levelSizeMultiplier: 2,
    targetFileBytes: 512,
    logBufferBytes: 100,
  },
  check(fs, dir) {
    checkLsmDir(fs, dir);
  },
};

/** The lsm engine with size-tiered compaction: a tiny memtable and thresholds, so merges of every kind happen. */
const lsmTiered: Profile = {
  name: 'lsm-tiered',
  engine: 'lsm',
  tuning: { compaction: 'tiered', memtableBytes: 256, blockBytes: 128, tieredMinThreshold: 2, tieredMaxRuns: 3 },
  check(fs, dir) {
    checkLsmDir(fs, dir);
  },
};

/**
 * Every engine (and engine variant) the campaign covers. lsm-tiered runs in the full campaign
 * (npm run test:reliability) only: it doubles the lsm share of `npm test` (about 90 s of CPU),
 * and there the conformance, model and crash suites cover it (test/{conformance,model,crash}/lsm-tiered).
 */
export const PROFILES: Profile[] = FULL ? [snapshot, bitcask, btree, lsm, lsmTiered] : [snapshot, bitcask, btree, lsm];
