/**
 * harness.ts: what a browser test file needs: build the site once into its own folder, serve
 * it, launch Chromium (playwright-core, /usr/bin/chromium), open pages collecting console
 * errors, and let d3 settle. Each test file passes its own output folder, so files that vitest
 * runs in parallel never build into the same place.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { chromium, type Browser, type Page } from 'playwright-core';
import { serveStatic } from './server.js';
import { builtSite } from './build.js';

export const CHROMIUM = '/usr/bin/chromium';
export const ROOT = join(import.meta.dirname, '..', '..');
export const SHOTS = join(ROOT, 'test-results', 'screenshots');

/** A built, served site and a browser. */
export interface Site {
  browser: Browser;
  server: Server;
  base: string;
}

/** Builds the site into test-results/<outName>, serves it and launches Chromium. */
export async function startSite(outName: string): Promise<Site> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`the browser tests need Chromium at ${CHROMIUM}: install it with "apt-get install -y chromium" (CI does)`);
  }
  void outName;
  // One build for every browser test file, under build.ts's lock.
  const out = builtSite();
  const { server, url } = await serveStatic(out);
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run'],
  });
  mkdirSync(SHOTS, { recursive: true });
  return { browser, server, base: url };
}

/** Closes the browser and the server. */
export async function stopSite(site: Site | undefined): Promise<void> {
  await site?.browser.close();
  site?.server.close();
}

/**
 * Opens `path` at `width` px with reduced motion (d3 transitions take no time, so pictures
 * compare exactly), collecting console and page errors, and waits until every element
 * matching `ready` says data-ready="true".
 */
export async function openPage(site: Site, path: string, width = 1280, theme: 'light' | 'dark' = 'light', ready = 'kv-workbench, kv-crashlab, kv-sidebyside'): Promise<{ page: Page; errors: string[] }> {
  const page = await site.browser.newPage({ viewport: { width, height: 900 }, reducedMotion: 'reduce', colorScheme: theme });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  await page.goto(site.base + path, { waitUntil: 'load' });
  await page.waitForFunction((sel) => [...document.querySelectorAll(sel)].every((w) => (w as HTMLElement).dataset.ready === 'true'), ready);
  return { page, errors };
}

/** Lets d3 finish (zero-length transitions still end on the next animation frames). */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(() => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(ok, 60)))));
}
