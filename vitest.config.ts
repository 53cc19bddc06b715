// Test runner settings: real brokers and DuckDB make tests slower than pure unit tests, so timeouts are generous.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    // Most files wait on brokers, browsers and timers rather than the CPU: two at once on two cores (the default
    // leaves one core idle) takes the suite from about 14 to about 11 minutes.
    maxWorkers: 2,
    reporters: ['default'],
  },
});
