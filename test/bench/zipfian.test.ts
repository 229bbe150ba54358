/**
 * The zipfian chooser of the YCSB workloads: in range, skewed, and scrambled.
 */
import { describe, it, expect } from 'vitest';
import { Random } from '../../bench/random.js';
import { Zipfian, ScrambledZipfian, zeta } from '../../bench/zipfian.js';

describe('Zipfian', () => {
  it('draws items in [0, n) with item 0 the most popular and a long tail', () => {
    const n = 1000;
    const z = new Zipfian(n, new Random(7));
    const counts = new Array<number>(n).fill(0);
    let outside = 0;
    for (let i = 0; i < 100_000; i++) {
      const x = z.next();
      if (!(x >= 0 && x < n && Number.isInteger(x))) outside++;
      else counts[x]!++;
    }
    expect(outside).toBe(0);
    expect(Math.max(...counts)).toBe(counts[0]);
    // With theta 0.99, item 0 takes about 1/zeta(n) of the draws (13% for n = 1000).
    const expected = 1 / zeta(n, 0.99);
    expect(Math.abs(counts[0]! / 100_000 - expected)).toBeLessThan(0.02);
    // The top 10% of items take most of the draws.
    const top = counts.slice(0, n / 10).reduce((a, b) => a + b, 0);
    expect(top / 100_000).toBeGreaterThan(0.6);
  });

  it('spreads the popular items over the key space when scrambled', () => {
    const n = 1000;
    const z = new ScrambledZipfian(n, new Random(7));
    const counts = new Array<number>(n).fill(0);
    for (let i = 0; i < 50_000; i++) counts[z.next()]!++;
    const hottest = counts.indexOf(Math.max(...counts));
    expect(hottest).not.toBe(0);
    // Still skewed: the hottest item is far above the average of 50.
    expect(Math.max(...counts)).toBeGreaterThan(1000);
  });

  it('is deterministic for a seed', () => {
    const a = new ScrambledZipfian(500, new Random(3));
    const b = new ScrambledZipfian(500, new Random(3));
    for (let i = 0; i < 100; i++) expect(a.next()).toBe(b.next());
  });
});
