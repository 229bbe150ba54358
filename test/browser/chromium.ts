/**
 * chromium.ts: which Chromium the browser tests drive.
 *
 * By default, the headless Chromium that the `@sparticuz/chromium` devDependency carries inside
 * its npm package: `npm install` alone brings it, nothing is downloaded. Its first use unpacks
 * about 200 MB (a few seconds) into node_modules/.cache/sparticuz-chromium/<version>/, which
 * every later run reuses. `CHROMIUM_PATH=/usr/bin/chromium npm test` drives a system browser
 * instead.
 *
 * The package unpacks into os.tmpdir() and reuses any `chromium` it finds there, whatever its
 * version. So the unpack runs with TMPDIR pointed at a fresh staging folder that is renamed to
 * its version's name only once complete: a run killed half-way leaves no half-written binary
 * to be reused later, and a folder left by another version is never used (it is removed).
 * vitest's global setup (global-setup.ts) calls this once per run, before any test file starts.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
/** Where each version of the packaged Chromium is unpacked, in a folder named by its version. */
export const CACHE = join(ROOT, 'node_modules', '.cache', 'sparticuz-chromium');
/** The package that carries the browser; its exact version is pinned in package.json. */
const PACKAGE = '@sparticuz/chromium';
/** A staging folder younger than this may be another run's unpack still under way. */
const STAGING_GRACE_MS = 10 * 60_000;

/** The browser tests cannot get a Chromium to drive; the message says why and what to do. */
export class BrowserSetupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BrowserSetupError';
  }
}

/** Unpacks the package's Chromium into os.tmpdir() and returns the binary's path. */
export type Unpack = () => Promise<string>;

/** The Chromium the browser tests drive: CHROMIUM_PATH if set, else the packaged one, checked to start. */
export async function chromiumPath(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const chosen = env.CHROMIUM_PATH;
  if (chosen) {
    if (!existsSync(chosen))
      throw new BrowserSetupError(
        `CHROMIUM_PATH is ${chosen}, but there is no file there. Unset it to use the Chromium that npm install brings (${PACKAGE}).`,
      );
    checkStarts(chosen, 'the browser named by CHROMIUM_PATH');
    return chosen;
  }
  const exe = await unpackChromium(CACHE, packageVersion(), unpackPackaged);
  checkStarts(exe, `the Chromium of ${PACKAGE}`);
  return exe;
}

/** The installed version of the package, read from its package.json. */
export function packageVersion(): string {
  let main: string;
  try {
    main = createRequire(import.meta.url).resolve(PACKAGE);
  } catch {
    throw new BrowserSetupError(
      `${PACKAGE} is not installed: run "npm install" (it is a devDependency), or set CHROMIUM_PATH to a Chromium on this machine.`,
    );
  }
  // main is <package>/build/cjs/index.cjs.
  const manifest = join(dirname(main), '..', '..', 'package.json');
  return (JSON.parse(readFileSync(manifest, 'utf8')) as { version: string }).version;
}

/**
 * Returns the binary unpacked for `version` under `cache`, unpacking it first if it is not there:
 * `unpack` runs with TMPDIR at a staging folder, renamed to `<cache>/<version>` once complete.
 * Folders of other versions, and staging folders of runs that died, are removed.
 */
export async function unpackChromium(cache: string, version: string, unpack: Unpack): Promise<string> {
  mkdirSync(cache, { recursive: true });
  removeOthers(cache, version);
  const home = join(cache, version);
  const exe = join(home, 'chromium');
  if (existsSync(exe)) return exe;
  const staging = mkdtempSync(join(cache, `${version}.partial-`));
  try {
    const unpacked = await withTmpdir(staging, unpack);
    if (unpacked !== join(staging, 'chromium')) {
      throw new BrowserSetupError(
        `${PACKAGE} ${version} unpacked its browser to ${unpacked}, not into ${staging} as expected: its way of choosing a folder has changed, so test/browser/chromium.ts needs updating.`,
      );
    }
    try {
      renameSync(staging, home);
    } catch (e) {
      // Another run may have finished the same unpack first; its complete copy is as good.
      if (!existsSync(exe)) throw e;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
  }
  return exe;
}

/** Removes what `cache` holds besides `version`: other versions, and staging folders of dead runs. */
function removeOthers(cache: string, version: string): void {
  for (const name of readdirSync(cache)) {
    if (name === version) continue;
    const path = join(cache, name);
    if (name.startsWith(`${version}.partial-`)) {
      const age = Date.now() - (statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0);
      if (age < STAGING_GRACE_MS) continue;
    }
    rmSync(path, { recursive: true, force: true });
  }
}

/** Runs `fn` with os.tmpdir() answering `dir` (TMPDIR set), and puts TMPDIR back after. */
async function withTmpdir<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const before = process.env.TMPDIR;
  process.env.TMPDIR = dir;
  try {
    return await fn();
  } finally {
    if (before === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = before;
  }
}

/** Unpacks the package's Chromium (imported here so that TMPDIR is already set when it loads). */
async function unpackPackaged(): Promise<string> {
  const { default: Chromium } = await import('@sparticuz/chromium');
  return Chromium.executablePath();
}

/** Runs `exe --version`, so a browser that cannot start fails here with its own words. */
function checkStarts(exe: string, what: string): void {
  try {
    execFileSync(exe, ['--version'], { stdio: 'pipe', timeout: 30_000 });
  } catch (e) {
    const stderr = (e as { stderr?: Buffer }).stderr?.toString().trim() ?? '';
    throw new BrowserSetupError(
      `${what} (${exe}) does not start: ${stderr || (e as Error).message}\n` +
        'The packaged Chromium needs the libnss3, libnspr4 and libexpat1 libraries (apt-get install libnss3 libnspr4 libexpat1); ' +
        'or set CHROMIUM_PATH to another Chromium.',
    );
  }
}
