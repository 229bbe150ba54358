/**
 * global-setup.ts: vitest's global setup, run once before any test file: finds the Chromium the
 * browser tests drive (chromium.ts: the packaged one, unpacked on first use, or CHROMIUM_PATH)
 * and hands its path to the test files (harness.ts reads it with inject). Doing it once here
 * means test files running in parallel never unpack it at the same time.
 *
 * A Chromium that cannot be found or started fails the browser tests only, with the reason:
 * the engine tests still run.
 */
import type { TestProject } from 'vitest/node';
import { chromiumPath } from './chromium.js';

/** What the global setup found: the browser's path, or why there is none. */
export type ChromiumFound = { path: string } | { error: string };

declare module 'vitest' {
  export interface ProvidedContext {
    chromium: ChromiumFound;
  }
}

/** Finds the browser once and provides the result to every test file. */
export default async function setup(project: TestProject): Promise<void> {
  let found: ChromiumFound;
  try {
    found = { path: await chromiumPath() };
  } catch (e) {
    found = { error: (e as Error).message };
  }
  project.provide('chromium', found);
}
