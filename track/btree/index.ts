/**
 * index.ts: the B+tree track: pages, search, split, copy-on-write commit, free list,
 * merge/borrow, and the page cache. Contract checks are shared with the Bitcask track.
 */
import type { Check } from '../check.js';
import { reuse } from '../check.js';
import type { Track } from '../tracks.js';
import { STEPS_1_TO_4 } from '../bitcask/steps-1-4.js';
import { STEPS_5_TO_7 } from '../bitcask/steps-5-7.js';
import { BTREE_OWN } from './checks.js';

const B = [...STEPS_1_TO_4, ...STEPS_5_TO_7];
const own = (n: number) => BTREE_OWN.filter((c) => c.step === n);

const CHECKS: Check[] = [
  reuse(B, 'put then get returns the value; a key never put reads as undefined', 1),
  reuse(B, 'a second put replaces the value; the empty key, empty values and any byte are allowed', 1),
  reuse(B, 'close, then open on the same directory, gives back every pair, newest values winning', 1),
  reuse(B, 'an operation after close throws KV_CLOSED, and a second close does nothing', 1),
  reuse(B, 'delete removes a key, also from a scan running ahead of it; deleting a missing key is not an error', 1),
  ...own(1),
  reuse(B, 'scan lists pairs in bytewise key order within gt/gte/lt/lte, reversed and limited on request', 2),
  reuse(B, 'a scan after an overwrite shows the new value (a cached sorted list must not hold old entries)', 2),
  reuse(B, 'scan() checks its range when called, not when first read: a bad range throws KV_BAD_RANGE at once', 2),
  reuse(B, 'a scan is a live cursor: it sees keys put past it during the scan', 2),
  reuse(B, 'stats() counts the live keys and inspect() returns a JSON picture', 2),
  ...own(2),
  ...own(3),
  reuse(B, 'every write acknowledged before sync() survives a power loss that drops all unsynced writes', 4),
  reuse(B, 'a batch is all or nothing across a crash at any file-system call', 4),
  reuse(B, 'a second open of an open directory throws KV_LOCKED; close releases it', 4),
  ...own(4),
  ...own(5),
  ...own(6),
  reuse(B, 'a failing fsync is reported as KV_IO, and the store refuses writes until reopened', 7),
  ...own(7),
];

export const BTREE: Track = {
  name: 'btree',
  title: 'B+tree: pages and a cache',
  reference: 'btree',
  steps: [
    {
      n: 1,
      slug: '1-pages',
      title: 'Pages',
      methods: ['constructor', 'get', 'put', 'delete', 'scan', 'stats', 'inspect', 'close', 'batch'],
    },
    { n: 2, slug: '2-search', title: 'Search', methods: [] },
    { n: 3, slug: '3-split', title: 'Split', methods: [] },
    { n: 4, slug: '4-commit', title: 'Copy-on-write commit', methods: ['sync'] },
    { n: 5, slug: '5-free-list', title: 'The free list', methods: ['compact'] },
    { n: 6, slug: '6-merge', title: 'Merge and borrow', methods: [] },
    { n: 7, slug: '7-cache', title: 'The page cache', methods: [] },
  ],
  checks: CHECKS,
  // Small pages and cache, as the reference engine's own suites use, so splits and evictions come early.
  tuning: { pageSize: 512, cachePages: 16 },
};
