/**
 * scenarios.ts: the Bitcask lesson's canned scenarios. Each runs on a fresh store.
 */
import type { Scenario } from '../../adapter.js';

export const BITCASK_SCENARIOS: readonly Scenario[] = [
  {
    name: 'fill',
    title: 'Fill 30 keys',
    about: 'Every put appends one record to the log and points the keydir at it.',
    commands: ['fill 30', 'sync'],
  },
  {
    name: 'overwrite',
    title: 'Overwrite one key 10 times',
    about: 'Each overwrite appends a new record; the old ones stay on disk, dead.',
    commands: ['put counter 0', ...Array.from({ length: 10 }, (_, i) => `put counter ${i + 1}`), 'sync'],
  },
  {
    name: 'get',
    title: 'One read per get',
    about: 'A get looks the key up in memory, then reads exactly one record from disk.',
    commands: ['fill 8', 'sync', 'get key005', 'get nothing'],
  },
  {
    name: 'rollover',
    title: 'Roll over to a new file',
    about: 'When the active file would pass maxFileBytes, it is sealed and a new one begins.',
    commands: ['fill 24', 'sync'],
  },
  {
    name: 'merge',
    title: 'Merge and hint files',
    about: 'Overwrites and deletes leave dead records; compact copies only live ones and writes hint files.',
    commands: ['fill 16', ...Array.from({ length: 6 }, (_, i) => `put key00${(i % 3) + 1} again${i}`), 'delete key010', 'delete key011', 'sync', 'compact', 'reopen'],
  },
  {
    name: 'torn',
    title: 'Crash with a torn tail',
    about: 'Unsynced appends land except the last, which lands half-written: recovery cuts it off.',
    commands: ['put apple red', 'put pear green', 'sync', 'put plum purple', 'put fig brown', 'crash torn', 'reopen', 'scan'],
  },
];
