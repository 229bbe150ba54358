/**
 * build-pages.test.ts: the build-your-own pages in Chromium, on the shared site build: every
 * step page of every track loads with no console error, shows its title, and its sidebar lists
 * every step of every track in order; the "Your engine" page says how to make one when
 * yours/registry.json is empty. Screenshots at 1280 and 390 px and in dark mode.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openPage, SHOTS, startSite, stopSite, ROOT, type Site } from './harness.js';
import { TRACKS, stepPage } from '../../track/tracks.js';

/** Matches no element: these pages have no widget to wait for (the Your engine page may). */
const NONE = 'kv-none';

let site: Site;

beforeAll(async () => {
  site = await startSite('site');
});

afterAll(async () => {
  await stopSite(site);
});

describe('the build-your-own pages in Chromium', () => {
  it('load every step of every track with its title, and a sidebar listing every step in order', async () => {
    const all = Object.values(TRACKS).flatMap((t) => t.steps.map((s) => stepPage(t, s)));
    for (const track of Object.values(TRACKS)) {
      for (const step of track.steps) {
        const path = stepPage(track, step);
        const { page, errors } = await openPage(site, path, 1280, 'light', NONE);
        const title = /^title:\s*'(.*)'\s*$/m.exec(
          readFileSync(join(ROOT, 'lessons', `${path.slice(1, -1)}.mdx`), 'utf8'),
        )![1];
        expect(await page.locator('h1').first().textContent(), path).toBe(title);
        const links = await page
          .locator('nav[aria-label="Main"] a[href^="/build/"]')
          .evaluateAll((as) => as.map((a) => a.getAttribute('href')));
        expect(
          links.filter((h) => h !== '/build/' && h !== '/build/yours/'),
          path,
        ).toEqual(all);
        expect(
          await page.locator(`nav[aria-label="Main"] a[href="${path}"][aria-current="page"]`).count(),
          `${path} is the current page`,
        ).toBe(1);
        expect(errors, path).toEqual([]);
        await page.close();
      }
    }
  });

  it('reads at 390 px and in dark mode', async () => {
    for (const [width, theme] of [
      [390, 'light'],
      [1280, 'dark'],
    ] as const) {
      const { page, errors } = await openPage(site, '/build/bitcask/3-checksums/', width, theme, NONE);
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow, `${width} ${theme}: horizontal overflow`).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(SHOTS, `build-bitcask-3-${width}-${theme}.png`), fullPage: true });
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it('the Your engine page says how to make an engine when none is registered', async () => {
    const registry = JSON.parse(readFileSync(join(ROOT, 'yours/registry.json'), 'utf8')) as { engines: unknown[] };
    const { page, errors } = await openPage(site, '/build/yours/', 1280, 'light', 'kv-workbench');
    if (registry.engines.length === 0)
      expect(await page.locator('main').textContent()).toContain('npm run new-engine -- mine');
    else expect(await page.locator('kv-workbench').count()).toBe(registry.engines.length);
    expect(errors).toEqual([]);
    await page.close();
  });
});
