// The zod schema of an areas file: any GeoJSON FeatureCollection of Polygon/MultiPolygon features with a code and a name.
import { z } from 'zod';

const lon = z.number().min(-180).max(180);
const lat = z.number().min(-90).max(90);

/** [lon, lat] with an optional altitude, which is ignored. */
export const positionSchema = z.tuple([lon, lat], z.number());

// RFC 7946 wants closed rings of four positions; files that leave rings open are still read (closed implicitly).
export const ringSchema = z.array(positionSchema).min(3, 'a ring needs at least 3 positions');

export const polygonSchema = z.object({
  type: z.literal('Polygon'),
  coordinates: z.array(ringSchema).min(1, 'a polygon needs an outer ring'),
});

export const multiPolygonSchema = z.object({
  type: z.literal('MultiPolygon'),
  coordinates: z.array(z.array(ringSchema).min(1, 'a polygon needs an outer ring')).min(1),
});

export const areaGeometrySchema = z.discriminatedUnion('type', [polygonSchema, multiPolygonSchema]);

// Loose: the shipped file carries population, GSO code and so on, and a supplied commune file has its own fields.
export const areaPropertiesSchema = z.looseObject({
  code: z.string().min(1),
  name: z.string().min(1),
  nameEn: z.string().optional(),
  kind: z.string().optional(),
});

export const areaFeatureSchema = z.looseObject({
  type: z.literal('Feature'),
  geometry: areaGeometrySchema,
  properties: areaPropertiesSchema,
});

export const areasFileSchema = z
  .looseObject({
    type: z.literal('FeatureCollection'),
    features: z.array(areaFeatureSchema).min(1, 'an areas file needs at least one feature'),
  })
  .superRefine((fc, ctx) => {
    // Codes key every row of every table, so two features sharing one would silently merge two places.
    const seen = new Map<string, number>();
    fc.features.forEach((f, i) => {
      const first = seen.get(f.properties.code);
      if (first === undefined) seen.set(f.properties.code, i);
      else
        ctx.addIssue({
          code: 'custom',
          path: ['features', i, 'properties', 'code'],
          message: `duplicate code "${f.properties.code}" (already used by features[${first}])`,
        });
    });
  });

export type Position = z.infer<typeof positionSchema>;
export type AreaGeometry = z.infer<typeof areaGeometrySchema>;
export type AreaProperties = z.infer<typeof areaPropertiesSchema>;
export type AreaFeature = z.infer<typeof areaFeatureSchema>;
export type AreasFile = z.infer<typeof areasFileSchema>;
