/**
 * build.ts: builds the site for the browser tests, one astro build at a time.
 *
 * vitest runs test files in parallel processes, and two astro builds of one project at once
 * share its caches (.astro, node_modules/.astro); so a build takes a lock first (a directory
 * under test-results, whose creation is atomic). A lock older than ten minutes is from a
 * killed run and is taken over. A failed build throws with astro's own output.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const LOCK = join(ROOT, 'test-results', '.astro-build.lock');

/** Sleeps synchronously (the build below is synchronous too). */
function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Runs `astro build --outDir outDir` under the lock. */
export function buildSite(outDir: string): void {
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
    execFileSync(process.execPath, [join(ROOT, 'node_modules', 'astro', 'astro.js'), 'build', '--outDir', outDir], { cwd: ROOT, stdio: 'pipe', maxBuffer: 64 * 1024 * 1024 });
  } catch (e) {
    const err = e as { stdout?: Buffer; stderr?: Buffer };
    throw new Error(`astro build failed:\n${err.stderr?.toString() ?? ''}\n${(err.stdout?.toString() ?? '').slice(-4000)}`);
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}
