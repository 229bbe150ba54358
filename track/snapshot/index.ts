/**
 * index.ts: the snapshot track: the whole map in memory, saved whole to one file. Four steps;
 * the contract checks are shared with the Bitcask track (the same behaviour, another engine).
 */
import type { Check } from '../check.js';
import { reuse } from '../check.js';
import type { Track } from '../tracks.js';
import { STEPS_1_TO_4 } from '../bitcask/steps-1-4.js';
import { STEPS_5_TO_7 } from '../bitcask/steps-5-7.js';
import { SNAPSHOT_OWN } from './checks.js';

const B = [...STEPS_1_TO_4, ...STEPS_5_TO_7];

/** The snapshot track's checks, in step order. */
const CHECKS: Check[] = [
  reuse(B, 'put then get returns the value; a key never put reads as undefined', 1),
  reuse(B, 'a second put replaces the value; the empty key, empty values and any byte are allowed', 1),
  reuse(B, 'scan lists pairs in bytewise key order within gt/gte/lt/lte, reversed and limited on request', 1),
  reuse(B, 'a scan after an overwrite shows the new value (a cached sorted list must not hold old entries)', 1),
  reuse(B, 'scan() checks its range when called, not when first read: a bad range throws KV_BAD_RANGE at once', 1),
  reuse(B, 'a scan is a live cursor: it sees keys put past it during the scan', 1),
  reuse(B, 'delete removes a key, also from a scan running ahead of it; deleting a missing key is not an error', 1),
  reuse(B, 'stats() counts the live keys and inspect() returns a JSON picture', 1),
  ...SNAPSHOT_OWN.filter((c) => c.step === 1),
  reuse(B, 'close, then open on the same directory, gives back every pair, newest values winning', 2),
  reuse(B, 'a second open of an open directory throws KV_LOCKED; close releases it', 2),
  reuse(B, 'an operation after close throws KV_CLOSED, and a second close does nothing', 2),
  ...SNAPSHOT_OWN.filter((c) => c.step === 2),
  reuse(B, 'a flipped bit in a stored value is caught: KV_CORRUPT, never a wrong value', 3),
  ...SNAPSHOT_OWN.filter((c) => c.step === 3),
  reuse(B, 'every write acknowledged before sync() survives a power loss that drops all unsynced writes', 4),
  reuse(B, 'a batch is all or nothing across a crash at any file-system call', 4),
  reuse(B, 'a failing fsync is reported as KV_IO, and the store refuses writes until reopened', 4),
  ...SNAPSHOT_OWN.filter((c) => c.step === 4),
];

export const SNAPSHOT: Track = {
  name: 'snapshot',
  title: 'Snapshot: a pickled dict',
  reference: 'snapshot',
  steps: [
    {
      n: 1,
      slug: '1-map',
      title: 'The map in memory',
      methods: ['constructor', 'get', 'put', 'delete', 'batch', 'scan', 'stats', 'inspect', 'close'],
    },
    { n: 2, slug: '2-save-load', title: 'Save whole, load whole', methods: ['sync'] },
    { n: 3, slug: '3-checksum', title: 'One checksum for the file', methods: [] },
    { n: 4, slug: '4-atomic-save', title: 'An atomic save', methods: ['compact'] },
  ],
  checks: CHECKS,
  tuning: {},
};
