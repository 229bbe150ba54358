/**
 * The bench command line: defaults, lists kept in canonical order, and clear errors.
 */
import { describe, it, expect } from 'vitest';
import { parseOptions, SUBJECTS, DEFAULT_OUT, QUICK_OUT, FULL_KEYS, QUICK_KEYS } from '../../bench/options.js';
import { WORKLOADS } from '../../bench/workloads.js';

describe('parseOptions', () => {
  it('defaults to every subject and workload, the full key count, and the committed results file', () => {
    const o = parseOptions([]);
    expect(o.subjects).toEqual([...SUBJECTS]);
    expect(o.workloads).toEqual([...WORKLOADS]);
    expect(o).toMatchObject({ keys: FULL_KEYS, valueBytes: 100, quick: false, out: DEFAULT_OUT });
  });

  it('makes --quick small and writes it where git ignores it', () => {
    expect(parseOptions(['--quick'])).toMatchObject({ keys: QUICK_KEYS, quick: true, out: QUICK_OUT });
  });

  it('reads --engines, --workloads, --keys, --value-bytes and --out, with or without =', () => {
    const o = parseOptions([
      '--engines',
      'lmdb,snapshot',
      '--workloads=readrandom,fillseq',
      '--keys',
      '500',
      '--value-bytes=10',
      '--out',
      'x.json',
    ]);
    // Canonical order, whatever order they were given in: workloads depend on earlier ones.
    expect(o.subjects).toEqual(['snapshot', 'lmdb']);
    expect(o.workloads).toEqual(['fillseq', 'readrandom']);
    expect(o).toMatchObject({ keys: 500, valueBytes: 10, out: 'x.json' });
  });

  it('rejects unknown names and bad numbers with a message', () => {
    expect(() => parseOptions(['--engines', 'rocksdb'])).toThrow(/unknown "rocksdb"/);
    expect(() => parseOptions(['--keys', 'lots'])).toThrow(/--keys must be a whole number/);
    expect(() => parseOptions(['--fast'])).toThrow(/unknown option --fast/);
    expect(() => parseOptions(['--keys'])).toThrow(/needs a value/);
  });
});
