/**
 * harness.ts: what a browser test file needs: build the site once (build.ts), serve it, launch
 * Chromium through playwright-core (the one global-setup.ts found: the packaged headless
 * Chromium, or CHROMIUM_PATH), open pages collecting console errors, and let d3 settle.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { inject } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { serveStatic } from './server.js';
import { builtSite } from './build.js';
import { BrowserSetupError } from './chromium.js';

export const ROOT = join(import.meta.dirname, '..', '..');
export const SHOTS = join(ROOT, 'test-results', 'screenshots');

/** A built, served site and a browser. */
export interface Site {
  browser: Browser;
  server: Server;
  base: string;
}

/** The path of the Chromium that the global setup found; throws its reason when there is none. */
export function chromiumExecutable(): string {
  const found = inject('chromium');
  if (found === undefined)
    throw new BrowserSetupError(
      'no Chromium was provided to this test file: run the browser tests through vitest.config.ts, whose globalSetup (test/browser/global-setup.ts) finds one.',
    );
  if ('error' in found) throw new BrowserSetupError(`the browser tests have no Chromium to drive: ${found.error}`);
  return found.path;
}

/**
 * Launches that Chromium headless. playwright-core's default arguments plus a few flags, and not
 * the package's own `chromium.args`: those include --single-process, with which a second
 * browser context crashes.
 */
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumExecutable(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
    ],
  });
}

/** Builds the site (once for every browser test file, under build.ts's lock), serves it and launches Chromium. */
export async function startSite(outName: string): Promise<Site> {
  // Fail before the build when there is no browser to drive.
  chromiumExecutable();
  void outName;
  const out = builtSite();
  const { server, url } = await serveStatic(out);
  const browser = await launchChromium();
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
export async function openPage(
  site: Site,
  path: string,
  width = 1280,
  theme: 'light' | 'dark' = 'light',
  ready = 'kv-workbench, kv-crashlab, kv-sidebyside',
): Promise<{ page: Page; errors: string[] }> {
  const page = await site.browser.newPage({
    viewport: { width, height: 900 },
    reducedMotion: 'reduce',
    colorScheme: theme,
  });
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(`console: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  await page.goto(site.base + path, { waitUntil: 'load' });
  await page.waitForFunction(
    (sel) => [...document.querySelectorAll(sel)].every((w) => (w as HTMLElement).dataset.ready === 'true'),
    ready,
  );
  return { page, errors };
}

/** Lets d3 finish (zero-length transitions still end on the next animation frames). */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(
    () => new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(ok, 60)))),
  );
}
