/**
 * scenarios.ts: the B+tree lesson's canned scenarios. Each runs on a fresh store with the
 * widget's options (512-byte pages unless the lesson says otherwise).
 */
import type { Scenario } from '../../adapter.js';

/** Puts k<from>..k<to> with 40-byte values, so a 512-byte page holds about nine of them. */
export function longPuts(from: number, to: number): string[] {
  const out: string[] = [];
  for (let i = from; i <= to; i++)
    out.push(`put k${String(i).padStart(2, '0')} value-${String(i).padStart(2, '0')}-${'x'.repeat(31)}`);
  return out;
}

/** A 70-character key prefix (keys of 73 bytes): few separators fit a branch page, so the tree grows tall fast. */
const LONG_PREFIX = 'customers/europe/germany/berlin/mitte/alexanderplatz/tower-7/flat-0';

export const BTREE_SCENARIOS: readonly Scenario[] = [
  {
    name: 'split',
    title: 'Fill until a split',
    about: 'Puts of 40-byte values fill the 512-byte root leaf; the next put splits it and a branch root appears.',
    commands: ['sync', ...longPuts(1, 12)],
    focusEvent: 'btree.split',
  },
  {
    name: 'grow',
    title: 'Sixty keys in order',
    about:
      'Sixty ascending keys: each split keeps most of the full leaf on the left; the root branch gathers a separator per leaf, and the small cache evicts the oldest leaves.',
    commands: [...longPuts(1, 60), 'sync'],
  },
  {
    name: 'merge',
    title: 'Delete until a merge',
    about: 'Deletes empty a leaf below a quarter full; it merges with its sibling and the root collapses.',
    commands: [
      ...longPuts(1, 12),
      'sync',
      ...Array.from({ length: 7 }, (_, i) => `delete k${String(i + 1).padStart(2, '0')}`),
      'sync',
    ],
    focusEvent: 'btree.merge',
  },
  {
    name: 'cache',
    title: 'Cache hits, misses, evictions',
    about: 'With 4 cache pages, reading keys spread across the tree misses and evicts; reading one again hits.',
    commands: [
      'reset',
      ...longPuts(1, 40),
      'sync',
      'reopen',
      'get k01',
      'get k20',
      'get k39',
      'get k10',
      'get k30',
      'get k01',
      'get k01',
    ],
    focusEvent: 'btree.evict',
  },
  {
    name: 'commit',
    title: 'A commit, step by step',
    about:
      'Changes go to fresh pages (copy-on-write); sync writes them, the free list, fsyncs, then writes the meta page.',
    commands: [...longPuts(1, 6), 'sync', 'put k03 changed', 'sync'],
  },
  {
    name: 'crash-commit',
    title: 'Crash inside a commit',
    about: 'The meta page write fails mid-commit and power is lost: reopen takes the other meta page, the last commit.',
    commands: [
      ...longPuts(1, 6),
      'sync',
      'put k03 changed',
      'put k07 new',
      'fault sync',
      'sync',
      'crash',
      'reopen',
      'scan',
    ],
    focusEvent: 'workbench',
  },
  {
    name: 'overflow',
    title: 'A big value: overflow pages',
    about:
      'A 1200-byte value does not fit a leaf entry: it goes to a chain of overflow pages; replacing it frees the chain.',
    commands: ['put small 1', `put big ${'B'.repeat(1200)}`, 'sync', 'put big tiny', 'sync'],
    focusEvent: 'btree.free',
  },
  {
    name: 'freelist',
    title: 'The free list',
    about: 'Each commit copies the path; the old pages are pending until the commit is durable, then reused.',
    commands: [...longPuts(1, 10), 'sync', 'put k02 x', 'sync', 'put k04 y', 'sync', 'put k06 z', 'sync'],
  },
  {
    name: 'borrow',
    title: 'Delete until a borrow',
    about:
      'The left leaf is full, so when the right one underflows the two cannot merge: keys move over from the sibling and the separator in the root changes.',
    commands: [
      ...longPuts(1, 10),
      'sync',
      `put k05a value-05a-${'x'.repeat(30)}`,
      `put k05b value-05b-${'x'.repeat(30)}`,
      'sync',
      'delete k10',
      'delete k09',
      'sync',
    ],
    focusEvent: 'btree.borrow',
  },
  {
    name: 'three-levels',
    title: 'Long keys: a third level',
    about:
      'With 73-byte keys a branch page holds only a few separators, so 40 keys already need a root, a level of branches and the leaves.',
    commands: [`fill 40 ${LONG_PREFIX} 8`, 'sync'],
    focusEvent: (e) => e.type === 'btree.root' && e.height === 3,
  },
  {
    name: 'torn-meta',
    title: 'A torn meta page',
    about:
      'The process dies at the fsync after the meta page write, and the power cut tears that write: open finds the meta page failing its checksum and takes the other one, the commit before.',
    commands: [
      ...longPuts(1, 6),
      'sync',
      'put k03 changed',
      'fault sync btree.db skip 1 die',
      'sync',
      'crash torn',
      'reopen',
      'get k03',
    ],
    focusEvent: (e) => e.type === 'btree.recover' && e.tornMeta.length > 0,
  },
  {
    name: 'corrupt',
    title: 'A flipped bit in a leaf',
    about:
      'One byte of a value in a committed leaf rots on disk; after a reopen (the cache is empty) the get that reads the leaf finds its checksum wrong and reports KV_CORRUPT with the file and the offset.',
    commands: ['put k01 apple', 'put k02 pear', 'put k03 plum', 'sync', 'corrupt btree.db 1562', 'reopen', 'get k01'],
    focus: 4,
  },
];
