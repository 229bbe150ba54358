/**
 * The Dynamo lesson in Chromium (playwright-core), on the built site: the page loads with no
 * console error, every scenario runs, stepping back and forward gives the same picture, and
 * the quorum outcome (ok, stale) is shown. Screenshots at 1280 and 390 px go to
 * test-results/screenshots (git-ignored).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SHOTS, openPage, startSite, stopSite, type Site } from './harness.js';

const D = 'kv-dynamo >> nth=0';

let site: Site | undefined;

beforeAll(async () => {
  site = await startSite('site');
});

afterAll(async () => {
  await stopSite(site);
});

/** Opens the lesson at `width` px, collecting console and page errors. */
async function open(width = 1280, theme: 'light' | 'dark' = 'light'): Promise<{ page: Page; errors: string[] }> {
  return openPage(site!, '/dynamo/', width, theme, 'kv-dynamo, kv-workbench');
}

/** The first widget's data attributes. */
async function state(page: Page): Promise<Record<string, string>> {
  return page.locator(D).evaluate((el) => ({ ...(el as HTMLElement).dataset }) as Record<string, string>);
}

/** The first widget's drawn picture (ring, nodes, outcome, caption) as HTML. */
async function picture(page: Page): Promise<string> {
  return page
    .locator(`${D} >> .dy-main`)
    .evaluate(
      (el) =>
        el.innerHTML +
        el.parentElement!.querySelector('.dy-outcome')!.outerHTML +
        el.parentElement!.querySelector('.dy-caption')!.outerHTML,
    );
}

describe('the Dynamo lesson in Chromium', () => {
  it('loads with its widgets, draws the ring and five nodes, and logs no error', async () => {
    const { page, errors } = await open();
    expect(await page.locator('kv-dynamo').count()).toBeGreaterThanOrEqual(2);
    expect(await page.locator(`${D} >> g.token`).count()).toBe(15);
    expect(await page.locator(`${D} >> .dy-node`).count()).toBe(5);
    await page.screenshot({ path: join(SHOTS, 'dynamo-1280.png') });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('runs every scenario to its end', async () => {
    const { page, errors } = await open();
    for (const name of ['ring', 'quorum', 'stale', 'handoff', 'partition', 'antientropy']) {
      await page.locator(`${D} >> .dy-scn[data-scenario="${name}"]`).click();
      await page.locator(`${D} >> [data-act="last"]`).click();
      const s = await state(page);
      expect(Number(s.steps), name).toBeGreaterThan(5);
      expect(Number(s.step)).toBe(Number(s.steps) - 1);
    }
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows the stale read when R + W <= N, and a fresh quorum read when R + W > N', async () => {
    const { page } = await open();
    await page.locator(`${D} >> .dy-scn[data-scenario="stale"]`).click();
    // Step forward until the stale outcome shows.
    let s = await state(page);
    while (s.outcome !== 'stale' && Number(s.step) < Number(s.steps) - 1) {
      await page.locator(`${D} >> [data-act="fwd"]`).click();
      s = await state(page);
    }
    expect(s.outcome).toBe('stale');
    await expect.poll(() => page.locator(`${D} >> .dy-outcome`).textContent()).toContain('STALE READ');
    expect(await page.locator(`${D} >> .dy-rule`).textContent()).toContain('≤ N');
    await page.locator(D).scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(SHOTS, 'dynamo-stale-1280.png') });
    await page.locator(`${D} >> .dy-scn[data-scenario="quorum"]`).click();
    await page.locator(`${D} >> [data-act="last"]`).click();
    expect((await state(page)).outcome).toBe('ok');
    expect(await page.locator(`${D} >> .dy-outcome`).textContent()).toContain('> N = 3');
    await page.close();
  });

  it('draws both Merkle trees in anti-entropy, red where they differ, and equal roots once repaired', async () => {
    const { page, errors } = await open();
    const W = 'kv-dynamo[data-scenario="antientropy"]';
    await page.locator(W).scrollIntoViewIfNeeded();
    const caption = () => page.locator(`${W} >> .dy-caption`).textContent();
    // Step to the comparison of the leaves: one path of red cells from the root to one leaf.
    await page.locator(`${W} >> [data-act="first"]`).click();
    while (!(await caption())!.startsWith('leaves:')) await page.locator(`${W} >> [data-act="fwd"]`).click();
    expect(await page.locator(`${W} >> .dy-merkle`).isVisible()).toBe(true);
    expect(await page.locator(`${W} >> .dy-mk-level`).count()).toBe(4);
    expect(await page.locator(`${W} >> .dy-mk-cell.diff`).count()).toBeGreaterThanOrEqual(4);
    await page.locator(`${W} >> .dy-main`).evaluate((el) => el.parentElement!.scrollIntoView());
    await page.screenshot({ path: join(SHOTS, 'dynamo-merkle-1280.png') });
    // The repair, then rebuilt trees whose roots agree: no red cell.
    while (!(await caption())!.startsWith('after repair')) await page.locator(`${W} >> [data-act="fwd"]`).click();
    expect(await caption()).toContain('are equal');
    expect(await page.locator(`${W} >> .dy-mk-cell.diff`).count()).toBe(0);
    // A step that is not part of an exchange hides the trees.
    await page.locator(`${W} >> [data-act="first"]`).click();
    expect(await page.locator(`${W} >> .dy-merkle`).isHidden()).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('shows a partition: each node’s side, the stale read a sloppy quorum allows, and the handoff when it heals', async () => {
    const { page, errors } = await open();
    const W = 'kv-dynamo[data-scenario="partition"]';
    await page.locator(W).scrollIntoViewIfNeeded();
    let s = await page.locator(W).evaluate((el) => ({ ...(el as HTMLElement).dataset }));
    await page.locator(`${W} >> [data-act="first"]`).click();
    while ((s = await page.locator(W).evaluate((el) => ({ ...(el as HTMLElement).dataset }))).outcome !== 'stale')
      await page.locator(`${W} >> [data-act="fwd"]`).click();
    expect(await page.locator(`${W} >> .dy-outcome`).textContent()).toContain('sloppy quorum');
    expect(await page.locator(`${W} >> .dy-node[data-side="1"]`).count()).toBe(2);
    expect(await page.locator(`${W} >> .dy-node[data-side="2"]`).count()).toBe(3);
    expect(await page.locator(`${W} >> .dy-flight`).textContent()).toContain('Partition:');
    await page.locator(`${W} >> .dy-main`).evaluate((el) => el.parentElement!.scrollIntoView());
    await page.screenshot({ path: join(SHOTS, 'dynamo-partition-1280.png') });
    await page.locator(`${W} >> [data-act="last"]`).click();
    s = await page.locator(W).evaluate((el) => ({ ...(el as HTMLElement).dataset }));
    expect(s.outcome).toBe('ok');
    expect(await page.locator(`${W} >> .dy-node[data-side]`).count()).toBe(0);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('steps back and forward to exactly the same picture', async () => {
    const { page } = await open();
    await page.locator(`${D} >> .dy-scn[data-scenario="handoff"]`).click();
    const steps = Number((await state(page)).steps);
    for (const at of [3, Math.floor(steps / 2), steps - 2]) {
      await page.locator(`${D} >> .dy-scrub`).fill(String(at));
      const a = await picture(page);
      await page.locator(`${D} >> [data-act="back"]`).click();
      await page.locator(`${D} >> [data-act="back"]`).click();
      expect(await picture(page)).not.toBe(a);
      await page.locator(`${D} >> [data-act="fwd"]`).click();
      await page.locator(`${D} >> [data-act="fwd"]`).click();
      expect(await picture(page)).toBe(a);
    }
    await page.close();
  });

  it('takes typed commands and shows a bad one plainly; a settings change replays the commands', async () => {
    const { page, errors } = await open();
    const input = page.locator(`${D} >> .dy-input`);
    await input.fill('put pear green');
    await input.press('Enter');
    await page.locator(`${D} >> [data-act="last"]`).click();
    expect(await page.locator(`${D} >> .dy-node li.focus`).count()).toBeGreaterThanOrEqual(2);
    await input.fill('fly away');
    await input.press('Enter');
    expect(await page.locator(`${D} >> .dy-out .err`).last().textContent()).toContain('unknown command');
    await page.locator(`${D} >> select[data-k="w"]`).selectOption('1');
    expect(await page.locator(`${D} >> .dy-out`).textContent()).toContain('put pear green');
    expect(await page.locator(`${D} >> .dy-rule`).textContent()).toContain('R + W = 3');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('stays usable at phone width (390 px) and in the dark theme', async () => {
    const { page, errors } = await open(390, 'dark');
    await page.locator(`${D} >> .dy-scn[data-scenario="handoff"]`).click();
    await page.locator(`${D} >> .dy-scrub`).fill('16');
    await page.locator(D).scrollIntoViewIfNeeded();
    // Nothing wider than the screen.
    const wide = await page.evaluate(() => document.documentElement.scrollWidth);
    expect(wide).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SHOTS, 'dynamo-390-dark.png'), fullPage: false });
    const M = 'kv-dynamo[data-scenario="antientropy"]';
    await page.locator(`${M} >> .dy-scrub`).fill('29');
    await page.locator(`${M} >> .dy-merkle`).scrollIntoViewIfNeeded();
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    await page.screenshot({ path: join(SHOTS, 'dynamo-merkle-390-dark.png'), fullPage: false });
    await page.locator(`${D} >> .dy-main`).screenshot({ path: join(SHOTS, 'dynamo-390-main.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
