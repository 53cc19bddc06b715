// The loaded areas of the city: metadata per area, point location (the ingest hot path), sampling, and the GeoJSON.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { AreasFileError, UnknownAreaError } from './errors.ts';
import { GridIndex, type GridIndexOptions } from './grid-index.ts';
import { geometryAreaKm2, geometryBBox, geometryCentroid, type BBox } from './measure.ts';
import { parseAreasFile } from './parse-areas-file.ts';
import type { AreaFeature, AreaGeometry, AreaProperties, AreasFile } from './schema.ts';

/** The shipped default: Hanoi's 30 pre-2025 districts, approximate shapes built from public facts. */
export const DEFAULT_AREAS_FILE = fileURLToPath(new URL('./hanoi-districts.geojson', import.meta.url));

// Sampling gives up after this many misses: only a sliver of an area inside a huge bounding box gets there.
const MAX_SAMPLING_TRIES = 10_000;

export interface Area {
  code: string;
  name: string;
  nameEn?: string;
  kind?: string;
  /** [lon, lat]: the file's `centroid` property when it has one, else the area-weighted centroid. */
  centroid: [number, number];
  bbox: BBox;
  /** The file's `areaKm2` (an official figure) when it has one, else the area of the geometry. */
  areaKm2: number;
  properties: AreaProperties;
  geometry: AreaGeometry;
}

export interface AreaIndex {
  readonly areas: readonly Area[];
  /** The code of the area holding the point; the nearest area within ~2 km; else null. Allocates nothing. */
  locate(lon: number, lat: number): string | null;
  get(code: string): Area | undefined;
  /** A uniformly random point inside the area (rejection sampling); throws UnknownAreaError. */
  randomPoint(code: string, rng: () => number): [number, number];
  /** The file as loaded, for the HTTP API. */
  featureCollection(): AreasFile;
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
  const areas = file.features.map(toArea);
  const codes = areas.map((a) => a.code);
  const byCode = new Map(areas.map((a, i) => [a.code, i] as const));
  const grid = new GridIndex(
    areas.map((a) => a.geometry),
    options,
  );

  return {
    areas,
    locate(lon, lat) {
      const i = grid.locate(lon, lat);
      return i < 0 ? null : codes[i]!;
    },
    get(code) {
      const i = byCode.get(code);
      return i === undefined ? undefined : areas[i];
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
    featureCollection() {
      return file;
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
    properties,
    geometry,
  };
  if (properties.nameEn !== undefined) area.nameEn = properties.nameEn;
  if (properties.kind !== undefined) area.kind = properties.kind;
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
