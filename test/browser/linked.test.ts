/**
 * Diagrams and bytes linked, and shareable sessions, in Chromium: clicking a diagram element
 * outlines its bytes in the hex view, pointing at a byte names its field and lights up its
 * structure; a copied link opened in a fresh page shows the same picture; a malformed link
 * shows a message and an empty workbench with no console error. Screenshots in
 * test-results/screenshots/linked-*.png.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SHOTS, openPage, settle, startSite, stopSite, type Site } from './harness.js';

const W = 'kv-workbench >> nth=0';
let site: Site;

beforeAll(async () => {
  site = await startSite('site-linked');
}, 240_000);

afterAll(async () => {
  await stopSite(site);
});

/** The first widget's data attributes. */
async function state(page: Page): Promise<Record<string, string>> {
  return page.locator(W).evaluate((el) => ({ ...(el as HTMLElement).dataset }) as Record<string, string>);
}

/** The first widget's panes as HTML (and its structure view when it has one). */
async function picture(page: Page): Promise<string> {
  await settle(page);
  return page
    .locator(W)
    .evaluate(
      (el) =>
        (el.querySelector('.wb-struct')?.innerHTML ?? '') +
        el.querySelector('.wb-grid')!.innerHTML +
        el.querySelector('.wb-counters')!.innerHTML,
    );
}

/** Types a console line into the first widget and jumps to the end. */
async function type(page: Page, line: string): Promise<void> {
  await page.locator(`${W} >> .wb-input`).fill(line);
  await page.locator(`${W} >> .wb-input`).press('Enter');
  await page.locator(`${W} >> .wb`).focus();
  await page.keyboard.press('End');
  await settle(page);
}

const shot = (what: string): string => join(SHOTS, `linked-${what}.png`);

describe('diagrams and bytes linked', () => {
  it('clicking a record on disk outlines exactly its bytes; pointing at a byte names its field and lights the record', async () => {
    const { page, errors } = await openPage(site, '/bitcask/');
    await type(page, 'reset');
    await type(page, 'put apple red');
    await type(page, 'put kiwi green');
    await page.locator(`${W} >> .wb-files g.rec >> nth=1`).click();
    await settle(page);
    const s = await state(page);
    expect(s.selected).toMatch(/^\d+\.data@\d+\+\d+$/);
    const length = Number(s.selected!.split('+')[1]);
    expect(await page.locator(`${W} >> .wb-hexbox span.b.sel`).count()).toBe(length);
    expect(await page.locator(`${W} >> .wb-hex-title`).textContent()).toContain('record 1 (seq 2) of');
    await page.locator(W).screenshot({ path: shot('bitcask-click-record') });
    // The reverse: point at the last selected byte (the value's last byte).
    await page.locator(`${W} >> .wb-hexbox span.b.sel >> nth=-1`).hover();
    await settle(page);
    const hovered = (await state(page)).hovered!;
    expect(hovered).toMatch(/^value of record 1 \(seq 2\) = "green"/);
    expect(await page.locator(`${W} >> .wb-hex-field`).textContent()).toBe(hovered);
    expect(await page.locator(`${W} >> .wb-files g.rec.linked-hl`).count()).toBeGreaterThan(0);
    expect(await page.locator(`${W} >> .wb-mem g.entry.linked-hl`).count()).toBe(1);
    await page.locator(W).screenshot({ path: shot('bitcask-hover-byte') });
    // A keydir entry selects the record it points at.
    await page.locator(`${W} >> .wb-mem g.entry >> nth=0`).click();
    await settle(page);
    expect(await page.locator(`${W} >> .wb-hex-title`).textContent()).toContain('where the entry for apple points');
    // Another step forgets the selection and shows what that step touched.
    await page.locator(`${W} >> .wb`).focus();
    await page.keyboard.press('ArrowLeft');
    await settle(page);
    expect((await state(page)).selected).toBeUndefined();
    expect(errors).toEqual([]);
    await page.close();
  });

  it('clicking a B+tree page and an LSM SSTable selects their bytes', async () => {
    {
      const { page, errors } = await openPage(site, '/btree/');
      await type(page, 'sync');
      await page.locator(`${W} >> .wb-struct g.page >> nth=0`).click();
      await settle(page);
      const s = await state(page);
      expect(s.selected).toMatch(/^btree\.db@\d+\+\d+$/);
      expect(await page.locator(`${W} >> .wb-hex-title`).textContent()).toMatch(/^page \d+ of btree\.db/);
      await page.locator(`${W} >> .wb-hexbox span.b.sel >> nth=4`).hover();
      expect((await state(page)).hovered).toMatch(/^pageType of page \d+/);
      expect(await page.locator(`${W} >> .wb-struct g.page.linked-hl`).count()).toBe(1);
      await page.locator(W).screenshot({ path: shot('btree-page') });
      expect(errors).toEqual([]);
      await page.close();
    }
    {
      const { page, errors } = await openPage(site, '/lsm/');
      await type(page, 'fill 40');
      await type(page, 'compact');
      await page.locator(`${W} >> .wb-struct g.sst >> nth=0`).click();
      await settle(page);
      expect((await state(page)).selected).toMatch(/@0\+\d+$/);
      await page.locator(`${W} >> .wb-hexbox span.b.sel >> nth=0`).hover();
      expect((await state(page)).hovered).toMatch(/of data block 0/);
      expect(await page.locator(`${W} >> .wb-struct g.sst.linked-hl`).count()).toBe(1);
      await page.locator(W).screenshot({ path: shot('lsm-sstable') });
      expect(errors).toEqual([]);
      await page.close();
    }
  });
});

describe('shareable sessions', () => {
  it('a copied link opened in a fresh page shows the same picture at the same step', async () => {
    const { page, errors } = await openPage(site, '/bitcask/');
    for (const line of ['put apple red', 'put kiwi green', 'delete apple', 'sync', 'crash', 'reopen', 'get kiwi'])
      await type(page, line);
    // Step back into the middle of the last commands: the link keeps the step shown.
    await page.keyboard.press('Shift+ArrowLeft');
    await page.keyboard.press('ArrowRight');
    await settle(page);
    const before = await picture(page);
    const step = (await state(page)).step;
    await page.locator(`${W} >> .wb-copylink`).click();
    await page.waitForFunction(() => !!(document.querySelector('kv-workbench') as HTMLElement).dataset.link);
    const link = (await state(page)).link!;
    expect(link).toContain('#w0=1');
    expect(link.length).toBeLessThan(400);
    expect(page.url()).toBe(link);
    await page.screenshot({ path: shot('share-original'), fullPage: false });
    const fresh = await openPage(site, link.slice(site.base.length));
    expect((await state(fresh.page)).step).toBe(step);
    expect(await picture(fresh.page)).toBe(before);
    await fresh.page.locator(W).screenshot({ path: shot('share-reopened') });
    expect(fresh.errors).toEqual([]);
    expect(errors).toEqual([]);
    await fresh.page.close();
    await page.close();
  });

  it('a malformed link shows a clear message and an empty workbench, with no console error', async () => {
    for (const bad of ['#w0=1$$$', '#w0=1AAAAAAAAAAAAAAAAAAA', '#w0=9xyz', '#w0=']) {
      const { page, errors } = await openPage(site, `/bitcask/${bad}`);
      const msg = page.locator(`${W} >> .wb-linkmsg`);
      expect(await msg.isVisible()).toBe(true);
      expect(await msg.textContent()).toMatch(
        /^This link could not be opened: .+ The workbench starts empty instead\.$/,
      );
      // Empty: only the open command ran, nothing is on disk but what open makes, the keydir is empty.
      expect(await page.locator(`${W} >> .wb-mem g.entry`).count()).toBe(0);
      // The other widgets on the page start as the lesson says.
      const others = await page
        .locator('kv-workbench')
        .evaluateAll((ws) => ws.slice(1).map((w) => (w as HTMLElement).dataset.linkError));
      expect(others.every((x) => x === undefined)).toBe(true);
      if (bad === '#w0=1$$$') await page.locator(W).screenshot({ path: shot('malformed') });
      expect(errors).toEqual([]);
      await page.close();
    }
  });

  it('a heading anchor in the hash is not taken for a link', async () => {
    const { page, errors } = await openPage(site, '/bitcask/#the-keydir');
    expect(await page.locator(`${W} >> .wb-linkmsg`).isVisible()).toBe(false);
    expect(errors).toEqual([]);
    await page.close();
  });
});
