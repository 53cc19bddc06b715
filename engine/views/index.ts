// Views' door: loading the view files and keeping their rollups fresh.
export { loadViews, loadMacros, DEFAULT_VIEWS_DIR } from './load.ts';
export { parseView, linkViews, parseDuration, isRolling, ViewError, type ViewDef } from './definition.ts';
export { Rollups } from './rollups.ts';
export { boundSql, bucketSql, levelsSql } from './view-sql.ts';
export { ROLLUP_TABLE, sortRollups } from './view-state.ts';
export type { IndicatorChange } from '../../dashboards/shared/wire/index.ts';
