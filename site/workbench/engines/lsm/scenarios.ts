/**
 * scenarios.ts: the LSM lesson's canned scenarios. Each runs on a fresh store with the
 * widget's options (a 256-byte memtable unless the lesson says otherwise).
 */
import type { Scenario } from '../../adapter.js';

export const LSM_SCENARIOS: readonly Scenario[] = [
  {
    name: 'fill',
    title: 'Fill until a flush',
    about:
      'Each put appends to the log and inserts into the skiplist; at memtableBytes the memtable is frozen and flushed into an SSTable.',
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
    about:
      'A get checks the memtable, then skips tables whose key range cannot hold the key and asks each bloom filter.',
    commands: [
      'fill 40',
      'sync',
      'get key005',
      'get key0055',
      'get key0155',
      'get aardvark',
      'get key031',
      'get key038',
    ],
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
    about:
      'Rewrites and deletes land in new tables; compaction drops the older versions and, at the bottom, the tombstones.',
    commands: [
      'fill 16',
      ...Array.from({ length: 16 }, (_, i) =>
        i % 2 ? `delete key${String(i + 1).padStart(3, '0')}` : `put key${String(i + 1).padStart(3, '0')} again`,
      ),
      'compact',
      'scan',
    ],
  },
  {
    name: 'recovery',
    title: 'Recovery: manifest and log',
    about:
      'After a crash, open reads CURRENT, replays the manifest for the tables, then replays the log into a new memtable.',
    commands: [
      'fill 24',
      'sync',
      'put late1 x',
      'put late2 y',
      'sync',
      'put lost z',
      'crash',
      'reopen',
      'get late2',
      'get lost',
    ],
    focusEvent: 'lsm.recover',
  },
  {
    name: 'bloom',
    title: 'Probe 120 missing keys (10 bits per key)',
    about:
      "A hundred and twenty gets of keys that are not there but fall inside the tables' key ranges: each filter says no (no block read) or, rarely, maybe: a false positive.",
    commands: ['fill 40', 'sync', 'probe 120'],
  },
  {
    name: 'bloom-4',
    title: 'The same with 4 bits per key',
    about:
      'A smaller filter (bloomBitsPerKey 4, 3 probes): less memory per table, and many more false positives, each a block read for nothing.',
    options: { bloomBitsPerKey: 4 },
    commands: ['fill 40', 'sync', 'probe 120'],
  },
  {
    name: 'cache',
    title: 'The block cache: misses, then hits',
    about:
      'After a reopen the block cache is empty: the first get of a block reads it from disk (a miss), the same get again finds it in memory (a hit).',
    commands: ['fill 40', 'sync', 'reopen', 'get key005', 'get key005', 'get key006', 'get key030', 'get key030'],
    focus: 3,
  },
  {
    name: 'bottom',
    title: 'Level 2, and tombstones at the bottom',
    about:
      'Fifty keys reach level 2 (level1Bytes 512); eight deletes are tombstones. Compacting into level 1 must keep them (level 2 still holds the old values); compacting into level 2, the bottom, drops them.',
    options: { level1Bytes: 512 },
    commands: [
      'fill 50',
      `batch ${Array.from({ length: 8 }, (_, i) => `delete key${String(i + 1).padStart(3, '0')}`).join('; ')}`,
      'compact',
      'scan key001 key012',
    ],
    focus: 2,
  },
  {
    name: 'corrupt',
    title: 'A flipped bit in an SSTable',
    about:
      'One byte of a data block rots on disk: the get that reads the block finds its checksum wrong and reports KV_CORRUPT with the file and the offset.',
    commands: ['fill 20', 'sync', 'corrupt 000004.sst 17', 'get key001', 'get key019'],
    focus: 2,
  },
  // Size-tiered compaction (issue 15): run with options { compaction: 'tiered', tieredMinThreshold: 2, memtableBytes: 128 }.
  {
    name: 'tiered',
    title: 'Size-tiered: runs of similar size merge',
    about:
      'With compaction: tiered every table stays in L0 as a sorted run; two runs of about the same size merge into one twice as big, like a binary counter.',
    commands: ['fill 34', 'sync'],
    focusEvent: 'lsm.compaction.runs',
  },
];
