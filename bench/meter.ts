/**
 * meter.ts: measures one workload while it runs: every op's latency into a histogram,
 * peak memory (sampled), progress reports, and a time cap for workloads that may stop early.
 *
 * The timed loop awaits an op only when it returns a Promise (the peers' writes), so a
 * synchronous engine pays two clock reads per op and nothing else. Every 100 ms it samples
 * memory, reports progress, checks the time cap and yields to the event loop once (which
 * lets lmdb commit its queued writes and the IPC channel drain).
 */
import { Histogram } from './histogram.js';

/** How often to sample memory and report progress. */
const TICK_MS = 100;

/** Progress as the parent's display wants it. */
export interface Progress {
  done: number;
  total: number;
  elapsedMs: number;
}

/** The running measurement of one workload. */
export class Meter {
  readonly histogram = new Histogram();
  readonly start = performance.now();
  peakRss = 0;
  peakHeap = 0;
  private lastTick = this.start;
  /** True once the time cap stopped the loop early. */
  capped = false;

  /** A meter for `total` ops, stopping after `capMs` (Infinity: never stop early). */
  constructor(
    readonly total: number,
    private readonly capMs: number,
    private readonly report: (p: Progress) => void,
  ) {
    this.sampleMemory();
  }

  /** Milliseconds since the workload started. */
  elapsedMs(): number {
    return performance.now() - this.start;
  }

  /** Reads RSS and heap use, keeping the peaks. */
  sampleMemory(): void {
    const m = process.memoryUsage();
    if (m.rss > this.peakRss) this.peakRss = m.rss;
    if (m.heapUsed > this.peakHeap) this.peakHeap = m.heapUsed;
  }

  /** Called every 100 ms or so; returns true when the time cap says stop. */
  async tick(done: number): Promise<boolean> {
    const now = performance.now();
    this.lastTick = now;
    this.sampleMemory();
    this.report({ done, total: this.total, elapsedMs: now - this.start });
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (now - this.start > this.capMs) this.capped = true;
    return this.capped;
  }

  /**
   * Runs step(0..n-1), timing each call; returns how many ran (fewer than n if capped).
   * A step returns undefined, or a Promise the loop awaits inside the timed interval.
   */
  async loop(n: number, step: (i: number) => void | Promise<unknown>): Promise<number> {
    const h = this.histogram;
    for (let i = 0; i < n; i++) {
      const t0 = performance.now();
      const r = step(i);
      if (r !== undefined) await r;
      const t1 = performance.now();
      h.record((t1 - t0) * 1e6);
      // The clock was read anyway: tick when 100 ms have passed, whatever the op rate.
      if (t1 - this.lastTick >= TICK_MS && (await this.tick(i + 1))) return i + 1;
    }
    return n;
  }
}
