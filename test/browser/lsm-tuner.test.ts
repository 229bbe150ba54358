/**
 * The LSM settings widget (<kv-lsm-tuner>) in Chromium, on the built site: it loads on the LSM
 * lesson with leveled and size-tiered side by side, shows exactly the amplifications the
 * logic computes for the same settings (lsm-tuning.ts, run here in Node), reruns when a
 * setting is turned, and fits at 390 px. Screenshots at 1280, 390 and dark go to
 * test-results/screenshots (git-ignored).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { SHOTS, openPage, startSite, stopSite, type Site } from './harness.js';
import { DEFAULT_TUNING, amplification, ratio, runTuned, type LsmTuning } from '../../site/workbench/lsm-tuning.js';

const T = 'kv-lsm-tuner >> nth=0';

let site: Site | undefined;

beforeAll(async () => {
  site = await startSite('site');
});

afterAll(async () => {
  await stopSite(site);
});

/** Opens the LSM lesson at `width` px and scrolls the tuner into view. */
async function open(width = 1280, theme: 'light' | 'dark' = 'light'): Promise<{ page: Page; errors: string[] }> {
  const r = await openPage(site!, '/lsm/', width, theme, 'kv-lsm-tuner, kv-workbench');
  await r.page.locator(T).scrollIntoViewIfNeeded();
  return r;
}

/** The numbers a card shows: its strategy and metric → text. */
async function shown(page: Page): Promise<Record<string, Record<string, string>>> {
  return page.locator(T).evaluate((el) => {
    const out: Record<string, Record<string, string>> = {};
    for (const card of el.querySelectorAll<HTMLElement>('section.lt-card')) {
      const m: Record<string, string> = {};
      for (const d of card.querySelectorAll<HTMLElement>('dl > div'))
        m[d.dataset.metric!] = d.querySelector('dd')!.textContent!;
      out[card.dataset.compaction!] = m;
    }
    return out;
  });
}

/** What the cards must show at `step` for `tuning`, from the logic run in Node. */
function expected(tuning: LsmTuning, step: number): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const c of ['leveled', 'tiered'] as const) {
    const a = amplification(runTuned(tuning, c).steps[step]!);
    out[c] = {
      write: `${ratio(a.write)}×`,
      read: `${a.read} table${a.read === 1 ? '' : 's'}`,
      space: `${ratio(a.space)}×`,
    };
  }
  return out;
}

describe('the LSM settings widget in Chromium', () => {
  it('shows leveled and size-tiered side by side with the amplifications the engine gives, and logs no error', async () => {
    const { page, errors } = await open();
    expect(await page.locator(`${T} >> section.lt-card`).count()).toBe(2);
    expect(await shown(page)).toEqual(expected(DEFAULT_TUNING, 5));
    expect(await page.locator(`${T} >> .lt-step-label`).textContent()).toContain('6 of 6');
    await page.locator(T).screenshot({ path: join(SHOTS, 'lsm-tuner-1280.png') });
    // The slider picks a step; every number is that step's.
    await page.locator(`${T} >> .lt-slider`).fill('0');
    expect(await shown(page)).toEqual(expected(DEFAULT_TUNING, 0));
    expect(await page.locator(`${T} >> .lt-step-label`).textContent()).toContain('1 of 6: load 200 keys');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('runs the engine again when a setting is turned, and shows one strategy when only one is chosen', async () => {
    const { page, errors } = await open();
    const runs = async () => Number(await page.locator(T).getAttribute('data-runs'));
    const before = await runs();
    await page.locator(`${T} >> select[data-knob="memtableBytes"]`).selectOption('4096');
    expect(await runs()).toBe(before + 1);
    expect(await shown(page)).toEqual(expected({ ...DEFAULT_TUNING, memtableBytes: 4096 }, 5));
    await page.locator(`${T} >> select[data-knob="compaction"]`).selectOption('tiered');
    expect(await page.locator(`${T} >> section.lt-card`).count()).toBe(1);
    expect(await page.locator(`${T} >> section.lt-card`).getAttribute('data-compaction')).toBe('tiered');
    expect(errors).toEqual([]);
    await page.close();
  });

  it('fits a 390 px screen and reads in dark mode', async () => {
    const { page, errors } = await open(390);
    const overflow = await page.locator(T).evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.locator(T).screenshot({ path: join(SHOTS, 'lsm-tuner-390.png') });
    await page
      .locator('kv-workbench[data-scenario="tiered"] >> .wb-struct')
      .screenshot({ path: join(SHOTS, 'lsm-tiered-workbench-390.png') });
    await page.close();
    const dark = await open(1280, 'dark');
    await dark.page.locator(T).screenshot({ path: join(SHOTS, 'lsm-tuner-dark.png') });
    await dark.page
      .locator('kv-workbench[data-scenario="tiered"]')
      .screenshot({ path: join(SHOTS, 'lsm-tiered-workbench-dark.png') });
    expect([...errors, ...dark.errors]).toEqual([]);
    await dark.page.close();
  });

  it('the size-tiered workbench scenario traces its buckets and merges, and steps to a merge from its trace', async () => {
    const { page, errors } = await open();
    const w = page.locator('kv-workbench[data-scenario="tiered"]');
    await w.scrollIntoViewIfNeeded();
    expect(await w.locator('.wb-engine').textContent()).toContain('compaction tiered');
    // The trace of the command names the buckets and the merges; clicking the last merge goes to its step.
    expect(await w.locator('.wb-evbox').textContent()).toContain('size-tiered: 2 sorted runs');
    await w.locator('.wb-evbox').getByText('size-tiered merge').last().click();
    expect(await w.locator('.wb-caption').textContent()).toContain(
      'size-tiered merge (a full bucket of similar-size runs)',
    );
    await w.screenshot({ path: join(SHOTS, 'lsm-tiered-workbench-1280.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
