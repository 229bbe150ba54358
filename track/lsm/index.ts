/**
 * index.ts: the LSM track: memtable, write-ahead log, SSTable, bloom filter, manifest and
 * compaction. Contract checks are shared with the Bitcask track.
 */
import type { Check } from '../check.js';
import { reuse } from '../check.js';
import type { Track } from '../tracks.js';
import { STEPS_1_TO_4 } from '../bitcask/steps-1-4.js';
import { STEPS_5_TO_7 } from '../bitcask/steps-5-7.js';
import { LSM_OWN } from './checks.js';

const B = [...STEPS_1_TO_4, ...STEPS_5_TO_7];
const own = (n: number) => LSM_OWN.filter((c) => c.step === n);

const CHECKS: Check[] = [
  reuse(B, 'put then get returns the value; a key never put reads as undefined', 1),
  reuse(B, 'a second put replaces the value; the empty key, empty values and any byte are allowed', 1),
  reuse(B, 'scan lists pairs in bytewise key order within gt/gte/lt/lte, reversed and limited on request', 1),
  reuse(B, 'a scan after an overwrite shows the new value (a cached sorted list must not hold old entries)', 1),
  reuse(B, 'scan() checks its range when called, not when first read: a bad range throws KV_BAD_RANGE at once', 1),
  reuse(B, 'a scan is a live cursor: it sees keys put past it during the scan', 1),
  reuse(B, 'delete removes a key, also from a scan running ahead of it; deleting a missing key is not an error', 1),
  reuse(B, 'stats() counts the live keys and inspect() returns a JSON picture', 1),
  reuse(B, 'close, then open on the same directory, gives back every pair, newest values winning', 2),
  reuse(B, 'a second open of an open directory throws KV_LOCKED; close releases it', 2),
  reuse(B, 'an operation after close throws KV_CLOSED, and a second close does nothing', 2),
  reuse(
    B,
    'a power loss that tears the last write at any byte reopens to the synced pairs, and appends after it are kept',
    2,
  ),
  reuse(B, 'a batch is all or nothing across a crash at any file-system call', 2),
  ...own(2),
  ...own(3),
  ...own(4),
  reuse(B, 'a failing fsync is reported as KV_IO, and the store refuses writes until reopened', 5),
  ...own(5),
  ...own(6),
];

export const LSM: Track = {
  name: 'lsm',
  title: 'LSM tree: memtable and sorted files',
  reference: 'lsm',
  steps: [
    {
      n: 1,
      slug: '1-memtable',
      title: 'The memtable',
      methods: ['constructor', 'get', 'put', 'delete', 'scan', 'stats', 'inspect', 'close'],
    },
    { n: 2, slug: '2-wal', title: 'The write-ahead log', methods: ['sync', 'batch'] },
    { n: 3, slug: '3-sstable', title: 'SSTables', methods: [] },
    { n: 4, slug: '4-bloom', title: 'Bloom filters', methods: [] },
    { n: 5, slug: '5-manifest', title: 'The manifest', methods: [] },
    { n: 6, slug: '6-compaction', title: 'Compaction', methods: ['compact'] },
  ],
  checks: CHECKS,
  // A small memtable and blocks, as the reference engine's own suites use, so flushes and compactions come early.
  tuning: { memtableBytes: 2048, blockBytes: 256, level1Bytes: 8192, levelSizeMultiplier: 4, targetFileBytes: 2048 },
};
