// The geo module's one door: areas files, their schema, and point location.
export { CITY, DEFAULT_AREAS_FILE, OUTSIDE, createAreaIndex, loadAreas, type AreaIndex } from './areas.ts';
export { AreasFileError, UnknownAreaError } from './errors.ts';
export { geometryAreaKm2 } from './measure.ts';
export { parseAreasFile } from './parse-areas-file.ts';
export { LEVELS, type AreasFile } from './schema.ts';
export { simulatorAreas } from './sim-areas.ts';
