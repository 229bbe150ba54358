import { defineConfig } from 'vitest/config';

// One run for everything: engine unit tests, the conformance/model/crash suites, and the
// browser tests (which build the site once in their global setup).
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 300_000,
    pool: 'forks',
  },
});
