// Views' door: loading the view files and keeping their rollups fresh.
export { loadViews, loadMacros, DEFAULT_VIEWS_DIR } from './load.ts';
export { parseView, linkViews, parseDuration, isRolling, bucketSql, ViewError, type ViewDef, type ViewMeta } from './definition.ts';
export { MERGES, type Merge } from '../sql/index.ts';
export { Rollups, boundSql, rollingSql, type IndicatorChange, type IndicatorRow } from './rollups.ts';
