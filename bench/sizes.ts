/**
 * sizes.ts: `npm run sizes`, the four engines at their DEFAULT options on real disk at
 * 1,000 to 1,000,000 keys (16-byte keys, 100-byte values), for the site's "At real sizes".
 *
 * For each engine and size, one child process fills a new store (random order, in batches of
 * 1,000 puts, then sync)
 * and a second, fresh child reopens it (sizes-child.ts), so the memory figures after open
 * are those of a process that only opened the store. Writes bench/results/sizes.json.
 *
 *   npm run sizes                                  # 1k, 10k, 100k, 1M on every engine
 *   npm run sizes -- --sizes 1000,10000 --engines btree,lsm --out bench/out/sizes.json
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ENGINES, type EngineName } from '../engines/index.js';
import { KEY_BYTES } from './keys.js';
import { FILL_BATCH, type SizesJob } from './sizes-job.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const CHILD = path.join(ROOT, 'bench', 'sizes-child.ts');

/** The command line: --sizes, --engines, --gets, --out. */
function parseArgs(argv: string[]): { sizes: number[]; engines: EngineName[]; gets: number; out: string } {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const engines = (get('engines')?.split(',') ?? [...ENGINES]) as EngineName[];
  for (const e of engines)
    if (!ENGINES.includes(e)) throw new Error(`unknown engine ${e}; one of ${ENGINES.join(', ')}`);
  const sizes = (get('sizes') ?? '1000,10000,100000,1000000').split(',').map(Number);
  for (const n of sizes)
    if (!Number.isInteger(n) || n < 1) throw new Error(`--sizes takes positive integers, not ${n}`);
  return {
    sizes,
    engines,
    gets: Number(get('gets') ?? 10000),
    out: path.resolve(ROOT, get('out') ?? 'bench/results/sizes.json'),
  };
}

/** Runs one child job and returns the JSON line it printed; a failure throws with its stderr. */
function runChild(job: SizesJob): Record<string, unknown> {
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', CHILD, JSON.stringify(job)], {
    cwd: ROOT,
    encoding: 'utf8',
    maxBuffer: 16 << 20,
    timeout: 600_000,
  });
  if (r.status !== 0)
    throw new Error(`${job.engine} ${job.mode} ${job.keys}: exit ${r.status ?? r.signal}\n${r.stderr.slice(-2000)}`);
  return JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
}

const args = parseArgs(process.argv.slice(2));
const valueBytes = 100;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'kvsizes-'));
const started = performance.now();
const runs: Record<string, unknown>[] = [];
try {
  for (const keys of args.sizes) {
    for (const engine of args.engines) {
      const dir = path.join(work, `${engine}-${keys}`);
      const base = { engine, keys, valueBytes, gets: Math.min(args.gets, keys), dir, seed: 1 };
      const t0 = performance.now();
      const fill = runChild({ ...base, mode: 'fill' });
      const open = runChild({ ...base, mode: 'open' });
      fs.rmSync(dir, { recursive: true, force: true });
      runs.push({ engine, keys, fill, open });
      const o = open as {
        openMs: number;
        diskBytes: number;
        memoryBytesAfterOpen: number;
        present: { readsPerGet: number };
      };
      console.log(
        `${engine.padEnd(8)} ${String(keys).padStart(8)} keys  fill ${((performance.now() - t0) / 1000).toFixed(1)} s  open ${o.openMs.toFixed(1)} ms  ` +
          `memory after open ${(o.memoryBytesAfterOpen / 1e6).toFixed(2)} MB  disk ${(o.diskBytes / 1e6).toFixed(2)} MB  reads/get ${o.present.readsPerGet.toFixed(2)}`,
      );
    }
  }
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}

const results = {
  schema: 1,
  date: new Date().toISOString(),
  // The load average at the end: open and fill times depend on it (counts and bytes do not).
  machine: {
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? '',
    memoryBytes: os.totalmem(),
    platform: os.platform(),
    node: process.version,
    loadAverage: os.loadavg(),
  },
  options: {
    keyBytes: KEY_BYTES,
    valueBytes,
    sizes: args.sizes,
    engines: args.engines,
    gets: args.gets,
    order: 'random',
    fillBatch: FILL_BATCH,
    engineOptions: 'defaults',
  },
  durationSeconds: (performance.now() - started) / 1000,
  runs,
};
fs.mkdirSync(path.dirname(args.out), { recursive: true });
fs.writeFileSync(args.out, JSON.stringify(results, null, 1) + '\n');
console.log(`wrote ${path.relative(ROOT, args.out)} in ${results.durationSeconds.toFixed(0)} s`);
