/**
 * The B+tree and LSM lessons, the crash page and the side-by-side page in Chromium: each loads
 * with no console error at 1280 and 390 px (screenshots in test-results/screenshots); on the
 * lessons a scenario runs, stepping back and forward gives the same picture (the structure
 * view included), and crash then reopen shows the recovered state; the crash lab reopens each
 * engine after a chosen call and the rule holds; side by side runs the same commands on all
 * four engines.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SHOTS, openPage, settle, startSite, stopSite, type Site } from './harness.js';

const PAGES = ['/btree/', '/lsm/', '/crashes/', '/side-by-side/'];
const LESSONS = ['/btree/', '/lsm/'];
const W = 'kv-workbench >> nth=0';

let site: Site;

beforeAll(async () => {
  site = await startSite('site-part-two');
}, 240_000);

afterAll(async () => {
  await stopSite(site);
});

/** The first widget's structure view and panes, as HTML. */
async function picture(page: Page): Promise<string> {
  await settle(page);
  const struct = await page.locator(`${W} >> .wb-struct`).evaluate((el) => el.innerHTML);
  const grid = await page.locator(`${W} >> .wb-grid`).evaluate((el) => el.innerHTML);
  return struct + grid;
}

/** Types a console line into the first widget and jumps to the end of what it recorded. */
async function type(page: Page, line: string): Promise<void> {
  await page.locator(`${W} >> .wb-input`).fill(line);
  await page.locator(`${W} >> .wb-input`).press('Enter');
  await page.locator(`${W} >> .wb`).focus();
  await page.keyboard.press('End');
  await settle(page);
}

/** The first widget's data attributes. */
async function state(page: Page): Promise<Record<string, string>> {
  return page.locator(W).evaluate((el) => ({ ...(el as HTMLElement).dataset }) as Record<string, string>);
}

/** A file name for a screenshot of `path`. */
const shot = (path: string, what: string): string => join(SHOTS, `part2${path.replace(/\//g, '_')}${what}.png`);

describe('part two of the site in Chromium', () => {
  it.each(PAGES)('loads %s at 1280 and 390 px with no console error', async (path) => {
    for (const width of [1280, 390]) {
      const { page, errors } = await openPage(site, path, width);
      await settle(page);
      await page.screenshot({ path: shot(path, String(width)), fullPage: true });
      // Nothing may stick out of the page sideways at phone width (wide pictures scroll in their pane).
      const overflow = await page.evaluate(
        () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
      );
      expect(overflow).toBeLessThanOrEqual(1);
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it('draws the B+tree lesson in the dark theme', async () => {
    const { page, errors } = await openPage(site, '/btree/', 1280, 'dark');
    await page.locator(W).screenshot({ path: shot('/btree/', 'dark') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it.each(LESSONS)('runs a scenario on %s; stepping back and forward gives the same picture', async (path) => {
    const { page, errors } = await openPage(site, path);
    const before = Number((await state(page)).steps);
    const button = page.locator(`${W} >> .wb-scn >> nth=1`);
    await button.click();
    await page.locator(`${W} >> .wb`).focus();
    await page.keyboard.press('End');
    const after = await state(page);
    expect(Number(after.steps)).toBeGreaterThan(before);
    const end = await picture(page);
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowLeft');
    await settle(page);
    const back = await picture(page);
    expect(back).not.toBe(end);
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    expect(await picture(page)).toBe(end);
    // Scrubbing far back and returning gives it too.
    await page.keyboard.press('Home');
    await page.keyboard.press('End');
    expect(await picture(page)).toBe(end);
    await page.locator(W).screenshot({ path: shot(path, 'scenario') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it.each(LESSONS)('crash then reopen on %s shows the recovered state', async (path) => {
    const { page, errors } = await openPage(site, path);
    await type(page, 'reset');
    await type(page, 'put durable yes');
    await type(page, 'sync');
    await type(page, 'put volatile maybe');
    await type(page, 'crash');
    expect((await state(page)).state).toBe('crashed');
    expect(await page.locator(`${W} >> .wb-mem`).textContent()).toContain('process died');
    expect(await page.locator(`${W} >> .wb-struct`).textContent()).toMatch(/process died/i);
    await type(page, 'reopen');
    expect((await state(page)).state).toBe('open');
    await type(page, 'get durable');
    await type(page, 'get volatile');
    const out = (await page.locator(`${W} >> .wb-out`).textContent()) ?? '';
    expect(out).toMatch(/get durable\s*yes/);
    expect(out).toMatch(/get volatile\s*\(not found\)/);
    await page.locator(W).screenshot({ path: shot(path, 'reopened') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('the B+tree picture marks a split, and the LSM picture a bloom filter answer', async () => {
    const bt = await openPage(site, '/btree/');
    // The first widget starts on "Fill until a split": find the split step in the recording.
    // The scenario records when the widget starts; wait for its split, then take its step.
    const handle = await bt.page.waitForFunction(
      () => {
        const el = document.querySelector('kv-workbench') as unknown as {
          recorder?: { steps: { event: { type: string } }[] };
        };
        const i = el?.recorder?.steps.findIndex((s) => s.event.type === 'btree.split') ?? -1;
        return i > 0 ? i : false;
      },
      undefined,
      { timeout: 20_000 },
    );
    const split = (await handle.jsonValue()) as number;
    expect(split).toBeGreaterThan(0);
    await bt.page.locator(`${W} >> .wb-scrub`).fill(String(split));
    await settle(bt.page);
    expect(await bt.page.locator(`${W} >> .wb-struct`).textContent()).toContain('new right half');
    await bt.page.close();
    const lsm = await openPage(site, '/lsm/');
    // The widget of the get scenario, found by its scenario rather than its place on the page.
    const w = 'kv-workbench[data-scenario="get"]';
    const bloom = await lsm.page
      .locator(w)
      .evaluate((el) =>
        (
          el as unknown as { recorder: { steps: { event: { type: string; answer?: string } }[] } }
        ).recorder.steps.findIndex((s) => s.event.type === 'lsm.bloom' && s.event.answer === 'no'),
      );
    expect(bloom).toBeGreaterThan(0);
    await lsm.page.locator(`${w} >> .wb-scrub`).fill(String(bloom));
    await settle(lsm.page);
    expect(await lsm.page.locator(`${w} >> .wb-struct`).textContent()).toContain('bloom filter: NO');
    await lsm.page.locator(w).screenshot({ path: shot('/lsm/', 'bloom-no') });
    expect(lsm.errors).toEqual([]);
    await lsm.page.close();
  });

  it('the crash lab reopens every engine after a chosen call, and the rule holds', async () => {
    const { page, errors } = await openPage(site, '/crashes/');
    for (const engine of ['snapshot', 'bitcask', 'btree', 'lsm']) {
      await page.locator(`kv-crashlab .cl-engines button[data-engine="${engine}"]`).click();
      const ticks = page.locator('kv-crashlab button.tick');
      const n = await ticks.count();
      expect(n).toBeGreaterThan(3);
      for (const k of [0, Math.floor(n / 2), n - 1]) {
        await ticks.nth(k).click();
        const d = await page.locator('kv-crashlab').evaluate((el) => ({ ...(el as HTMLElement).dataset }));
        expect(d.engine).toBe(engine);
        expect(d.point).toBe(String(k));
        expect(d.holds).toBe('true');
        expect(await page.locator('kv-crashlab .cl-verdict').textContent()).toContain('The rule holds');
      }
      // After the last call, everything before the last sync is back (the batch whole).
      expect(await page.locator('kv-crashlab .cl-pairs').textContent()).toContain('kiwi = green');
    }
    await page.locator('kv-crashlab .cl-tear').check();
    expect(await page.locator('kv-crashlab').getAttribute('data-holds')).toBe('true');
    await page.locator('kv-crashlab').screenshot({ path: shot('/crashes/', 'lab') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('side by side runs the same commands on all four engines', async () => {
    const { page, errors } = await openPage(site, '/side-by-side/');
    const input = page.locator('kv-sidebyside .sb-input');
    for (const line of ['put apple red', 'sync', 'get apple']) {
      await input.fill(line);
      await input.press('Enter');
    }
    await page.locator('kv-sidebyside button[data-workload="reads"]').click();
    await settle(page);
    const runs = await page.locator('kv-sidebyside').evaluate((el) =>
      (el as unknown as { recorders: { engine: string; commands: { text: string }[] }[] }).recorders.map((r) => ({
        engine: r.engine,
        texts: r.commands.map((c) => c.text),
      })),
    );
    expect(runs.map((r) => r.engine)).toEqual(['snapshot', 'bitcask', 'btree', 'lsm']);
    for (const r of runs) expect(r.texts).toEqual(runs[0]!.texts);
    expect(runs[0]!.texts).toEqual(expect.arrayContaining(['put apple red', 'sync', 'get apple']));
    // Every engine counted the keys, and every chart has one bar per engine.
    for (const engine of ['snapshot', 'bitcask', 'btree', 'lsm']) {
      expect(
        await page.locator(`kv-sidebyside .sb-card[data-engine="${engine}"] [data-counter="keys"] dd`).textContent(),
      ).toBe('101');
    }
    expect(await page.locator('kv-sidebyside .sb-chart').count()).toBe(5);
    expect(await page.locator('kv-sidebyside .sb-chart[data-metric="memory"] .row').count()).toBe(4);
    await page.locator('kv-sidebyside').screenshot({ path: shot('/side-by-side/', 'compare') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
