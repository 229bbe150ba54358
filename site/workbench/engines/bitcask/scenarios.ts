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
    // The first real rollover (the first write of a session also starts an active file).
    focusEvent: (e) => e.type === 'bitcask.rollover' && e.from !== undefined,
  },
  {
    name: 'merge',
    title: 'Merge and hint files',
    about: 'Overwrites and deletes leave dead records; compact copies only live ones and writes hint files.',
    commands: [
      'fill 16',
      ...Array.from({ length: 6 }, (_, i) => `put key00${(i % 3) + 1} again${i}`),
      'delete key010',
      'delete key011',
      'sync',
      'compact',
      'reopen',
    ],
    focusEvent: 'bitcask.merge.start',
  },
  {
    name: 'torn',
    title: 'Crash with a torn tail',
    about: 'Unsynced appends land except the last, which lands half-written: recovery cuts it off.',
    commands: [
      'put apple red',
      'put pear green',
      'sync',
      'put plum purple',
      'put fig brown',
      'crash torn',
      'reopen',
      'scan',
    ],
    focusEvent: 'bitcask.recover.truncate',
  },
  {
    name: 'crash-unsynced',
    title: 'Three puts, no sync, a crash',
    about: 'The appends are written but never fsynced: the power cut drops all three.',
    commands: ['put apple red', 'put pear green', 'put plum purple', 'crash', 'reopen', 'scan'],
    focus: 3,
  },
  {
    name: 'sync-every-write',
    title: 'The same with syncEveryWrite',
    about: 'Each put is fsynced before it returns: one more fsync per put, and the crash loses nothing.',
    options: { syncEveryWrite: true },
    commands: ['put apple red', 'put pear green', 'put plum purple', 'crash', 'reopen', 'scan'],
    focus: 3,
  },
  {
    name: 'auto-merge',
    title: 'A merge that starts by itself',
    about:
      'One key rewritten again and again: when sealed files are half dead bytes (mergeDeadRatio 0.5, at least 128 B), the store merges on its own at a rollover.',
    options: { maxFileBytes: 256, mergeDeadRatio: 0.5, mergeMinDeadBytes: 128 },
    commands: [
      'put apple red',
      'put pear green',
      ...Array.from({ length: 12 }, (_, i) => `put counter ${i + 1}`),
      'sync',
    ],
    focusEvent: 'bitcask.merge.start',
  },
  {
    name: 'corrupt',
    title: 'A flipped bit in a record',
    about:
      'One byte of a value rots on disk: the get that reads the record finds its checksum wrong and reports KV_CORRUPT with the file and the offset; reopen refuses the same way.',
    commands: [
      'put apple red',
      'put pear green',
      'put plum purple',
      'sync',
      'corrupt 000001.data 28',
      'get apple',
      'get pear',
      'reopen',
    ],
    focus: 4,
  },
];
