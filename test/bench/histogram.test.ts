/**
 * The latency histogram: quantiles within its 1/64 precision, and the bucket arithmetic.
 */
import { describe, it, expect } from 'vitest';
import { Histogram, bucketOf, lowerOf } from '../../bench/histogram.js';

describe('Histogram', () => {
  it('answers quantiles of a uniform spread within 1/64 of the exact value', () => {
    const h = new Histogram();
    for (let v = 1; v <= 100_000; v++) h.record(v);
    const s = h.summary();
    expect(s.count).toBe(100_000);
    for (const [got, want] of [
      [s.p50Ns, 50_000],
      [s.p99Ns, 99_000],
      [s.p999Ns, 99_900],
    ] as const) {
      expect(Math.abs(got - want) / want).toBeLessThan(1 / 64);
    }
    expect(s.maxNs).toBe(100_000);
    expect(s.meanNs).toBeCloseTo(50_000.5, 3);
  });

  it('keeps small values exact and clamps huge ones', () => {
    const h = new Histogram();
    h.record(3);
    h.record(3);
    h.record(1e12);
    expect(h.quantile(0.5)).toBe(3);
    expect(h.summary().maxNs).toBe(0xffffffff);
  });

  it('puts every value in the bucket whose range holds it', () => {
    for (const v of [0, 1, 63, 64, 65, 127, 128, 1000, 123_456, 2 ** 31, 0xffffffff]) {
      const b = bucketOf(v);
      expect(lowerOf(b)).toBeLessThanOrEqual(v);
      expect(lowerOf(b + 1)).toBeGreaterThan(v);
    }
  });

  it('reports zeros when empty', () => {
    expect(new Histogram().summary()).toEqual({ count: 0, meanNs: 0, p50Ns: 0, p99Ns: 0, p999Ns: 0, maxNs: 0 });
  });
});
