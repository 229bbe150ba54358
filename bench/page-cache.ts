/**
 * page-cache.ts: `npm run page-cache`, what a 4 KiB read costs at each cache level below an
 * engine: the engine's own cache (a Map lookup in this process), the kernel's page cache (a
 * pread of a file the kernel has cached), and the device itself (the same pread with O_DIRECT,
 * which bypasses the page cache). Writes bench/results/page-cache.json.
 *
 * Node has no posix_fadvise and an unprivileged process cannot drop the page cache, so the
 * uncached figure uses O_DIRECT (Linux). O_DIRECT needs a buffer aligned in memory; JS cannot
 * ask for an address, so the buffer offset that the kernel accepts is found by trying (the
 * first read that does not fail with EINVAL). Where O_DIRECT is missing or refused, the
 * device figure is recorded as unavailable with the reason, never estimated.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Random } from './random.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT = path.resolve(
  ROOT,
  process.argv.includes('--out') ? process.argv[process.argv.indexOf('--out') + 1]! : 'bench/results/page-cache.json',
);
const PAGE = 4096;
const FILE_BYTES = 64 << 20;
const PAGES = FILE_BYTES / PAGE;

/** p50, p99 and mean of `ns` (sorted in place), in microseconds. */
function summary(ns: number[]): { reads: number; p50Micros: number; p99Micros: number; meanMicros: number } {
  ns.sort((a, b) => a - b);
  const at = (q: number): number => ns[Math.min(ns.length - 1, Math.floor(q * ns.length))]! / 1000;
  return {
    reads: ns.length,
    p50Micros: at(0.5),
    p99Micros: at(0.99),
    meanMicros: ns.reduce((s, x) => s + x, 0) / ns.length / 1000,
  };
}

/** Times `count` reads of random pages with `read(page)`, one timing per read. */
function timeReads(count: number, seed: number, read: (page: number) => void): number[] {
  const r = new Random(seed);
  const ns: number[] = [];
  for (let i = 0; i < count; i++) {
    const page = r.below(PAGES);
    const t0 = process.hrtime.bigint();
    read(page);
    ns.push(Number(process.hrtime.bigint() - t0));
  }
  return ns;
}

/** A buffer and an offset in it at which O_DIRECT reads of `fd` succeed, or the reason there is none. */
function alignedBuffer(fd: number): { buf: Buffer; offset: number } | { reason: string } {
  const buf = Buffer.allocUnsafeSlow(PAGE * 3);
  for (let offset = 0; offset <= PAGE; offset += 8) {
    try {
      fs.readSync(fd, buf, offset, PAGE, 0);
      return { buf, offset };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EINVAL')
        return { reason: `O_DIRECT read failed: ${(e as Error).message}` };
    }
  }
  return { reason: 'no buffer offset was accepted for O_DIRECT' };
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kvpagecache-'));
const file = path.join(dir, 'data.bin');
try {
  // 1. A file of random bytes, synced, so every page is on the device.
  const r = new Random(7);
  const chunk = Buffer.allocUnsafe(1 << 20);
  const wfd = fs.openSync(file, 'w');
  for (let written = 0; written < FILE_BYTES; written += chunk.length) {
    for (let i = 0; i < chunk.length; i += 4) chunk.writeUInt32LE(r.next32(), i);
    fs.writeSync(wfd, chunk);
  }
  fs.fsyncSync(wfd);
  fs.closeSync(wfd);

  // 2. The engine's own cache: the page is already a buffer in this process's memory.
  const own = new Map<number, Uint8Array>();
  for (let p = 0; p < PAGES; p++)
    own.set(p, chunk.subarray((p * PAGE) % chunk.length, ((p * PAGE) % chunk.length) + PAGE));
  let sink = 0;
  const inProcess = summary(timeReads(200_000, 1, (p) => (sink += own.get(p)![0]!)));

  // 3. The kernel's page cache: read the whole file once, so its pages are cached, then pread.
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.allocUnsafe(PAGE);
  for (let p = 0; p < PAGES; p++) fs.readSync(fd, buf, 0, PAGE, p * PAGE);
  const pageCache = summary(timeReads(50_000, 2, (p) => void fs.readSync(fd, buf, 0, PAGE, p * PAGE)));
  fs.closeSync(fd);

  // 4. The device: the same reads with O_DIRECT, which skip the page cache (Linux only).
  let device: ReturnType<typeof summary> | { unavailable: string };
  const O_DIRECT = (fs.constants as Record<string, number>).O_DIRECT;
  if (O_DIRECT === undefined) device = { unavailable: `O_DIRECT is not offered on ${os.platform()}` };
  else {
    const dfd = fs.openSync(file, fs.constants.O_RDONLY | O_DIRECT);
    const a = alignedBuffer(dfd);
    device =
      'reason' in a
        ? { unavailable: a.reason }
        : summary(timeReads(5_000, 3, (p) => void fs.readSync(dfd, a.buf, a.offset, PAGE, p * PAGE)));
    fs.closeSync(dfd);
  }

  const results = {
    schema: 1,
    date: new Date().toISOString(),
    machine: {
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? '',
      memoryBytes: os.totalmem(),
      platform: os.platform(),
      node: process.version,
      loadAverage: os.loadavg(),
    },
    pageBytes: PAGE,
    fileBytes: FILE_BYTES,
    inProcess,
    pageCache,
    device,
    note: 'Random 4 KiB reads. inProcess: a Map lookup of a page held in memory (an engine cache hit). pageCache: pread of a file the kernel has cached. device: pread with O_DIRECT, bypassing the page cache; on a virtual machine the host may still cache below it.',
    sink,
  };
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  fs.writeFileSync(OUT, JSON.stringify(results, null, 1) + '\n');
  const show = (name: string, s: { p50Micros: number; p99Micros: number } | { unavailable: string }): string =>
    'unavailable' in s
      ? `${name}: unavailable (${s.unavailable})`
      : `${name}: p50 ${s.p50Micros.toFixed(2)} µs, p99 ${s.p99Micros.toFixed(2)} µs`;
  console.log(
    [
      show('engine cache (in process)', inProcess),
      show('kernel page cache (pread)', pageCache),
      show('device (O_DIRECT pread)', device),
    ].join('\n'),
  );
  console.log(`wrote ${path.relative(ROOT, OUT)}`);
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
