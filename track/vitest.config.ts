import { defineConfig } from 'vitest/config';

// The grader's run of the project's suites on one engine (track/grade/run-suites.ts), never
// part of npm test (whose include is test/**).
export default defineConfig({
  test: {
    include: ['track/grade/suites.test.ts'],
    testTimeout: 120_000,
    pool: 'forks',
  },
});
