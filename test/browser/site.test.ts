/**
 * The site in a real browser: Chromium through playwright-core, on the built site.
 *
 * beforeAll builds the site once (astro build into test-results/site, under build.ts's lock
 * so parallel test files never build at the same time) and serves it on a
 * local port; each test opens pages with prefers-reduced-motion on, so d3 transitions take no
 * time and two pictures can be compared exactly. Screenshots go to test-results/screenshots
 * (git-ignored). The browser is the one harness.ts launches (the headless Chromium that
 * npm install brings, or CHROMIUM_PATH).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import type { Browser, Page } from 'playwright-core';
import { serveStatic } from './server.js';
import { builtSite } from './build.js';
import { chromiumExecutable, launchChromium } from './harness.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SHOTS = join(ROOT, 'test-results', 'screenshots');
/** The lessons this file exercises in depth (their widgets show keys in the memory pane). */
const LESSONS = ['/', '/snapshot/', '/bitcask/'];
/**
 * Pages with no workbench: the Benchmarks page charts committed results and runs no engine;
 * test/browser/benchmarks.test.ts checks it (loads with no console error, fits at 390 px).
 */
const NO_WORKBENCH = ['benchmarks.mdx', 'real-sizes.mdx'];
/** Every lesson page in lessons/ that has a workbench, for the checks every such page must pass. */
const ALL_PAGES = readdirSync(join(ROOT, 'lessons'))
  .filter((f) => /^[^_].*\.mdx?$/.test(f) && !NO_WORKBENCH.includes(f))
  .map((f) => (f.replace(/\.mdx?$/, '') === 'index' ? '/' : `/${f.replace(/\.mdx?$/, '')}/`))
  .sort();

let browser: Browser;
let server: Server;
let base = '';

beforeAll(async () => {
  // Fail before the build when there is no browser to drive.
  chromiumExecutable();
  ({ server, url: base } = await serveStatic(builtSite()));
  browser = await launchChromium();
  mkdirSync(SHOTS, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  server?.close();
});

/** Opens `path` at `width` px and collects console errors and page errors. */
async function open(
  path: string,
  width = 1280,
  theme: 'light' | 'dark' = 'light',
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width, height: 900 }, reducedMotion: 'reduce', colorScheme: theme });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  await page.goto(base + path, { waitUntil: 'load' });
  await page.waitForFunction(() =>
    [...document.querySelectorAll('kv-workbench')].every((w) => (w as HTMLElement).dataset.ready === 'true'),
  );
  return { page, errors };
}

/** The first workbench on the page, as a selector prefix. */
const W = 'kv-workbench >> nth=0';

/** Lets d3 finish (zero-length transitions still end on the next animation frames). */
async function settle(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(ok, 60)))),
  );
}

/** The drawn panes of the first widget, as HTML, for comparing two pictures. */
async function picture(page: Page): Promise<string> {
  await settle(page);
  return page.locator(`${W} >> .wb-grid`).evaluate((el) => el.innerHTML);
}

/** Types a console line into the first widget and jumps to the end of what it recorded. */
async function type(page: Page, line: string): Promise<void> {
  await page.locator(`${W} >> .wb-input`).fill(line);
  await page.locator(`${W} >> .wb-input`).press('Enter');
  await page.locator(`${W} >> .wb`).focus();
  await page.keyboard.press('End');
  await settle(page);
}

/** Asserts two pictures are the same, reporting where they first differ (not the whole HTML). */
function same(a: string, b: string, what: string): void {
  if (a === b) return;
  let i = 0;
  while (i < a.length && a[i] === b[i]) i++;
  expect.fail(
    `${what}: the pictures differ at character ${i}:\n  ${a.slice(Math.max(0, i - 120), i + 80)}\n  ${b.slice(Math.max(0, i - 120), i + 80)}`,
  );
}

/** The first widget's data attributes (step, steps, state, playing). */
async function state(page: Page): Promise<Record<string, string>> {
  return page.locator(W).evaluate((el) => ({ ...(el as HTMLElement).dataset }) as Record<string, string>);
}

describe('the site in Chromium', () => {
  it.each(ALL_PAGES)('loads %s with its widgets and no console error', async (path) => {
    const { page, errors } = await open(path);
    expect(await page.locator('kv-workbench').count()).toBeGreaterThan(0);
    await settle(page);
    await page.screenshot({ path: join(SHOTS, `page${path.replace(/\//g, '_') || '_'}1280.png`), fullPage: false });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('loads a source page the lessons link to', async () => {
    const { page, errors } = await open('/source/engines/snapshot/store.ts/');
    expect(await page.locator('h1').textContent()).toContain('engines/snapshot/store.ts');
    expect(await page.locator('.expressive-code').count()).toBe(1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it.each(LESSONS)('runs a scenario on %s and plays it', async (path) => {
    const { page, errors } = await open(path);
    const before = Number((await state(page)).steps);
    await page.locator(`${W} >> .wb-scn >> nth=0`).click();
    const after = await state(page);
    expect(Number(after.steps)).toBeGreaterThan(before);
    // The new steps play from their first one.
    expect(Number(after.step)).toBeLessThan(Number(after.steps) - 1);
    await page.locator(`${W} >> .wb`).focus();
    await page.keyboard.press('End');
    await settle(page);
    const end = await state(page);
    expect(Number(end.step)).toBe(Number(end.steps) - 1);
    expect(await page.locator(`${W} >> .wb-mem g.entry`).count()).toBeGreaterThan(0);
    expect(await page.locator(`${W} >> .wb-files g.file`).count()).toBeGreaterThan(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it.each(ALL_PAGES)('steps back then forward on %s to exactly the same picture', async (path) => {
    const { page } = await open(path);
    await page.locator(`${W} >> .wb-scn >> nth=0`).click();
    await page.locator(`${W} >> .wb`).focus();
    await page.keyboard.press('End');
    const end = await picture(page);
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowLeft');
    const back = await picture(page);
    expect(back === end, 'stepping back changed the picture').toBe(false);
    expect(Number((await state(page)).step)).toBe(Number((await state(page)).steps) - 6);
    await page.locator(`${W} >> .wb-evbox li.current`).waitFor();
    for (let i = 0; i < 5; i++) await page.keyboard.press('ArrowRight');
    same(await picture(page), end, 'back 5 then forward 5');
    // The same by scrubbing: to a middle step and back to the end.
    await page.locator(`${W} >> .wb-scrub`).fill('3');
    await settle(page);
    await page.locator(`${W} >> .wb-scrub`).fill(String(Number((await state(page)).steps) - 1));
    same(await picture(page), end, 'scrub to 3 then to the end');
    await page.close();
  });

  it.each(LESSONS)('a typed command on %s changes the diagram', async (path) => {
    const { page, errors } = await open(path);
    await type(page, 'put zebra stripes');
    const mem = page.locator(`${W} >> .wb-mem`);
    expect(await mem.textContent()).toContain('zebra');
    expect(await page.locator(`${W} >> .wb-out`).textContent()).toContain('› put zebra stripes');
    await type(page, 'put');
    expect(await page.locator(`${W} >> .wb-out .err`).last().textContent()).toMatch(/put needs 2 arguments/);
    expect(errors).toEqual([]);
    await page.close();
  });

  it.each(LESSONS)('crash then reopen on %s shows the recovered state', async (path) => {
    const { page } = await open(path);
    await type(page, 'put kept yes');
    await type(page, 'sync');
    await type(page, 'put lost soon');
    await type(page, 'crash');
    expect((await state(page)).state).toBe('crashed');
    expect(await page.locator(`${W} >> .wb-mem`).textContent()).toContain('The process died');
    await type(page, 'reopen');
    expect((await state(page)).state).toBe('open');
    const mem = (await page.locator(`${W} >> .wb-mem`).textContent()) ?? '';
    expect(mem).toContain('kept');
    expect(mem).not.toContain('lost');
    await type(page, 'get lost');
    expect(await page.locator(`${W} >> .wb-out .line`).last().textContent()).toBe('(not found)');
    await page.locator(W).screenshot({ path: join(SHOTS, `crash-reopen${path.replace(/\//g, '_')}.png`) });
    await page.close();
  });

  it('crash torn on the bitcask lesson is recovered by cutting the torn tail', async () => {
    const { page } = await open('/bitcask/');
    await page.locator(`${W} >> .wb-scn >> nth=0`).click();
    for (const l of ['put a 1', 'put b 2', 'crash torn', 'reopen']) await type(page, l);
    const trace = (await page.locator(`${W} >> .wb-evbox`).textContent()) ?? '';
    expect(trace).toMatch(/recovery: cut \d+ B off/);
    await page.close();
  });

  it('keyboard: space plays and pauses, shift+arrows jump between commands', async () => {
    const { page } = await open('/snapshot/');
    await page.locator(`${W} >> .wb`).focus();
    await page.keyboard.press('Home');
    expect((await state(page)).step).toBe('0');
    await page.keyboard.press('Shift+ArrowRight');
    const next = Number((await state(page)).step);
    expect(next).toBeGreaterThan(0);
    await page.keyboard.press('Shift+ArrowLeft');
    expect((await state(page)).step).toBe('0');
    await page.keyboard.press(' ');
    expect((await state(page)).playing).toBe('true');
    await page.keyboard.press(' ');
    expect((await state(page)).playing).toBe('false');
    await page.close();
  });

  it.each([1280, 390])('fits the widget at %i px wide without a horizontal scroll', async (width) => {
    for (const path of ALL_PAGES) {
      const { page } = await open(path, width);
      await settle(page);
      const { scroll, inner } = await page.evaluate(() => ({
        scroll: document.documentElement.scrollWidth,
        inner: window.innerWidth,
      }));
      expect(scroll, path).toBeLessThanOrEqual(inner);
      const box = (await page.locator(W).boundingBox())!;
      expect(box.x).toBeGreaterThanOrEqual(0);
      expect(box.x + box.width).toBeLessThanOrEqual(width);
      const mem = (await page.locator(`${W} >> .wb-mem`).boundingBox())!;
      const files = (await page.locator(`${W} >> .wb-files`).boundingBox())!;
      if (width >= 1280) {
        // Side by side: same row, memory on the left; and the widget uses more than the prose width.
        expect(Math.abs(mem.y - files.y)).toBeLessThan(2);
        expect(files.x).toBeGreaterThan(mem.x + mem.width - 1);
        expect(box.width).toBeGreaterThan(850);
      } else {
        // Stacked on a phone.
        expect(files.y).toBeGreaterThan(mem.y + mem.height - 1);
      }
      if (path === '/bitcask/') {
        await page.locator(W).scrollIntoViewIfNeeded();
        await page.locator(W).screenshot({ path: join(SHOTS, `widget-bitcask-${width}.png`) });
      }
      await page.close();
    }
  });

  it('with motion on, plays a scenario to the end and every element ends fully drawn', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, reducedMotion: 'no-preference' });
    await page.goto(base + '/bitcask/');
    await page.waitForFunction(() => (document.querySelector('kv-workbench') as HTMLElement).dataset.ready === 'true');
    await page.locator(`${W} >> .wb-speed`).selectOption('32');
    await page.locator(`${W} >> .wb-scn >> nth=1`).click();
    await page.waitForFunction(
      () => (document.querySelector('kv-workbench') as HTMLElement).dataset.playing === 'false',
      undefined,
      { timeout: 60_000 },
    );
    // Transitions end within a moment; wait for them rather than for a fixed time (CI may be slow).
    const fadedNow = () =>
      page
        .locator(W)
        .evaluate(
          (w) =>
            [...w.querySelectorAll('g.entry, g.file, rect.field, rect.touched')].filter(
              (e) => getComputedStyle(e).opacity !== '1',
            ).length,
        );
    await page
      .waitForFunction(
        () =>
          [
            ...document.querySelector('kv-workbench')!.querySelectorAll('g.entry, g.file, rect.field, rect.touched'),
          ].every((e) => getComputedStyle(e).opacity === '1'),
        undefined,
        { timeout: 10_000 },
      )
      .catch(() => undefined);
    expect(await fadedNow()).toBe(0);
    const st = await state(page);
    expect(Number(st.step)).toBe(Number(st.steps) - 1);
    await page.close();
  });

  it('draws in the dark theme with no console error', async () => {
    const { page, errors } = await open('/bitcask/', 1280, 'dark');
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe('dark');
    await page.locator(W).scrollIntoViewIfNeeded();
    await settle(page);
    await page.locator(W).screenshot({ path: join(SHOTS, 'widget-bitcask-dark.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
