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

/** What the campaign needs to know about one engine. */
export interface Profile {
  engine: EngineName;
  tuning: Partial<StoreOptions>;
  /** Throws (KV_CORRUPT or an assertion) if the closed store at `dir` breaks an invariant. */
  check: (fs: MemoryFileSystem, dir: string) => void;
}

/** The snapshot engine: the live file must decode whole. */
const snapshot: Profile = {
  engine: 'snapshot',
  tuning: { autosaveEvery: 4 },
  check(fs, dir) {
    const p = `${dir}/${LIVE_FILE}`;
    if (fs.exists(p)) decodeSnapshot(readWhole(fs, p), p);
  },
};

/** The bitcask engine: tiny files, a low merge threshold and a small read cache; every record, batch and hint checks out. */
const bitcask: Profile = {
  engine: 'bitcask',
  tuning: { maxFileBytes: 256, mergeMinDeadBytes: 512, mergeDeadRatio: 0.4, readCacheBytes: 8192 },
  check(fs, dir) {
    checkBitcaskDir(fs, dir);
  },
};

/** The btree engine: 512-byte pages and a tiny cache, so splits, merges, overflow pages, budget commits and free-page reuse all happen. */
const btree: Profile = {
  engine: 'btree',
  tuning: { pageSize: 512, cachePages: 6, dirtyPageBudget: 4 },
  check(fs, dir) {
    checkBtreeDir(fs, dir);
  },
};

/** The lsm engine: a tiny memtable, blocks, levels and log buffer, so flushes, compactions at every level and buffer-full log writes happen. */
const lsm: Profile = {
  engine: 'lsm',
  tuning: { memtableBytes: 256, blockBytes: 128, l0CompactionTrigger: 2, level1Bytes: 1024, levelSizeMultiplier: 2, targetFileBytes: 512, logBufferBytes: 100 },
  check(fs, dir) {
    checkLsmDir(fs, dir);
  },
};

/** Every engine the campaign covers. */
export const PROFILES: Profile[] = [snapshot, bitcask, btree, lsm];
