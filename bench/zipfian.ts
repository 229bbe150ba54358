/**
 * zipfian.ts: YCSB's zipfian key chooser (Gray et al., "Quickly Generating Billion-Record
 * Synthetic Databases", as in YCSB's ZipfianGenerator), scrambled as YCSB's
 * ScrambledZipfianGenerator does so the popular items are spread over the key space
 * instead of bunched at its start.
 *
 * Item i (0-based) is drawn with probability proportional to 1 / (i + 1)^theta; YCSB's
 * default theta is 0.99, so a few keys take most of the traffic (a hot set).
 */
import type { Random } from './random.js';

/** YCSB's default skew. */
export const ZIPFIAN_THETA = 0.99;

/** Draws item numbers in [0, n) with a zipfian distribution (item 0 the most popular). */
export class Zipfian {
  private readonly alpha: number;
  private readonly zetan: number;
  private readonly eta: number;
  private readonly half: number;

  /** Precomputes zeta(n, theta): O(n) once, then every draw is O(1). */
  constructor(
    readonly n: number,
    private readonly random: Random,
    readonly theta = ZIPFIAN_THETA,
  ) {
    if (!Number.isInteger(n) || n < 1) throw new Error(`a zipfian generator needs n >= 1, not ${n}`);
    const zeta2 = zeta(2, theta);
    this.zetan = zeta(n, theta);
    this.alpha = 1 / (1 - theta);
    this.eta = (1 - Math.pow(2 / n, 1 - theta)) / (1 - zeta2 / this.zetan);
    this.half = 1 + Math.pow(0.5, theta);
  }

  /** The next item: 0 is the most popular, then 1, and so on. */
  next(): number {
    const u = this.random.float();
    const uz = u * this.zetan;
    if (uz < 1) return 0;
    if (uz < this.half) return Math.min(1, this.n - 1);
    const i = Math.floor(this.n * Math.pow(this.eta * u - this.eta + 1, this.alpha));
    return Math.min(i, this.n - 1);
  }
}

/** Zipfian draws with popularity spread over [0, n) by a hash (YCSB's scrambled variant). */
export class ScrambledZipfian {
  private readonly zipf: Zipfian;

  /** Draws over n items. */
  constructor(
    readonly n: number,
    random: Random,
    theta = ZIPFIAN_THETA,
  ) {
    this.zipf = new Zipfian(n, random, theta);
  }

  /** The next item number in [0, n). */
  next(): number {
    // Offset first: the finalizer maps 0 to 0, and item 0 is the hottest.
    return mix32(this.zipf.next() + 0x9e3779b9) % this.n;
  }
}

/** The generalized harmonic number sum_{i=1..n} 1 / i^theta. */
export function zeta(n: number, theta: number): number {
  let sum = 0;
  for (let i = 1; i <= n; i++) sum += 1 / Math.pow(i, theta);
  return sum;
}

/** MurmurHash3's 32-bit finalizer: a bijection on 32-bit integers that scatters neighbours. */
export function mix32(x: number): number {
  let h = x >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}
