import { defineConfig } from 'vitest/config';

// The exercise checks: run by exercises/run.ts (npm run exercise -- <name>), never by npm test
// (whose include is test/**). The runner passes --root: the clone, or a scratch copy of it.
export default defineConfig({
  test: {
    include: ['exercises/*/check.test.ts'],
    testTimeout: 60_000,
    pool: 'forks',
  },
});
