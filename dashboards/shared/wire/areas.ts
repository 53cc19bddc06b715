// GET /api/areas: the wards (and, as a second level, the former districts) as a GeoJSON FeatureCollection.
import { z } from 'zod';

/** The area code the engine uses for city-wide rows. */
export const CITY_AREA = 'hanoi';

/** [lon, lat] with an optional altitude, as GeoJSON writes it. */
const position = z.tuple([z.number(), z.number()], z.number());
const ring = z.array(position);

const polygonSchema = z.object({ type: z.literal('Polygon'), coordinates: z.array(ring) });
const multiPolygonSchema = z.object({ type: z.literal('MultiPolygon'), coordinates: z.array(z.array(ring)) });
const areaGeometrySchema = z.discriminatedUnion('type', [polygonSchema, multiPolygonSchema]);
export type AreaGeometry = z.infer<typeof areaGeometrySchema>;

// Loose: the engine serves its areas file as loaded, and a supplied commune file carries fields of its own.
const areaPropertiesSchema = z.looseObject({
  code: z.string().min(1),
  name: z.string(),
  nameEn: z.string().nullish(),
  kind: z.string().nullish(),
  population: z.number().nullish(),
  areaKm2: z.number().nullish(),
  approximate: z.boolean().nullish(),
  level: z.enum(['ward', 'district']).nullish(),
  parent: z.string().nullish(),
});
export type AreaProperties = z.infer<typeof areaPropertiesSchema>;

const areaFeatureSchema = z.looseObject({
  type: z.literal('Feature'),
  geometry: areaGeometrySchema,
  properties: areaPropertiesSchema,
});
export type AreaFeature = z.infer<typeof areaFeatureSchema>;

export const areasSchema = z.looseObject({
  type: z.literal('FeatureCollection'),
  features: z.array(areaFeatureSchema),
});
export type Areas = z.infer<typeof areasSchema>;
