/**
 * build.ts: builds the site for the browser tests, one astro build at a time.
 *
 * vitest runs test files in parallel processes, and two astro builds of one project at once
 * share its caches (.astro, node_modules/.astro); so a build takes a lock first (a directory
 * under test-results, whose creation is atomic). A lock older than ten minutes is from a
 * killed run and is taken over. A failed build throws with astro's own output.
 *
 * Every browser test file serves the same build (builtSite()): it is rebuilt only when a
 * file it is made from (site/, lessons/, engines/, bench/results/ for the Benchmarks page,
 * the config) is newer than the last build, so one `npm test` builds the site once, however
 * many browser test files there are.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const LOCK = join(ROOT, 'test-results', '.astro-build.lock');

/** Sleeps synchronously (the build below is synchronous too). */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** The one build every browser test serves. */
export const SITE_DIR = join(ROOT, 'test-results', 'site');
const STAMP = join(SITE_DIR, '.built');
const INPUTS = [
  'site',
  'lessons',
  'engines',
  'track',
  'yours',
  'bench/results',
  'astro.config.mjs',
  'package.json',
  'tsconfig.json',
];

/** The newest modification time of a file or of any file below a directory. */
function newest(path: string): number {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return 0;
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const name of readdirSync(path)) max = Math.max(max, newest(join(path, name)));
  return max;
}

/** True when the build in SITE_DIR is newer than everything it is made from. */
function fresh(): boolean {
  const built = statSync(STAMP, { throwIfNoEntry: false })?.mtimeMs ?? 0;
  return built > 0 && INPUTS.every((p) => newest(join(ROOT, p)) < built);
}

/** Builds the site into SITE_DIR unless that build is fresh, and returns SITE_DIR. */
export function builtSite(): string {
  if (fresh()) return SITE_DIR;
  // The stamp carries the time the build started, so a source edited during it stays newer.
  const started = new Date();
  buildSite(
    SITE_DIR,
    () => !fresh(),
    () => {
      writeFileSync(STAMP, '');
      utimesSync(STAMP, started, started);
    },
  );
  return SITE_DIR;
}

/**
 * Runs `astro build --outDir outDir` under the lock, if `needed` (checked once the lock is
 * held) still says so; `done` runs after a build, still under the lock.
 */
export function buildSite(outDir: string, needed: () => boolean = () => true, done: () => void = () => {}): boolean {
  mkdirSync(join(ROOT, 'test-results'), { recursive: true });
  // Take the lock: wait while another build holds it, take over a stale one.
  const deadline = Date.now() + 15 * 60_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const age = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 10 * 60_000) rmSync(LOCK, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new Error(`waited 15 minutes for another astro build to release ${LOCK}`);
      else sleep(500);
    }
  }
  try {
    if (!needed()) return false;
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'astro', 'astro.js'), 'build', '--outDir', outDir], {
      cwd: ROOT,
      stdio: 'pipe',
      maxBuffer: 64 * 1024 * 1024,
    });
    done();
    return true;
  } catch (e) {
    const err = e as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(
      `astro build failed:\n${err.stderr?.toString() ?? ''}\n${(err.stdout?.toString() ?? '').slice(-4000)}`,
    );
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
