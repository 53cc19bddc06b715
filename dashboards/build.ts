// Programmatic build of the dashboards, called by the engine's start command when the build is missing or stale.
import { resolve } from 'node:path';
import { build } from 'vite';
import { dashboardsRoot } from './paths.ts';

/** Builds every dashboard page into `dist/dashboards`, printing only warnings and errors. */
export async function buildDashboards(): Promise<void> {
  await build({
    configFile: resolve(dashboardsRoot, 'vite.config.ts'),
    logLevel: 'warn',
  });
}
