/**
 * truth.test.ts: the workbench behaviours a reader relies on, in Chromium: the trace list keeps
 * the current step in view, the arrow keys step after typing a command, a huge put is refused
 * at once, a share link opens its widget in view, a scenario opens at the step its lesson talks
 * about, and a structure picture wider than its pane says so and can be zoomed out to fit.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openPage, settle, startSite, stopSite, type Site } from './harness.js';

let site: Site;

beforeAll(async () => {
  site = await startSite('site-truth');
}, 240_000);

afterAll(async () => {
  await stopSite(site);
});

/** The nth widget's data attributes. */
async function state(page: Page, n = 0): Promise<Record<string, string>> {
  return page
    .locator(`kv-workbench >> nth=${n}`)
    .evaluate((el) => ({ ...(el as HTMLElement).dataset }) as Record<string, string>);
}

/** Types a line into the nth widget's console (the input keeps the focus). */
async function type(page: Page, line: string, n = 0): Promise<void> {
  const input = page.locator(`kv-workbench >> nth=${n} >> .wb-input`);
  await input.fill(line);
  await input.press('Enter');
  await settle(page);
}

describe('the workbench tells one truth', () => {
  it('keeps the current step of a long command visible in the trace list', async () => {
    const { page, errors } = await openPage(site, '/snapshot/');
    const W = 'kv-workbench >> nth=0';
    await type(page, 'fill 150');
    await page.locator(`${W} >> .wb-speed`).selectOption('256');
    // A typed command plays from its start; pause it, so the current line stands still while
    // it is measured (playing, the list follows one animation frame behind).
    if ((await state(page)).playing === 'true') await page.locator(`${W} >> .wb-timeline .play`).click();
    await page.waitForFunction(() => document.querySelector<HTMLElement>('kv-workbench')?.dataset.playing === 'false');
    // Scrub deep into the fill, then to a few places: the highlighted line is inside the list's box.
    for (const frac of [0.3, 0.7, 0.95, 0.1]) {
      const steps = Number((await state(page)).steps);
      await page.locator(`${W} >> .wb-scrub`).fill(String(Math.floor(steps * frac)));
      await settle(page);
      await page.waitForTimeout(120);
      const where = await page.locator(`${W} >> .wb-evbox ol`).evaluate((ol) => {
        const cur = ol.querySelector('li.current');
        if (!cur) return { found: false, inside: false };
        const a = ol.getBoundingClientRect();
        const b = cur.getBoundingClientRect();
        return { found: true, inside: b.top >= a.top - 1 && b.bottom <= a.bottom + 1 };
      });
      expect(where, `at ${frac}`).toEqual({ found: true, inside: true });
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('steps with the arrow keys right after a command is typed, as the lessons say', async () => {
    const { page, errors } = await openPage(site, '/snapshot/');
    await type(page, 'put apple red');
    const end = Number((await state(page)).step);
    // The console still has the focus, and it is empty: the arrows step the timeline.
    await page.locator('kv-workbench >> nth=0 >> .wb-input').press('ArrowLeft');
    await page.locator('kv-workbench >> nth=0 >> .wb-input').press('ArrowLeft');
    expect(Number((await state(page)).step)).toBe(end - 2);
    await page.locator('kv-workbench >> nth=0 >> .wb-input').press('ArrowRight');
    expect(Number((await state(page)).step)).toBe(end - 1);
    // With text in it, the arrows move the caret, not the timeline.
    await page.locator('kv-workbench >> nth=0 >> .wb-input').fill('get');
    await page.locator('kv-workbench >> nth=0 >> .wb-input').press('ArrowLeft');
    expect(Number((await state(page)).step)).toBe(end - 1);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('refuses a put too big for any engine at once, and echoes a long value cut short', async () => {
    const { page, errors } = await openPage(site, '/bitcask/');
    const W = 'kv-workbench >> nth=0';
    const took = await page.locator(W).evaluate((el) => {
      const t = performance.now();
      (el as unknown as { runLine(l: string): void }).runLine(`put big ${'x'.repeat(17 * 1024 * 1024)}`);
      return performance.now() - t;
    });
    expect(took).toBeLessThan(1500);
    const out = (await page.locator(`${W} >> .wb-out`).textContent()) ?? '';
    expect(out).toMatch(/at most 16 MiB/);
    // A 200 KB value is taken, but the console echoes it cut, and the disk pane stays in bounds.
    await page
      .locator(W)
      .evaluate((el) => (el as unknown as { runLine(l: string): void }).runLine(`put big ${'y'.repeat(200_000)}`));
    await settle(page);
    const last = await page.locator(`${W} >> .wb-out .line.cmd >> nth=-1`).textContent();
    expect(last!.length).toBeLessThan(400);
    const box = await page.locator(`${W} >> .wb-filesbox`).boundingBox();
    expect(box!.height).toBeLessThan(600);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('opens a shared link with its widget in view', async () => {
    const { page } = await openPage(site, '/lsm/');
    const W = 'kv-workbench >> nth=2';
    await type(page, 'put apple red', 2);
    await page.locator(`${W} >> .wb-copylink`).click();
    await page.waitForFunction(() => !!(document.querySelectorAll('kv-workbench')[2] as HTMLElement).dataset.link);
    const link = (await state(page, 2)).link!;
    await page.close();
    const fresh = await openPage(site, link.slice(site.base.length), 1280);
    await settle(fresh.page);
    const box = await fresh.page.locator(W).boundingBox();
    const viewport = fresh.page.viewportSize()!;
    expect(box!.y).toBeGreaterThanOrEqual(-1);
    expect(box!.y).toBeLessThan(viewport.height / 2);
    expect(fresh.errors).toEqual([]);
    await fresh.page.close();
  });

  it('opens a scenario at the step its lesson talks about, with play from the start beside it', async () => {
    const { page, errors } = await openPage(site, '/btree/');
    const W = 'kv-workbench >> nth=0';
    // "Fill until a split" runs at load: the widget shows the put that splits, not the end.
    const st = await state(page);
    expect(Number(st.step)).toBeLessThan(Number(st.steps) - 1);
    const caption = await page.locator(`${W} >> .wb-caption`).textContent();
    expect(caption).toMatch(/^put k\d+/);
    await expect.poll(async () => page.locator(`${W} >> .wb-fromstart`).isVisible()).toBe(true);
    await page.locator(`${W} >> .wb-fromstart`).click();
    await page.locator(`${W} >> .wb-timeline .play`).click();
    const events = await page.locator(W).evaluate((el) => {
      const rec = (el as unknown as { recorder: { steps: { event: { type: string } }[] } }).recorder;
      return rec.steps.slice(Number((el as HTMLElement).dataset.step)).some((s) => s.event.type === 'btree.split');
    });
    expect(events).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('says when a tree is wider than its pane, and zooms it out to fit on request', async () => {
    const { page, errors } = await openPage(site, '/btree/', 390);
    const W = 'kv-workbench >> nth=0';
    await page.locator(`${W} >> button[data-scenario="grow"]`).click();
    await page.locator(W).evaluate((el) => (el as unknown as { pause(): void }).pause());
    await page.locator(`${W} >> .wb-timeline button[data-act="nextcmd"]`).click();
    await page.keyboard.press('End');
    await page.locator(`${W} >> .wb`).focus();
    await page.keyboard.press('End');
    await settle(page);
    await expect.poll(async () => page.locator(`${W} >> .wb-pan-hint`).isVisible()).toBe(true);
    await page.locator(`${W} >> .wb-pan-hint button.wb-fit`).click();
    await settle(page);
    const fits = await page.locator(`${W} >> .wb-structbox`).evaluate((b) => b.scrollWidth <= b.clientWidth + 1);
    expect(fits).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });
});
