/**
 * 04-compare.ts: the same workload on every engine, with their stats side by side.
 *
 * Each engine gets a fresh directory on real disk and the same operations: 2,000 puts in a
 * shuffled order, 1,000 overwrites, 500 deletes, a sync every 250 writes, a compaction, and
 * a read of every key. The table shows what each engine paid for it: bytes written (and the
 * write amplification, bytes written per byte you put), bytes read, fsyncs, files and disk
 * bytes (space amplification), and memory. Speed is not shown: that is what `npm run bench`
 * measures, with care; this is about where the bytes go.
 *
 *   npx tsx examples/04-compare.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore, isKVError, ENGINES, type StoreStats } from '../engines/index.js';
import { humanBytes } from '../cli/report.js';

const KEYS = 2000;

/** A small seeded random generator (mulberry32), so every engine gets the same workload. */
function rng(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const results: StoreStats[] = [];
for (const engine of ENGINES) {
  const dir = mkdtempSync(join(tmpdir(), `kv-compare-${engine}-`));
  try {
    let db;
    try {
      db = openStore(engine, { dir });
    } catch (e) {
      if (isKVError(e, 'KV_UNKNOWN_ENGINE')) {
        console.log(`(${engine}: ${e.message})`);
        continue;
      }
      throw e;
    }
    const random = rng(42);
    const key = (i: number) => `user:${String(i).padStart(6, '0')}`;
    const value = () => 'v'.repeat(20 + Math.floor(random() * 80));
    // The keys in a shuffled order (Fisher-Yates), so no engine gets sorted input for free.
    const order = Array.from({ length: KEYS }, (_, i) => i);
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    let writes = 0;
    const wrote = () => {
      if (++writes % 250 === 0) db.sync();
    };
    for (const i of order) {
      db.put(key(i), value());
      wrote();
    }
    for (let n = 0; n < KEYS / 2; n++) {
      db.put(key(Math.floor(random() * KEYS)), value());
      wrote();
    }
    for (let n = 0; n < KEYS / 4; n++) {
      db.delete(key(Math.floor(random() * KEYS)));
      wrote();
    }
    db.compact();
    for (let i = 0; i < KEYS; i++) db.get(key(i));
    results.push(db.stats());
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// One row per measure, one column per engine.
const rows: [string, (s: StoreStats) => string][] = [
  ['live keys', (s) => String(s.liveKeys)],
  ['user bytes written', (s) => humanBytes(s.userBytesWritten, false)],
  ['bytes written', (s) => humanBytes(s.bytesWritten, false)],
  ['write amplification', (s) => (s.bytesWritten / s.userBytesWritten).toFixed(2)],
  ['bytes read', (s) => humanBytes(s.bytesRead, false)],
  ['fsyncs', (s) => String(s.syncs)],
  ['files', (s) => String(s.files)],
  ['disk bytes', (s) => humanBytes(s.diskBytes, false)],
  ['space amplification', (s) => (s.liveBytes ? s.diskBytes / s.liveBytes : 0).toFixed(2)],
  ['memory (estimate)', (s) => humanBytes(s.memoryBytes, false)],
];
const cells = rows.map(([label, f]) => [label, ...results.map(f)]);
const header = ['', ...results.map((s) => s.engine)];
const widths = header.map((_, c) => Math.max(...[header, ...cells].map((r) => r[c]!.length)));
const line = (r: string[]) => r.map((x, c) => (c === 0 ? x.padEnd(widths[c]!) : x.padStart(widths[c]!))).join('   ');
console.log(`\nThe same ${KEYS * 1.75} writes and ${KEYS} reads on each engine:\n`);
console.log(line(header));
for (const r of cells) console.log(line(r));
