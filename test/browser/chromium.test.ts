/**
 * Finding the Chromium the browser tests drive (chromium.ts), with a stand-in for the package's
 * unpack so that no 200 MB browser is written: it unpacks once into a folder named by the
 * version, never reuses another version's folder or a half-written one, puts TMPDIR back,
 * and says plainly when CHROMIUM_PATH names nothing or a browser that cannot start.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BrowserSetupError, chromiumPath, packageVersion, unpackChromium } from './chromium.js';

let dir: string;
let cache: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'chromium-test-'));
  cache = join(dir, 'cache');
});

afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A stand-in for the package's unpack: writes `chromium` into os.tmpdir(), as the package does, and counts its calls. */
function fakeUnpack(): { unpack: () => Promise<string>; calls: () => number } {
  let calls = 0;
  return {
    unpack: async () => {
      calls++;
      const exe = join(tmpdir(), 'chromium');
      writeFileSync(exe, 'a browser');
      return exe;
    },
    calls: () => calls,
  };
}

describe('the packaged Chromium, unpacked once', () => {
  it('unpacks into a folder named by the version, once, and puts TMPDIR back', async () => {
    const before = process.env.TMPDIR;
    const fake = fakeUnpack();
    const exe = await unpackChromium(cache, '147.0.0', fake.unpack);
    expect(exe).toBe(join(cache, '147.0.0', 'chromium'));
    expect(existsSync(exe)).toBe(true);
    expect(process.env.TMPDIR).toBe(before);
    expect(await unpackChromium(cache, '147.0.0', fake.unpack)).toBe(exe);
    expect(fake.calls()).toBe(1);
    expect(readdirSync(cache)).toEqual(['147.0.0']);
  });

  it("never uses another version's folder, and removes it", async () => {
    mkdirSync(join(cache, '146.0.0'), { recursive: true });
    writeFileSync(join(cache, '146.0.0', 'chromium'), 'an older browser');
    const fake = fakeUnpack();
    expect(await unpackChromium(cache, '147.0.0', fake.unpack)).toBe(join(cache, '147.0.0', 'chromium'));
    expect(fake.calls()).toBe(1);
    expect(readdirSync(cache)).toEqual(['147.0.0']);
  });

  it('leaves nothing to reuse when an unpack fails half-way, and unpacks again next time', async () => {
    const failing = async (): Promise<string> => {
      writeFileSync(join(tmpdir(), 'chromium'), 'half a brows');
      throw new Error('disk full');
    };
    await expect(unpackChromium(cache, '147.0.0', failing)).rejects.toThrow('disk full');
    expect(readdirSync(cache)).toEqual([]);
    const fake = fakeUnpack();
    await unpackChromium(cache, '147.0.0', fake.unpack);
    expect(fake.calls()).toBe(1);
  });

  it('removes the staging folder of a run that died, but not one that may still be under way', async () => {
    const dead = join(cache, '147.0.0.partial-dead');
    const live = join(cache, '147.0.0.partial-live');
    mkdirSync(dead, { recursive: true });
    mkdirSync(live);
    const hourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(dead, hourAgo, hourAgo);
    await unpackChromium(cache, '147.0.0', fakeUnpack().unpack);
    expect(readdirSync(cache).sort()).toEqual(['147.0.0', '147.0.0.partial-live']);
  });

  it('says so when the package put its browser somewhere else', async () => {
    const elsewhere = async (): Promise<string> => join(dir, 'chromium');
    await expect(unpackChromium(cache, '147.0.0', elsewhere)).rejects.toThrow(/chromium\.ts needs updating/);
  });

  it('reads the version of the installed package, which is the exact one package.json pins', () => {
    const pkg = JSON.parse(readFileSync(join(import.meta.dirname, '..', '..', 'package.json'), 'utf8')) as {
      devDependencies: Record<string, string>;
    };
    expect(pkg.devDependencies['@sparticuz/chromium']).toMatch(/^\d+\.\d+\.\d+$/);
    expect(packageVersion()).toBe(pkg.devDependencies['@sparticuz/chromium']);
  });
});

describe('CHROMIUM_PATH, a system browser instead', () => {
  it('is used as it is when it starts', async () => {
    const exe = join(dir, 'browser');
    writeFileSync(exe, '#!/bin/sh\necho "Chromium 1.2.3"\n');
    chmodSync(exe, 0o755);
    expect(await chromiumPath({ CHROMIUM_PATH: exe })).toBe(exe);
  });

  it('names nothing: a clear error', async () => {
    await expect(chromiumPath({ CHROMIUM_PATH: join(dir, 'nothing') })).rejects.toThrow(BrowserSetupError);
    await expect(chromiumPath({ CHROMIUM_PATH: join(dir, 'nothing') })).rejects.toThrow(/no file there/);
  });

  it('names a browser that cannot start: its own words, and the libraries it may need', async () => {
    const exe = join(dir, 'browser');
    writeFileSync(exe, '#!/bin/sh\necho "error while loading shared libraries: libnss3.so" >&2\nexit 127\n');
    chmodSync(exe, 0o755);
    await expect(chromiumPath({ CHROMIUM_PATH: exe })).rejects.toThrow(
      /does not start: error while loading shared libraries: libnss3\.so[\s\S]*libnspr4/,
    );
  });
});
