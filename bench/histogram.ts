/**
 * histogram.ts: a latency histogram in the HdrHistogram style: log-linear buckets, so every
 * recorded value is kept to within 1/64 (about 1.6%) of itself from 1 ns to about 4 s,
 * in a fixed 2,000-odd counters however many values are recorded.
 *
 * Bucket layout: values below 64 ns get one bucket each; above that, each power of two
 * [2^e, 2^(e+1)) is split into 64 equal sub-buckets. A quantile is answered with the
 * midpoint of the bucket it falls in.
 */

/** Sub-buckets per power of two (the precision: 1 / SUB). */
const SUB_BITS = 6;
const SUB = 1 << SUB_BITS;
/** Largest recordable value in ns (larger ones are clamped): 2^32 - 1, about 4.3 s. */
const MAX_NS = 0xffffffff;
/** Buckets: SUB for [0, 64) plus SUB for each exponent 6..31. */
const BUCKETS = SUB + (32 - SUB_BITS) * SUB;

/** The percentiles the reports show. */
export interface LatencySummary {
  count: number;
  meanNs: number;
  p50Ns: number;
  p99Ns: number;
  p999Ns: number;
  maxNs: number;
}

/** Counts of latencies in nanoseconds. */
export class Histogram {
  private readonly counts = new Float64Array(BUCKETS);
  private n = 0;
  private sum = 0;
  private max = 0;

  /** Records one latency given in nanoseconds. */
  record(ns: number): void {
    const v = ns <= 0 ? 0 : ns >= MAX_NS ? MAX_NS : Math.round(ns);
    this.counts[bucketOf(v)]!++;
    this.n++;
    this.sum += v;
    if (v > this.max) this.max = v;
  }

  /** How many values were recorded. */
  get count(): number {
    return this.n;
  }

  /** The value at quantile q in [0, 1] (the midpoint of its bucket, capped at the max seen). */
  quantile(q: number): number {
    if (this.n === 0) return 0;
    // The rank of the value we want, 1-based: the smallest value with at least q*n at or below it.
    const rank = Math.max(1, Math.ceil(q * this.n));
    let seen = 0;
    for (let b = 0; b < BUCKETS; b++) {
      seen += this.counts[b]!;
      if (seen >= rank) return Math.min(midpointOf(b), this.max);
    }
    return this.max;
  }

  /** p50, p99, p99.9, mean and max. */
  summary(): LatencySummary {
    return {
      count: this.n,
      meanNs: this.n ? this.sum / this.n : 0,
      p50Ns: this.quantile(0.5),
      p99Ns: this.quantile(0.99),
      p999Ns: this.quantile(0.999),
      maxNs: this.max,
    };
  }
}

/** The bucket a value in [0, MAX_NS] falls in. */
export function bucketOf(v: number): number {
  if (v < SUB) return v;
  // The exponent of the highest set bit (6..31), then the SUB_BITS bits just below it.
  const e = 31 - Math.clz32(v);
  const sub = (v >>> (e - SUB_BITS)) & (SUB - 1);
  return SUB + (e - SUB_BITS) * SUB + sub;
}

/** The lowest value in bucket b. */
export function lowerOf(b: number): number {
  if (b < SUB) return b;
  const e = Math.floor((b - SUB) / SUB) + SUB_BITS;
  const sub = (b - SUB) % SUB;
  return (SUB + sub) * 2 ** (e - SUB_BITS);
}

/** The midpoint of bucket b (its lower bound for the exact buckets below 64). */
function midpointOf(b: number): number {
  if (b < SUB) return b;
  const lo = lowerOf(b);
  const width = 2 ** Math.floor((b - SUB) / SUB);
  return lo + (width - 1) / 2;
}
