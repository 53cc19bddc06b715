// The loaded areas of the city: metadata per area, point location (the ingest hot path), sampling, and the GeoJSON.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { AreasFileError, UnknownAreaError } from './errors.ts';
import { GridIndex, type GridIndexOptions } from './grid-index.ts';
import { geometryAreaKm2, geometryBBox, geometryCentroid, type BBox } from './measure.ts';
import { parseAreasFile } from './parse-areas-file.ts';
import type { AreaFeature, AreaGeometry, AreaProperties, AreasFile, Level } from './schema.ts';

/**
 * The shipped default: Hanoi's 126 wards and communes since 1 July 2025 (real boundaries), with the 30 former
 * districts dissolved from them as a second level.
 */
export const DEFAULT_AREAS_FILE = fileURLToPath(new URL('./hanoi-wards.geojson', import.meta.url));
/** The row of the whole city. */
export const CITY = 'hanoi';
/** Where an event placed outside every area is stored (it still counts in the city-wide row). */
export const OUTSIDE = 'outside';

// Sampling gives up after this many misses: only a sliver of an area inside a huge bounding box gets there.
const MAX_SAMPLING_TRIES = 10_000;

export interface Area {
  code: string;
  name: string;
  nameEn?: string;
  kind?: string;
  level: Level;
  /** The code of the district-level area a ward belongs to. */
  parent?: string;
  /** [lon, lat]: the file's `centroid` property when it has one, else the area-weighted centroid. */
  centroid: [number, number];
  bbox: BBox;
  /** The file's `areaKm2` (an official figure) when it has one, else the area of the geometry. */
  areaKm2: number;
  properties: AreaProperties;
  geometry: AreaGeometry;
}

export interface AreaIndex {
  /** The units events are assigned to (level "ward"). */
  readonly areas: readonly Area[];
  /** The second level (former districts by default): each groups the wards naming it as their parent. */
  readonly districts: readonly Area[];
  /** The code of the ward holding the point; the nearest within ~2 km; else null. Allocates nothing. */
  locate(lon: number, lat: number): string | null;
  /** An area of either level. */
  get(code: string): Area | undefined;
  /** Ward code → district code, for the wards that have one. */
  readonly parents: ReadonlyMap<string, string>;
  /** A uniformly random point inside the ward (rejection sampling); throws UnknownAreaError. */
  randomPoint(code: string, rng: () => number): [number, number];
  /** The file as loaded (the features of one level only, when asked), for the HTTP API. */
  featureCollection(level?: Level): AreasFile;
}

export async function loadAreas(path: string = DEFAULT_AREAS_FILE, options?: GridIndexOptions): Promise<AreaIndex> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new AreasFileError(path, 'cannot be read', { cause });
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (cause) {
    throw new AreasFileError(path, `is not valid JSON (${(cause as Error).message})`, { cause });
  }
  return createAreaIndex(parseAreasFile(data, path), options);
}

export function createAreaIndex(file: AreasFile, options?: GridIndexOptions): AreaIndex {
  const all = file.features.map(toArea);
  const areas = all.filter((a) => a.level === 'ward');
  const districts = all.filter((a) => a.level === 'district');
  const codes = areas.map((a) => a.code);
  const byCode = new Map(areas.map((a, i) => [a.code, i] as const));
  const anyLevel = new Map(all.map((a) => [a.code, a] as const));
  const parents = new Map(areas.flatMap((a) => (a.parent === undefined ? [] : [[a.code, a.parent] as const])));
  // Only wards are located: a district overlaps its wards, and an event belongs to one unit.
  const grid = new GridIndex(
    areas.map((a) => a.geometry),
    options,
  );
  const byLevel = new Map<Level, AreasFile>();

  return {
    areas,
    districts,
    parents,
    locate(lon, lat) {
      const i = grid.locate(lon, lat);
      return i < 0 ? null : codes[i]!;
    },
    get(code) {
      return anyLevel.get(code);
    },
    randomPoint(code, rng) {
      const i = byCode.get(code);
      if (i === undefined) throw new UnknownAreaError(code);
      const area = areas[i]!;
      const [minLon, minLat, maxLon, maxLat] = area.bbox;
      for (let t = 0; t < MAX_SAMPLING_TRIES; t++) {
        const lon = minLon + rng() * (maxLon - minLon);
        const lat = minLat + rng() * (maxLat - minLat);
        if (grid.contains(lon, lat) === i) return [lon, lat];
      }
      return [area.centroid[0], area.centroid[1]];
    },
    featureCollection(level) {
      if (level === undefined) return file;
      let out = byLevel.get(level);
      if (!out) {
        const features = file.features.filter((f) => (f.properties.level ?? 'ward') === level);
        byLevel.set(level, (out = { ...file, features }));
      }
      return out;
    },
  };
}

function toArea(feature: AreaFeature): Area {
  const { properties, geometry } = feature;
  const area: Area = {
    code: properties.code,
    name: properties.name,
    centroid: readCentroid(properties.centroid) ?? geometryCentroid(geometry),
    bbox: geometryBBox(geometry),
    areaKm2: readPositive(properties.areaKm2) ?? geometryAreaKm2(geometry),
    level: properties.level ?? 'ward',
    properties,
    geometry,
  };
  if (properties.nameEn !== undefined) area.nameEn = properties.nameEn;
  if (properties.kind !== undefined) area.kind = properties.kind;
  if (properties.parent !== undefined) area.parent = properties.parent;
  return area;
}

function readCentroid(value: unknown): [number, number] | undefined {
  if (!Array.isArray(value) || value.length < 2) return undefined;
  const [lon, lat] = value as unknown[];
  if (typeof lon !== 'number' || typeof lat !== 'number') return undefined;
  if (!(Math.abs(lon) <= 180 && Math.abs(lat) <= 90)) return undefined;
  return [lon, lat];
}

function readPositive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : undefined;
}
