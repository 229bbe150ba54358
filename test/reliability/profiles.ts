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

/** The bitcask engine: tiny files and a low merge threshold; every record, batch and hint checks out. */
const bitcask: Profile = {
  engine: 'bitcask',
  tuning: { maxFileBytes: 256, mergeMinDeadBytes: 512, mergeDeadRatio: 0.4 },
  check(fs, dir) {
    checkBitcaskDir(fs, dir);
  },
};

/** Every engine the campaign covers. */
export const PROFILES: Profile[] = [snapshot, bitcask];
