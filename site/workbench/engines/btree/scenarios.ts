/**
 * scenarios.ts: the B+tree lesson's canned scenarios. Each runs on a fresh store with the
 * widget's options (512-byte pages unless the lesson says otherwise).
 */
import type { Scenario } from '../../adapter.js';

/** Puts k<from>..k<to> with 40-byte values, so a 512-byte page holds about nine of them. */
export function longPuts(from: number, to: number): string[] {
  const out: string[] = [];
  for (let i = from; i <= to; i++) out.push(`put k${String(i).padStart(2, '0')} value-${String(i).padStart(2, '0')}-${'x'.repeat(31)}`);
  return out;
}

export const BTREE_SCENARIOS: readonly Scenario[] = [
  {
    name: 'split',
    title: 'Fill until a split',
    about: 'Puts of 40-byte values fill the 512-byte root leaf; the next put splits it and a branch root appears.',
    commands: ['sync', ...longPuts(1, 12)],
  },
  {
    name: 'grow',
    title: 'Sixty keys in order',
    about: 'Sixty ascending keys: each split keeps most of the full leaf on the left; the root branch gathers a separator per leaf, and the small cache evicts the oldest leaves.',
    commands: [...longPuts(1, 60), 'sync'],
  },
  {
    name: 'merge',
    title: 'Delete until a merge',
    about: 'Deletes empty a leaf below a quarter full; it merges with its sibling and the root collapses.',
    commands: [...longPuts(1, 12), 'sync', ...Array.from({ length: 7 }, (_, i) => `delete k${String(i + 1).padStart(2, '0')}`), 'sync'],
  },
  {
    name: 'cache',
    title: 'Cache hits, misses, evictions',
    about: 'With 4 cache pages, reading keys spread across the tree misses and evicts; reading one again hits.',
    commands: ['reset', ...longPuts(1, 40), 'sync', 'reopen', 'get k01', 'get k20', 'get k39', 'get k10', 'get k30', 'get k01', 'get k01'],
  },
  {
    name: 'commit',
    title: 'A commit, step by step',
    about: 'Changes go to fresh pages (copy-on-write); sync writes them, the free list, fsyncs, then writes the meta page.',
    commands: [...longPuts(1, 6), 'sync', 'put k03 changed', 'sync'],
  },
  {
    name: 'crash-commit',
    title: 'Crash inside a commit',
    about: 'The meta page write fails mid-commit and power is lost: reopen takes the other meta page, the last commit.',
    commands: [...longPuts(1, 6), 'sync', 'put k03 changed', 'put k07 new', 'fault sync', 'sync', 'crash', 'reopen', 'scan'],
  },
  {
    name: 'overflow',
    title: 'A big value: overflow pages',
    about: 'A 1200-byte value does not fit a leaf entry: it goes to a chain of overflow pages; replacing it frees the chain.',
    commands: ['put small 1', `put big ${'B'.repeat(1200)}`, 'sync', 'put big tiny', 'sync'],
  },
  {
    name: 'freelist',
    title: 'The free list',
    about: 'Each commit copies the path; the old pages are pending until the commit is durable, then reused.',
    commands: [...longPuts(1, 10), 'sync', 'put k02 x', 'sync', 'put k04 y', 'sync', 'put k06 z', 'sync'],
  },
];
