/**
 * scenarios.ts: the LSM lesson's canned scenarios. Each runs on a fresh store with the
 * widget's options (a 256-byte memtable unless the lesson says otherwise).
 */
import type { Scenario } from '../../adapter.js';

export const LSM_SCENARIOS: readonly Scenario[] = [
  {
    name: 'fill',
    title: 'Fill until a flush',
    about: 'Each put appends to the log and inserts into the skiplist; at memtableBytes the memtable is frozen and flushed into an SSTable.',
    commands: ['fill 20', 'sync'],
    focusEvent: 'lsm.flush',
  },
  {
    name: 'compaction',
    title: 'Flushes and a compaction',
    about: 'Two L0 tables trigger a compaction that merges them into sorted, non-overlapping L1 tables.',
    commands: ['fill 36', 'sync'],
    focusEvent: 'lsm.compaction.pick',
  },
  {
    name: 'get',
    title: 'Gets: key ranges and bloom filters',
    about: 'A get checks the memtable, then skips tables whose key range cannot hold the key and asks each bloom filter.',
    commands: ['fill 40', 'sync', 'get key005', 'get key0055', 'get key0155', 'get aardvark', 'get key031', 'get key038'],
    focusEvent: 'lsm.bloom',
  },
  {
    name: 'scan',
    title: 'A scan merges every source',
    about: 'A scan merges the memtable and every table it overlaps, newest version of each key first.',
    commands: ['fill 40', 'put key010 new', 'delete key012', 'scan key008 key015'],
  },
  {
    name: 'overwrite',
    title: 'Overwrites and tombstones',
    about: 'Rewrites and deletes land in new tables; compaction drops the older versions and, at the bottom, the tombstones.',
    commands: ['fill 16', ...Array.from({ length: 16 }, (_, i) => (i % 2 ? `delete key${String(i + 1).padStart(3, '0')}` : `put key${String(i + 1).padStart(3, '0')} again`)), 'compact', 'scan'],
  },
  {
    name: 'recovery',
    title: 'Recovery: manifest and log',
    about: 'After a crash, open reads CURRENT, replays the manifest for the tables, then replays the log into a new memtable.',
    commands: ['fill 24', 'sync', 'put late1 x', 'put late2 y', 'sync', 'put lost z', 'crash', 'reopen', 'get late2', 'get lost'],
    focusEvent: 'lsm.recover',
  },
  // Size-tiered compaction (issue 15): run with options { compaction: 'tiered', tieredMinThreshold: 2, memtableBytes: 128 }.
  {
    name: 'tiered',
    title: 'Size-tiered: runs of similar size merge',
    about: 'With compaction: tiered every table stays in L0 as a sorted run; two runs of about the same size merge into one twice as big, like a binary counter.',
    commands: ['fill 34', 'sync'],
    focusEvent: 'lsm.compaction.runs',
  },
];
