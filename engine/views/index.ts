// Views' door: loading the view files and keeping their rollups fresh.
export { loadViews, DEFAULT_VIEWS_DIR } from './load.ts';
export { parseView, ViewError, WINDOWS, type ViewDef, type ViewMeta } from './definition.ts';
export { Rollups, type IndicatorChange, type IndicatorRow } from './rollups.ts';
