/**
 * concepts.test.ts: the concept scenarios of issue 15 in Chromium, on the lesson pages that
 * use them. Each widget runs each of its concept scenarios and the console says what the lesson
 * says it will (a crash that loses seven puts or one, a merge that starts by itself, a borrow, a
 * torn meta page, bloom false positives, cache hits, tombstones dropped at the bottom,
 * KV_CORRUPT naming file and offset); a byte clicked in the hex view is damaged with Enter; every
 * widget is photographed at 1280 px, 390 px and in the dark theme (test-results/screenshots).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { SHOTS, openPage, settle, startSite, stopSite, type Site } from './harness.js';

let site: Site;

beforeAll(async () => {
  site = await startSite('site-concepts');
}, 240_000);

afterAll(async () => {
  await stopSite(site);
});

/** One concept: the page, the widget (by the scenario it opens with), a scenario it offers, and what its console must print. */
const CONCEPTS: [page: string, widget: string, scenario: string, expected: RegExp][] = [
  ['/snapshot/', 'autosave', 'no-autosave', /7 writes held only in the dict[\s\S]*\(0 pairs\)/],
  ['/snapshot/', 'autosave', 'autosave', /1 write held only in the dict[\s\S]*\(6 pairs\)/],
  ['/snapshot/', 'crash-during-save', 'corrupt', /KV_CORRUPT: \/db\/snapshot\.db is corrupt at byte offset 45/],
  ['/bitcask/', 'sync-every-write', 'crash-unsynced', /3 unsynced disk writes, 3 lost[\s\S]*\(0 pairs\)/],
  ['/bitcask/', 'sync-every-write', 'sync-every-write', /0 unsynced disk writes, 0 lost[\s\S]*\(3 pairs\)/],
  ['/bitcask/', 'sync-every-write', 'corrupt', /KV_CORRUPT: \/db\/000001\.data is corrupt at byte offset 0/],
  ['/bitcask/', 'auto-merge', 'auto-merge', /mergeDeadRatio 0\.5/],
  ['/btree/', 'borrow', 'borrow', /delete k10/],
  ['/btree/', 'borrow', 'three-levels', /flat-0040/],
  ['/btree/', 'torn-meta', 'torn-meta', /1 landed torn after 44 B[\s\S]*get k03\s*value-03-/],
  ['/btree/', 'torn-meta', 'corrupt', /KV_CORRUPT: \/db\/btree\.db is corrupt at byte offset 1536/],
  ['/lsm/', 'bloom', 'bloom', /false positives: 2 \(said "maybe", a block read for nothing\): 1\.8% of checks/],
  ['/lsm/', 'bloom', 'bloom-4', /false positives: 17 \(said "maybe", a block read for nothing\): 15\.3% of checks/],
  ['/lsm/', 'bottom', 'bottom', /key009 = v9\s*key010 = v10\s*key011 = v11\s*\(3 pairs\)/],
  ['/lsm/', 'bottom', 'corrupt', /KV_CORRUPT: 000004\.sst is corrupt at byte offset 0/],
  ['/lsm/', 'cache', 'cache', /get key030\s*v30/],
];

/** The widget that opens with scenario `name`. */
const widget = (page: Page, name: string): Locator => page.locator(`kv-workbench[data-scenario="${name}"]`);

/** A file name for a screenshot. */
const shot = (what: string): string => join(SHOTS, `concepts_${what}.png`);

/** Types a console line into widget `w`. */
async function type(page: Page, w: Locator, line: string): Promise<void> {
  await w.locator('.wb-input').fill(line);
  await w.locator('.wb-input').press('Enter');
  await settle(page);
}

/** What the structure view's header says now (the tree or the levels). */
async function header(w: Locator): Promise<string> {
  return (await w.locator('.wb-struct').textContent()) ?? '';
}

describe('the concept scenarios in Chromium', () => {
  it.each(CONCEPTS)(
    '%s: the %s widget runs %s and prints what the lesson says',
    async (path, name, scenario, expected) => {
      const { page, errors } = await openPage(site, path);
      const w = widget(page, name);
      await w.scrollIntoViewIfNeeded();
      await w.locator(`.wb-scn[data-scenario="${scenario}"]`).click();
      await settle(page);
      expect(await w.locator('.wb-out').textContent()).toMatch(expected);
      // The widget opens at the scenario's key step, and the last step can be reached.
      const at = Number(await w.getAttribute('data-step'));
      expect(at).toBeLessThan(Number(await w.getAttribute('data-steps')));
      expect(errors).toEqual([]);
      await page.close();
    },
  );

  it('shows the events the lessons name at their key steps: auto merge, borrow, a height-3 root, the torn slot, tombstones dropped', async () => {
    const { page, errors } = await openPage(site, '/btree/');
    const borrow = widget(page, 'borrow');
    expect(await borrow.locator('.wb-evbox').textContent()).toMatch(/borrow/i);
    await borrow.locator('.wb-scn[data-scenario="three-levels"]').click();
    await settle(page);
    // The widget opens at the put whose split gave the root its third level.
    expect(await borrow.locator('.wb-evbox').textContent()).toMatch(/the tree is now 3 levels high/);
    const torn = widget(page, 'torn-meta');
    expect(await torn.locator('.wb-evbox').textContent()).toMatch(/torn|meta/i);
    await page.close();
    const lsm = await openPage(site, '/lsm/');
    const bottom = widget(lsm.page, 'bottom');
    expect(await bottom.locator('.wb-evbox').textContent()).toMatch(/compaction/);
    const cache = widget(lsm.page, 'cache');
    await cache.locator('.wb').focus();
    await lsm.page.keyboard.press('End');
    await settle(lsm.page);
    expect(await header(cache)).toMatch(/block cache 3 hits, 2 misses/);
    const bitcask = await openPage(site, '/bitcask/');
    expect(await widget(bitcask.page, 'auto-merge').locator('.wb-evbox').textContent()).toMatch(/merge/i);
    expect([...errors, ...lsm.errors, ...bitcask.errors]).toEqual([]);
    await lsm.page.close();
    await bitcask.page.close();
  });

  it('damages the byte a reader clicks in the hex view, and the next get reports KV_CORRUPT with file and offset', async () => {
    const { page, errors } = await openPage(site, '/bitcask/');
    const w = widget(page, 'sync-every-write');
    await w.scrollIntoViewIfNeeded();
    await type(page, w, 'reset');
    await type(page, w, 'put apple red');
    await type(page, w, 'sync');
    // Select the record in the files pane: the hex view shows its bytes.
    await w.locator('.wb-files g.rec >> nth=0').click();
    await settle(page);
    await w.locator('.wb-hexbox span.b.v[data-offset="28"]').click();
    expect(await w.locator('.wb-input').inputValue()).toBe('corrupt 000001.data 28');
    await w.locator('.wb-input').press('Enter');
    await settle(page);
    expect(await w.locator('.wb-out').textContent()).toMatch(/byte 28 of 000001\.data damaged on disk: 0x72 → 0x73/);
    // The damage step's hex view outlines the byte, now 73.
    expect(await w.locator('.wb-hex-title').textContent()).toMatch(/damaged byte 28 of 000001\.data/);
    expect(await w.locator('.wb-hexbox span.b.v.sel').textContent()).toBe('73');
    await w.locator('.wb-hexbox').screenshot({ path: shot('hex-damaged') });
    await type(page, w, 'get apple');
    expect(await w.locator('.wb-out').textContent()).toMatch(
      /KV_CORRUPT: \/db\/000001\.data is corrupt at byte offset 0/,
    );
    expect(errors).toEqual([]);
    await page.close();
  });

  const WIDGETS: [string, string][] = [
    ['/snapshot/', 'autosave'],
    ['/bitcask/', 'sync-every-write'],
    ['/bitcask/', 'auto-merge'],
    ['/btree/', 'borrow'],
    ['/btree/', 'torn-meta'],
    ['/lsm/', 'bloom'],
    ['/lsm/', 'cache'],
    ['/lsm/', 'bottom'],
  ];
  it.each(WIDGETS)(
    'photographs %s %s at 1280 px, 390 px and dark, with nothing sticking out sideways',
    async (path, name) => {
      for (const [width, theme] of [
        [1280, 'light'],
        [390, 'light'],
        [1280, 'dark'],
      ] as const) {
        const { page, errors } = await openPage(site, path, width, theme);
        const w = widget(page, name);
        await w.scrollIntoViewIfNeeded();
        await settle(page);
        await w.screenshot({ path: shot(`${path.replace(/\//g, '')}-${name}-${width}-${theme}`) });
        const overflow = await page.evaluate(
          () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
        );
        expect(overflow).toBeLessThanOrEqual(1);
        expect(errors).toEqual([]);
        await page.close();
      }
    },
  );
});
