// Builds the dashboards when dist/dashboards is missing or older than any of their sources, so `npm start` just works.
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { dashboardsOutDir, dashboardsRoot } from '../dashboards/paths.ts';

const STAMP = join(dashboardsOutDir, '.built');

export async function ensureDashboards(opts: { force: boolean }): Promise<void> {
  if (!opts.force && existsSync(STAMP) && newest(dashboardsRoot) <= statSync(STAMP).mtimeMs) return;
  const began = performance.now();
  process.stderr.write('building the dashboards…\n');
  const { buildDashboards } = await import('../dashboards/build.ts');
  await buildDashboards();
  writeFileSync(STAMP, new Date().toISOString());
  process.stderr.write(`dashboards built in ${((performance.now() - began) / 1000).toFixed(1)} s\n`);
}

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}
