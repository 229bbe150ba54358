/**
 * sizes-child.ts: one measurement of `npm run sizes`, in its own Node process so its memory
 * figures are its own. Two modes, given as JSON in argv[2]:
 *
 *   fill: open a new store at default options, put `keys` pairs in a random order, in batches
 *         of FILL_BATCH (a bulk load, so the 1M-key runs stay within minutes), sync, close.
 *   open: reopen that store in a fresh process, then measure what it holds in memory, what it
 *         has on disk, how long the open took, and how many file reads a random get costs.
 *
 * It prints one JSON line (the result) on stdout. Keys and values are the benchmark's own
 * (bench/keys.ts): 16-byte keys, 100-byte random values, item i is key 2i.
 */
import { openStore, NodeFileSystem, type KVStore } from '../engines/index.js';
import { presentKey, missingKey, Values } from './keys.js';
import { Random } from './random.js';
import { ReadCountingFileSystem } from './sizes-fs.js';
import { FILL_BATCH, type SizesJob } from './sizes-job.js';

const gc = (globalThis as { gc?: () => void }).gc;

/** Collects garbage (twice: weak references and finalizers need a second pass), if exposed. */
function collect(): void {
  gc?.();
  gc?.();
}

/** Resident set size and V8 heap in use, after a collection. */
function memory(): { rssBytes: number; heapUsedBytes: number } {
  collect();
  const m = process.memoryUsage();
  return { rssBytes: m.rss, heapUsedBytes: m.heapUsed };
}

/** 0..n-1 in a seeded random order (Fisher-Yates). */
function permutation(n: number, seed: number): Uint32Array {
  const p = new Uint32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  const r = new Random(seed);
  for (let i = n - 1; i > 0; i--) {
    const j = r.below(i + 1);
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}

/** Fills a new store with `job.keys` pairs in random order and syncs; reports time and memory. */
function fill(job: SizesJob): Record<string, unknown> {
  const order = permutation(job.keys, job.seed);
  const values = new Values(job.valueBytes, job.seed);
  const before = memory();
  const t0 = performance.now();
  const db = openStore(job.engine, { dir: job.dir });
  for (let i = 0; i < order.length; i += FILL_BATCH) {
    const ops = [];
    for (let j = i; j < Math.min(i + FILL_BATCH, order.length); j++)
      ops.push({ type: 'put' as const, key: presentKey(order[j]!), value: values.next() });
    db.batch(ops);
  }
  db.sync();
  const seconds = (performance.now() - t0) / 1000;
  const s = db.stats();
  const after = memory();
  db.close();
  return {
    seconds,
    opsPerSec: job.keys / seconds,
    memoryBytes: s.memoryBytes,
    rssBytes: after.rssBytes,
    rssGrowthBytes: after.rssBytes - before.rssBytes,
    bytesWritten: s.bytesWritten,
    userBytesWritten: s.userBytesWritten,
  };
}

/** File reads and bytes read per get over `count` gets chosen by `keyOf`. */
function perGet(
  db: KVStore,
  fs: ReadCountingFileSystem,
  count: number,
  keyOf: (i: number) => Uint8Array,
  expectFound: boolean,
): Record<string, number> {
  const reads0 = fs.reads;
  const bytes0 = db.stats().bytesRead;
  let found = 0;
  const t0 = performance.now();
  for (let i = 0; i < count; i++) if (db.get(keyOf(i)) !== undefined) found++;
  const ms = performance.now() - t0;
  // A wrong answer would make every figure here meaningless: fail loudly instead.
  if (found !== (expectFound ? count : 0))
    throw new Error(`${db.engine}: ${found} of ${count} gets found a value (expected ${expectFound ? count : 0})`);
  return {
    gets: count,
    readsPerGet: (fs.reads - reads0) / count,
    bytesReadPerGet: (db.stats().bytesRead - bytes0) / count,
    microsPerGet: (ms * 1000) / count,
  };
}

/** Reopens the filled store and measures memory, disk, open time and reads per get. */
function open(job: SizesJob): Record<string, unknown> {
  const fs = new ReadCountingFileSystem(new NodeFileSystem());
  const base = memory();
  const t0 = performance.now();
  const db = openStore(job.engine, { dir: job.dir, fs });
  const openMs = performance.now() - t0;
  const readsAtOpen = fs.reads;
  const opened = db.stats();
  const afterOpen = memory();
  if (opened.liveKeys !== job.keys)
    throw new Error(`${job.engine}: reopened with ${opened.liveKeys} keys, expected ${job.keys}`);
  // Random present keys, then random missing ones (each lands between two present keys).
  const r = new Random(job.seed + 1);
  const present = perGet(db, fs, job.gets, () => presentKey(r.below(job.keys)), true);
  const missing = perGet(db, fs, job.gets, () => missingKey(r.below(job.keys)), false);
  const s = db.stats();
  const afterGets = memory();
  db.close();
  return {
    openMs,
    readsAtOpen,
    bytesReadAtOpen: opened.bytesRead,
    files: s.files,
    diskBytes: s.diskBytes,
    liveBytes: s.liveBytes,
    memoryBytesAfterOpen: opened.memoryBytes,
    memoryBytesAfterGets: s.memoryBytes,
    rssBaseBytes: base.rssBytes,
    rssAfterOpenBytes: afterOpen.rssBytes,
    rssAfterGetsBytes: afterGets.rssBytes,
    heapGrowthAfterOpenBytes: afterOpen.heapUsedBytes - base.heapUsedBytes,
    present,
    missing,
    engineStats: s.engineStats,
  };
}

const job = JSON.parse(process.argv[2] ?? '{}') as SizesJob;
const result = job.mode === 'fill' ? fill(job) : open(job);
process.stdout.write(JSON.stringify(result) + '\n');
