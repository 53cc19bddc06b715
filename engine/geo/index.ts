// The geo module's one door: areas files, their schema, and point location.
export { DEFAULT_AREAS_FILE, createAreaIndex, loadAreas, type Area, type AreaIndex } from './areas.ts';
export { AreasFileError, UnknownAreaError } from './errors.ts';
export type { GridIndexOptions } from './grid-index.ts';
export { geometryAreaKm2, type BBox } from './measure.ts';
export { parseAreasFile } from './parse-areas-file.ts';
export {
  areasFileSchema,
  type AreaFeature,
  type AreaGeometry,
  type AreaProperties,
  type AreasFile,
} from './schema.ts';
