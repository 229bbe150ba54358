import { defineConfig } from 'vitest/config';

// One run for everything: engine unit tests, the conformance/model/crash suites, and the
// browser tests (which build the site once in their global setup).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Finds the Chromium the browser tests drive, once, before any test file starts.
    globalSetup: ['test/browser/global-setup.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});
