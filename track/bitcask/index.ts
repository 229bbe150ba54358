/**
 * index.ts: the Bitcask track: its steps and their checks, in order.
 */
import type { Track } from '../tracks.js';
import { STEPS_1_TO_4 } from './steps-1-4.js';
import { STEPS_5_TO_7 } from './steps-5-7.js';

export const BITCASK: Track = {
  name: 'bitcask',
  title: 'Bitcask: a log and a hash index',
  reference: 'bitcask',
  steps: [
    {
      n: 1,
      slug: '1-records',
      title: 'Records and the keydir',
      methods: ['constructor', 'get', 'put', 'scan', 'stats', 'inspect', 'batch', 'close'],
    },
    { n: 2, slug: '2-reopen', title: 'Reopen by scanning', methods: [] },
    { n: 3, slug: '3-checksums', title: 'Checksums and a torn tail', methods: ['sync'] },
    { n: 4, slug: '4-tombstones', title: 'Deletes as tombstones', methods: ['delete'] },
    { n: 5, slug: '5-rollover', title: 'Rollover', methods: [] },
    { n: 6, slug: '6-merge', title: 'Merge and hint files', methods: ['compact'] },
    { n: 7, slug: '7-sync', title: 'sync() and the durability rule', methods: [] },
  ],
  checks: [...STEPS_1_TO_4, ...STEPS_5_TO_7],
  // Small files and a low merge threshold, as the reference engine's own suites use.
  tuning: { maxFileBytes: 4096, mergeMinDeadBytes: 8192, mergeDeadRatio: 0.5 },
};
