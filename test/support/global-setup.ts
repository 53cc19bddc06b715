// Once per test run: builds the dashboards if they are missing or stale, so page tests see the current code.
import { ensureDashboards } from '../../bin/dashboards.ts';

export default async function setup(): Promise<void> {
  await ensureDashboards({ force: false });
}
