/**
 * The "At real sizes" lesson in Chromium (playwright-core), on the shared site build: every
 * table prints, for each engine and size, exactly the figure of the committed
 * bench/results/sizes.json (site/sizes/model.ts), the page-cache picture shows the committed
 * page-cache.json figures, and the page fits at 1280 and 390 px in both themes. Screenshots
 * go to test-results/screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openPage, SHOTS, startSite, stopSite, type Site } from './harness.js';
import sizes from '../../bench/results/sizes.json';
import { metricTable, readSizes, type Metric } from '../../site/sizes/model.js';

let site: Site;

beforeAll(async () => {
  site = await startSite('site');
});

afterAll(async () => {
  await stopSite(site);
});

/** The page has no script-driven widget: ready as soon as it loads. */
const open = (width: number, theme: 'light' | 'dark') => openPage(site, '/real-sizes/', width, theme, 'kv-none');

describe('the At real sizes lesson in Chromium', () => {
  it('prints each table cell from the committed run, engines down and sizes across', async () => {
    const { page, errors } = await open(1280, 'light');
    const figures = page.locator('figure.rs-figure');
    const metrics = await figures.evaluateAll((els) => els.map((e) => (e as HTMLElement).dataset.metric as string));
    expect(metrics.length).toBeGreaterThanOrEqual(6);
    const results = readSizes(sizes);
    for (const [i, metric] of metrics.entries()) {
      const want = metricTable(results, metric as Metric);
      const rows = await figures
        .nth(i)
        .locator('tbody tr')
        .evaluateAll((trs) => trs.map((tr) => [...tr.children].map((c) => c.textContent!.trim())));
      expect(rows, metric).toEqual(want.lines.map((l) => [l.engine, ...l.cells]));
      expect(await figures.nth(i).locator('thead th').count()).toBe(want.sizes.length + 1);
    }
    // Every inline figure of the prose is one of the table cells.
    const cells = new Set((await page.locator('figure.rs-figure td').allTextContents()).map((t) => t.trim()));
    for (const f of await page.locator('strong.size-figure').allTextContents())
      expect(cells.has(f.trim()), f).toBe(true);
    await page.screenshot({ path: join(SHOTS, 'real-sizes-1280.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('draws the page-cache picture with the measured figures in its caption', async () => {
    const { page } = await open(1280, 'light');
    const fig = page.locator('figure.pc-figure');
    expect(await fig.locator('svg.pc-wide').getAttribute('role')).toBe('img');
    expect(await fig.locator('svg.pc-wide').isVisible()).toBe(true);
    const caption = (await fig.locator('figcaption').textContent())!.replace(/\s+/g, ' ');
    expect(caption).toMatch(/engine's own cache, p50 [\d.]+ µs/);
    expect(caption).toMatch(/page cache \(a pread\), p50 [\d.]+ µs/);
    await fig.scrollIntoViewIfNeeded();
    await fig.screenshot({ path: join(SHOTS, 'page-cache-1280.png') });
    await page.close();
  });

  it.each([
    [390, 'light'],
    [390, 'dark'],
    [1280, 'dark'],
  ] as const)('fits at %i px in the %s theme', async (width, theme) => {
    const { page, errors } = await open(width, theme);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
    // Every table of figures fits the column without scrolling sideways (the structure table may scroll).
    const cut = await page
      .locator('figure.rs-figure:not([data-metric="structure"]) table')
      .evaluateAll((ts) => ts.filter((t) => t.scrollWidth > t.clientWidth + 1).length);
    expect(cut).toBe(0);
    // A phone gets the stacked picture, whose text stays at reading size.
    expect(await page.locator(`figure.pc-figure svg.${width < 500 ? 'pc-narrow' : 'pc-wide'}`).isVisible()).toBe(true);
    await page.locator('figure.pc-figure').scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, `page-cache-${width}-${theme}.png`) });
    await page.locator('figure.rs-figure').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, `real-sizes-${width}-${theme}.png`) });
    expect(errors).toEqual([]);
    await page.close();
  });
});
