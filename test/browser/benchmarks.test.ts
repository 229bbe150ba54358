/**
 * The Benchmarks lesson in Chromium (playwright-core), on the shared site build (harness.ts):
 * the page loads with no console error, every chart draws a bar for every subject of the
 * committed results that has a figure in it, failed workloads show as marked gaps, and the
 * page fits at 1280 and 390 px in both themes. Screenshots go to test-results/screenshots.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openPage, settle, SHOTS, startSite, stopSite, type Site } from './harness.js';
import { allCharts } from '../../site/bench/charts.js';
import { latestResults } from '../../site/bench/results.js';

const READY = 'kv-bench-chart';
const charts = allCharts(latestResults());
const ids = Object.keys(charts);

let site: Site;

beforeAll(async () => {
  site = await startSite('site');
});

afterAll(async () => {
  await stopSite(site);
});

describe('the Benchmarks lesson in Chromium', () => {
  it('loads every chart with no console error and an accessible title', async () => {
    const { page, errors } = await openPage(site, '/benchmarks/', 1280, 'light', READY);
    await settle(page);
    expect(await page.locator('kv-bench-chart').count()).toBe(ids.length);
    for (const id of ids) {
      const svg = page.locator(`kv-bench-chart[data-chart="${id}"] svg.bc-svg`);
      expect(await svg.getAttribute('role'), id).toBe('img');
      const labelled = (await svg.getAttribute('aria-labelledby'))!.split(' ');
      expect(await page.locator(`[id="${labelled[0]}"]`).textContent()).toBe(charts[id]!.title);
    }
    expect(await page.locator('.br-goals tbody tr').count()).toBe(latestResults().targets.length);
    await page.screenshot({ path: join(SHOTS, 'benchmarks-1280.png'), fullPage: true });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('draws a bar for every subject with a figure, and a marked gap for every missing one', async () => {
    const { page } = await openPage(site, '/benchmarks/', 1280, 'light', READY);
    const engines = latestResults()
      .subjects.filter((s) => s.status === 'ok' && s.kind === 'engine')
      .map((s) => s.name);
    for (const [id, model] of Object.entries(charts)) {
      const chart = page.locator(`kv-bench-chart[data-chart="${id}"]`);
      const bars = model.groups.flatMap((g) => g.bars);
      const withFigure = new Set(bars.filter((b) => b.value !== null).map((b) => b.subject));
      for (const subject of withFigure)
        expect(await chart.locator(`rect.bar[data-series="${subject}"]`).count(), `${id}: ${subject}`).toBeGreaterThan(
          0,
        );
      // Every engine present in the JSON has a bar in every chart.
      for (const e of engines) expect(withFigure.has(e), `${id}: ${e} has a figure`).toBe(true);
      expect(await chart.locator('rect.bar').count(), id).toBe(bars.filter((b) => b.value !== null).length);
      expect(await chart.locator('text.bc-gap').count(), id).toBe(bars.filter((b) => b.value === null).length);
      const failed = bars.filter((b) => b.status === 'failed').length;
      expect(await chart.locator('.st-failed text.bc-gap').count(), id).toBe(failed);
    }
    await page.close();
  });

  it.each([
    [1280, 'light'],
    [390, 'light'],
    [390, 'dark'],
    [1280, 'dark'],
  ] as const)('fits at %i px in the %s theme with no horizontal page scroll', async (width, theme) => {
    const { page, errors } = await openPage(site, '/benchmarks/', width, theme, READY);
    await settle(page);
    const { scroll, inner } = await page.evaluate(() => ({
      scroll: document.documentElement.scrollWidth,
      inner: window.innerWidth,
    }));
    expect(scroll).toBeLessThanOrEqual(inner);
    for (const id of ids) {
      const box = (await page.locator(`kv-bench-chart[data-chart="${id}"] svg.bc-svg`).boundingBox())!;
      expect(box.x, id).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width, id).toBeLessThanOrEqual(width);
    }
    await page
      .locator('kv-bench-chart[data-chart="writes"]')
      .screenshot({ path: join(SHOTS, `benchmarks-writes-${width}-${theme}.png`) });
    await page
      .locator('kv-bench-chart[data-chart="latency-read"]')
      .screenshot({ path: join(SHOTS, `benchmarks-latency-${width}-${theme}.png`) });
    await page
      .locator('kv-bench-chart[data-chart="read-amp"]')
      .screenshot({ path: join(SHOTS, `benchmarks-readamp-${width}-${theme}.png`) });
    await page
      .locator('kv-bench-chart[data-chart="open"]')
      .screenshot({ path: join(SHOTS, `benchmarks-open-${width}-${theme}.png`) });
    await page.locator('.br-box').screenshot({ path: join(SHOTS, `benchmarks-run-${width}-${theme}.png`) });
    await page
      .locator('kv-bench-chart[data-chart="memory"]')
      .screenshot({ path: join(SHOTS, `benchmarks-memory-${width}-${theme}.png`) });
    await page.locator('.br-goals').screenshot({ path: join(SHOTS, `benchmarks-goals-${width}-${theme}.png`) });
    expect(errors).toEqual([]);
    await page.close();
  });
});
