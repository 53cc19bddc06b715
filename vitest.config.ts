// Test runner settings: real brokers and DuckDB make tests slower than pure unit tests, so timeouts are generous.
import { defineConfig } from 'vitest/config';

/** Files that replace a module with vi.mock: they need a module registry of their own. */
const MOCKING = ['test/query/read-only.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 120_000,
    hookTimeout: 180_000,
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    // Most files wait on brokers, browsers and timers rather than the CPU: two at once on two cores (the default
    // leaves one core idle) takes the suite from about 14 to about 11 minutes.
    maxWorkers: 2,
    reporters: ['default'],
    projects: [
      {
        extends: true,
        // A worker runs file after file in one process: the engine's modules (DuckDB's binding, the schemas, the
        // views' plans) load once per worker rather than once per file, about a second each of 130 files. So every
        // file must stop what it starts: whatever it leaves running slows the files after it.
        test: { name: 'shared', include: ['test/**/*.test.ts'], exclude: MOCKING, isolate: false },
      },
      { extends: true, test: { name: 'isolated', include: MOCKING, isolate: true } },
    ],
  },
});
