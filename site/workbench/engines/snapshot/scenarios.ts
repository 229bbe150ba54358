/**
 * scenarios.ts: the snapshot lesson's canned scenarios. Each runs on a fresh store.
 */
import type { Scenario } from '../../adapter.js';

export const SNAPSHOT_SCENARIOS: readonly Scenario[] = [
  {
    name: 'fill',
    title: 'Fill 30 keys',
    about: 'Thirty puts change only memory; one sync writes them all at once.',
    commands: ['fill 30', 'sync'],
  },
  {
    name: 'overwrite',
    title: 'Overwrite one key 10 times',
    about: 'Ten keys, then one key rewritten ten times with a save after each: every save rewrites all eleven keys.',
    commands: [
      'fill 10',
      'sync',
      ...Array.from({ length: 10 }, (_, i) => `put counter ${i + 1}`).flatMap((c) => [c, 'sync']),
    ],
  },
  {
    name: 'crash-before-sync',
    title: 'Crash before sync',
    about: 'Two keys saved, a third only in memory: the crash loses it and reopen loads the last save.',
    commands: ['put apple red', 'put banana yellow', 'sync', 'put cherry dark-red', 'crash', 'reopen', 'get cherry'],
    focus: 4,
  },
  {
    name: 'crash-during-save',
    title: 'Crash during a save',
    about:
      "The rename fails after the temp file was written; power fails (the temp file's name happens to survive): the old snapshot stays whole, and reopen removes the temp file.",
    commands: ['put apple red', 'sync', 'put banana yellow', 'fault rename', 'sync', 'crash dirs', 'reopen', 'scan'],
    focus: 4,
  },
  {
    name: 'no-autosave',
    title: 'Seven puts, no save, a crash',
    about:
      'Without autosaveEvery nothing reaches the disk before sync: no bytes written, no fsync, and the crash loses all seven puts.',
    commands: ['fill 7', 'crash', 'reopen', 'scan'],
    focus: 1,
  },
  {
    name: 'autosave',
    title: 'The same with autosaveEvery 3',
    about:
      'Every third put saves the whole dict (write, fsync, rename, directory fsync): six puts survive the crash, the seventh is lost.',
    options: { autosaveEvery: 3 },
    commands: ['fill 7', 'crash', 'reopen', 'scan'],
    focus: 1,
  },
  {
    name: 'corrupt',
    title: 'A flipped bit in the snapshot',
    about:
      'One byte of a value rots on disk; open reads the whole file, the checksum fails, and it refuses with KV_CORRUPT naming the file and the offset.',
    commands: ['put apple red', 'put pear green', 'sync', 'corrupt snapshot.db 31', 'reopen'],
    focus: 3,
  },
];
