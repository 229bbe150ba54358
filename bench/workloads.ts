/**
 * workloads.ts: what the benchmark does to each store, modelled on LevelDB's db_bench
 * (fillseq, fillrandom, overwrite, readrandom, readmissing, readseq, seekrandom,
 * deleterandom, fillbatch) and YCSB's core workloads A, B, C and E (zipfian keys).
 *
 * Every workload runs on `keys` items (item i is key 2i, see keys.ts). It starts from one
 * of three states:
 *   - fresh:  a new empty store in a new directory (its open time is reported);
 *   - filled: every item present (the runner refills untimed if an earlier workload
 *             deleted some);
 *   - crash:  a store another process filled, synced and was killed in, without close
 *             (the open is what is measured: recovery).
 * Writing workloads end with sync(), inside the timed interval, so an engine that defers
 * its work to sync (the snapshot engine saves everything then) pays for it in the figure.
 */
import type { BenchKV, Capability } from './adapter.js';
import { presentKey, missingKey, type Values } from './keys.js';
import type { Meter } from './meter.js';
import type { Random } from './random.js';
import { ScrambledZipfian } from './zipfian.js';

/** The workloads in the order they run (each leaves the store as the next expects). */
export const WORKLOADS = [
  'fillseq',
  'fillrandom',
  'overwrite',
  'readrandom',
  'readmissing',
  'readseq',
  'seekrandom',
  'ycsb-a',
  'ycsb-b',
  'ycsb-c',
  'ycsb-e',
  'deleterandom',
  'fillrandom-traced',
  'fillrandom-bare',
  'fillbatch',
  'reopen',
] as const;
export type WorkloadName = (typeof WORKLOADS)[number];

/** Items written per batch in fillbatch (db_bench's default). */
export const BATCH_ITEMS = 1000;
/** Pairs read by a short range scan: the seek plus 10 nexts. */
export const SEEK_PAIRS = 11;
/** Longest YCSB E scan (YCSB's maxscanlength; lengths are uniform in 1..this). */
export const YCSB_MAX_SCAN = 100;

/** Which items are present, as the runner knows it (the truth the engines must match). */
export class KeyState {
  /** One byte per item: 1 when present. Items n.. are YCSB E's inserts. */
  readonly present: Uint8Array;
  live = 0;
  inserted = 0;
  /** True while items 0..n-1 are all present. */
  filled = false;

  /** Room for n items and as many YCSB E inserts. */
  constructor(readonly n: number) {
    this.present = new Uint8Array(2 * n + 1);
  }

  /** Marks item i present. */
  add(i: number): void {
    if (!this.present[i]) {
      this.present[i] = 1;
      this.live++;
    }
  }

  /** Marks item i gone. */
  remove(i: number): void {
    if (this.present[i]) {
      this.present[i] = 0;
      this.live--;
    }
  }

  /** Forgets everything (a fresh store). */
  clear(): void {
    this.present.fill(0);
    this.live = 0;
    this.inserted = 0;
    this.filled = false;
  }
}

/** What a workload is given. */
export interface WorkloadContext {
  kv: BenchKV;
  keys: number;
  values: Values;
  random: Random;
  state: KeyState;
  meter: Meter;
}

/** What a workload did, beyond its timing. */
export interface Outcome {
  /** Operations done (for scans: pairs read; for fillbatch: items written). */
  ops: number;
  /** Gets issued and how many found a value (a sanity check: readmissing must find none). */
  gets?: number;
  found?: number;
  /** Pairs returned by scans. */
  pairs?: number;
  /** Puts and deletes issued (for the bytes the user wrote). */
  puts?: number;
  deletes?: number;
}

/** One workload. */
export interface Workload {
  name: WorkloadName;
  /** One line for the README and the table. */
  title: string;
  start: 'fresh' | 'filled' | 'crash';
  /** Capabilities the subject must have. */
  needs: Capability[];
  /** Writes: end with a timed sync(); write amplification applies. */
  writes: boolean;
  /** What one latency sample is. */
  latencyUnit: 'op' | 'batch' | 'scan' | 'open';
  /** May stop at the time cap (fills that later workloads build on never do). */
  capped: boolean;
  /** Timed steps the workload plans for `keys` items (the progress total). */
  steps(keys: number): number;
  /** Runs the timed part. */
  run(ctx: WorkloadContext): Promise<Outcome>;
}

/** Puts items in the order given, marking them present. */
async function fill(ctx: WorkloadContext, order: (i: number) => number): Promise<Outcome> {
  const { kv, values, state } = ctx;
  const n = await ctx.meter.loop(ctx.keys, (i) => {
    const item = order(i);
    state.add(item);
    return kv.put(presentKey(item), values.next());
  });
  return { ops: n, puts: n };
}

/** Gets random items (present or missing keys), counting hits. */
async function reads(ctx: WorkloadContext, key: (item: number) => Uint8Array): Promise<Outcome> {
  const { kv, random, keys } = ctx;
  let found = 0;
  const n = await ctx.meter.loop(keys, () => {
    if (kv.get(key(random.below(keys))) !== undefined) found++;
  });
  return { ops: n, gets: n, found };
}

/** A YCSB read/update mix over zipfian items. */
async function ycsbMix(ctx: WorkloadContext, readFraction: number): Promise<Outcome> {
  const { kv, random, keys, values } = ctx;
  const zipf = new ScrambledZipfian(keys, random);
  let gets = 0;
  let found = 0;
  const n = await ctx.meter.loop(keys, () => {
    const item = zipf.next();
    if (random.float() < readFraction) {
      gets++;
      if (kv.get(presentKey(item)) !== undefined) found++;
      return undefined;
    }
    return kv.put(presentKey(item), values.next());
  });
  return { ops: n, gets, found, puts: n - gets };
}

/** Adds a scan's pair count to `total`, whether it came back now or as a Promise. */
function counting(r: number | Promise<number>, total: { pairs: number }): void | Promise<void> {
  if (typeof r === 'number') {
    total.pairs += r;
    return undefined;
  }
  return r.then((x) => {
    total.pairs += x;
  });
}

/** A YCSB read/update mix (A, B, C) over a filled store: `reads` is the share of gets. */
function ycsbReadUpdate(name: WorkloadName, title: string, reads: number): Workload {
  return {
    name,
    title,
    start: 'filled',
    needs: ['get'],
    writes: reads < 1,
    latencyUnit: 'op',
    capped: true,
    steps: (k) => k,
    run: (ctx) => ycsbMix(ctx, reads),
  };
}

/** Every workload by name. */
export const WORKLOAD: Record<WorkloadName, Workload> = {
  fillseq: {
    name: 'fillseq',
    title: 'put every key in ascending order into a new store',
    start: 'fresh',
    needs: [],
    writes: true,
    latencyUnit: 'op',
    capped: false,
    steps: (k) => k,
    run: (ctx) => fill(ctx, (i) => i),
  },
  fillrandom: {
    name: 'fillrandom',
    title: 'put every key in random order into a new store',
    start: 'fresh',
    needs: [],
    writes: true,
    latencyUnit: 'op',
    capped: false,
    steps: (k) => k,
    run: (ctx) => {
      const order = ctx.random.permutation(ctx.keys);
      return fill(ctx, (i) => order[i]!);
    },
  },
  'fillrandom-traced': {
    name: 'fillrandom-traced',
    title: 'fillrandom with a do-nothing trace listener attached (the cost of tracing)',
    start: 'fresh',
    needs: ['trace'],
    writes: true,
    latencyUnit: 'op',
    // Tracing is slow by design (every write is hex-dumped); the next workload starts fresh.
    capped: true,
    steps: (k) => k,
    run: (ctx) => {
      const order = ctx.random.permutation(ctx.keys);
      return fill(ctx, (i) => order[i]!);
    },
  },
  overwrite: {
    name: 'overwrite',
    title: 'put new values for random existing keys',
    start: 'filled',
    needs: [],
    writes: true,
    latencyUnit: 'op',
    capped: true,
    steps: (k) => k,
    run: async (ctx) => {
      const { kv, random, keys, values } = ctx;
      const n = await ctx.meter.loop(keys, () => kv.put(presentKey(random.below(keys)), values.next()));
      return { ops: n, puts: n };
    },
  },
  readrandom: {
    name: 'readrandom',
    title: 'get random present keys',
    start: 'filled',
    needs: ['get'],
    writes: false,
    latencyUnit: 'op',
    capped: true,
    steps: (k) => k,
    run: (ctx) => reads(ctx, presentKey),
  },
  readmissing: {
    name: 'readmissing',
    title: 'get random missing keys (each between two present ones)',
    start: 'filled',
    needs: ['get'],
    writes: false,
    latencyUnit: 'op',
    capped: true,
    steps: (k) => k,
    run: (ctx) => reads(ctx, missingKey),
  },
  readseq: {
    name: 'readseq',
    title: 'scan the whole store in key order (ops are pairs)',
    start: 'filled',
    needs: ['scan'],
    writes: false,
    latencyUnit: 'scan',
    capped: false,
    steps: () => 1,
    run: async (ctx) => {
      const total = { pairs: 0 };
      await ctx.meter.loop(1, () => counting(ctx.kv.scan(undefined, Infinity), total));
      return { ops: total.pairs, pairs: total.pairs };
    },
  },
  seekrandom: {
    name: 'seekrandom',
    title: `short range scans: seek to a random key, read ${SEEK_PAIRS} pairs`,
    start: 'filled',
    needs: ['scan'],
    writes: false,
    latencyUnit: 'op',
    capped: true,
    steps: (k) => Math.max(1, Math.floor(k / 10)),
    run: async (ctx) => {
      const { kv, random, keys } = ctx;
      const total = { pairs: 0 };
      const n = await ctx.meter.loop(Math.max(1, Math.floor(keys / 10)), () =>
        counting(kv.scan(presentKey(random.below(keys)), SEEK_PAIRS), total),
      );
      return { ops: n, pairs: total.pairs };
    },
  },
  'ycsb-a': ycsbReadUpdate('ycsb-a', 'YCSB A: 50% reads, 50% updates, zipfian keys', 0.5),
  'ycsb-b': ycsbReadUpdate('ycsb-b', 'YCSB B: 95% reads, 5% updates, zipfian keys', 0.95),
  'ycsb-c': ycsbReadUpdate('ycsb-c', 'YCSB C: reads only, zipfian keys', 1),
  'ycsb-e': {
    name: 'ycsb-e',
    title: `YCSB E: 95% short scans (1-${YCSB_MAX_SCAN} pairs from a zipfian key), 5% inserts of new keys`,
    start: 'filled',
    needs: ['scan'],
    writes: true,
    latencyUnit: 'op',
    capped: true,
    steps: (k) => Math.max(1, Math.floor(k / 10)),
    run: async (ctx) => {
      const { kv, random, keys, values, state } = ctx;
      const zipf = new ScrambledZipfian(keys, random);
      const total = { pairs: 0 };
      const before = state.inserted;
      const n = await ctx.meter.loop(Math.max(1, Math.floor(keys / 10)), () => {
        if (random.float() < 0.95)
          return counting(kv.scan(presentKey(zipf.next()), 1 + random.below(YCSB_MAX_SCAN)), total);
        const item = keys + state.inserted++;
        state.add(item);
        return kv.put(presentKey(item), values.next());
      });
      return { ops: n, pairs: total.pairs, puts: state.inserted - before };
    },
  },
  deleterandom: {
    name: 'deleterandom',
    title: 'delete half the keys, in random order',
    start: 'filled',
    needs: ['delete'],
    writes: true,
    latencyUnit: 'op',
    capped: true,
    steps: (k) => Math.max(1, Math.floor(k / 2)),
    run: async (ctx) => {
      const { kv, random, keys, state } = ctx;
      const order = random.permutation(keys);
      state.filled = false;
      const n = await ctx.meter.loop(Math.max(1, Math.floor(keys / 2)), (i) => {
        state.remove(order[i]!);
        return kv.delete(presentKey(order[i]!));
      });
      return { ops: n, deletes: n };
    },
  },
  'fillrandom-bare': {
    name: 'fillrandom-bare',
    title: 'fillrandom with file handles past the counting/tracing wrapper (what tracing costs with no listener)',
    start: 'fresh',
    needs: ['trace'],
    writes: true,
    latencyUnit: 'op',
    capped: true,
    steps: (k) => k,
    run: (ctx) => {
      const order = ctx.random.permutation(ctx.keys);
      return fill(ctx, (i) => order[i]!);
    },
  },
  fillbatch: {
    name: 'fillbatch',
    title: `put every key in random order into a new store, ${BATCH_ITEMS} per batch`,
    start: 'fresh',
    needs: ['batch'],
    writes: true,
    latencyUnit: 'batch',
    capped: false,
    steps: (k) => Math.ceil(k / BATCH_ITEMS),
    run: async (ctx) => {
      const { kv, random, keys, values, state } = ctx;
      const order = random.permutation(keys);
      await ctx.meter.loop(Math.ceil(keys / BATCH_ITEMS), (b) => {
        const pairs: [Uint8Array, Uint8Array][] = [];
        for (let i = b * BATCH_ITEMS; i < Math.min(keys, (b + 1) * BATCH_ITEMS); i++) {
          state.add(order[i]!);
          pairs.push([presentKey(order[i]!), values.next()]);
        }
        return kv.batch(pairs);
      });
      return { ops: keys, puts: keys };
    },
  },
  reopen: {
    name: 'reopen',
    title: 'open a store another process filled, synced and was killed in (recovery)',
    start: 'crash',
    needs: ['reopen'],
    writes: false,
    latencyUnit: 'open',
    capped: false,
    steps: () => 1,
    // The runner times the open itself; this checks what came back.
    run: async (ctx) => {
      const { kv, random, keys } = ctx;
      let found = 0;
      const gets = Math.min(keys, 1000);
      for (let i = 0; i < gets; i++) if (kv.get(presentKey(random.below(keys))) !== undefined) found++;
      return { ops: keys, gets, found };
    },
  },
};
