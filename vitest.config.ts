// Test runner settings: real brokers and DuckDB make tests slower than pure unit tests, so timeouts are generous.
import { defineConfig } from 'vitest/config';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The longest files, longest first (their durations in CI, in seconds). A fresh clone has no record of past runs, so
 * vitest would order files by size, and a few short files that run long tests came last and ran alone at the end.
 */
const LONGEST: readonly string[] = [
  'views/differential-1.test.ts', // 125
  'views/differential-2.test.ts', // 125
  'e2e/bad-input-flood.test.ts', // 80
  'cluster/cluster-chaos.test.ts', // 75
  'e2e/crash-jetstream.test.ts', // 60
  'e2e/analyst-isolation.test.ts', // 60
  'sources/nats-source.test.ts', // 35
  'dashboards/wall-failover.test.ts', // 35
  'dashboards/wall.test.ts', // 35
  'e2e/nats-engine.test.ts', // 30
  'cluster/failover.test.ts', // 25
];

class LongestFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const rank = (f: TestSpecification) => {
      const i = LONGEST.findIndex((name) => f.moduleId.endsWith(`/test/${name}`));
      return i < 0 ? LONGEST.length : i;
    };
    return (await super.sort(files)).sort((a, b) => rank(a) - rank(b));
  }
}

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
    sequence: { sequencer: LongestFirst },
    reporters: ['default'],
  },
});
