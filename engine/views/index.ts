// Views' door: loading the view files and keeping their rollups fresh.
export { loadViews, loadMacros, DEFAULT_VIEWS_DIR } from './load.ts';
export { parseView, linkViews, parseDuration, isRolling, ViewError, type ViewDef, type ViewMeta } from './definition.ts';
export { MERGES, type Merge } from '../sql/index.ts';
export { Rollups } from './rollups.ts';
export { AREA_SQL, GROUP_SQL, boundSql, bucketSql, rollingSql } from './view-sql.ts';
export type { IndicatorChange, IndicatorRow } from '../../dashboards/shared/wire/index.ts';
