// Test runner settings: real brokers and DuckDB make tests slower than pure unit tests, so timeouts are generous.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    globalSetup: ['test/support/global-setup.ts'],
    pool: 'forks',
    reporters: ['default'],
  },
});
