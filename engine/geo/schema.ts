// The zod schema of an areas file: any GeoJSON FeatureCollection of Polygon/MultiPolygon features with a code and a
// name. Features are units events are assigned to (`level: "ward"`, the default), or a second level that groups them
// (`level: "district"`, each unit naming its own in `parent`), served alongside but never assigned to directly.
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

/** Codes the engine gives rows that are not an area of the file. */
export const RESERVED_CODES = ['hanoi', 'outside', 'unassigned'] as const;

export const LEVELS = ['ward', 'district'] as const;
export type Level = (typeof LEVELS)[number];

// Codes key rows, URLs and socket rooms: kept to what an operator can type and a URL carries as it is.
const code = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1 to 64 letters, digits, _ or - (such as hoan_kiem)')
  .refine((c) => !(RESERVED_CODES as readonly string[]).includes(c), {
    message: `is reserved (${RESERVED_CODES.join(', ')} name the city, points outside it and events with no place)`,
  });

// Loose: the shipped file carries population, GSO code and so on, and a supplied commune file has its own fields.
export const areaPropertiesSchema = z.looseObject({
  code,
  name: z.string().min(1),
  nameEn: z.string().optional(),
  kind: z.string().optional(),
  level: z.enum(LEVELS).optional(),
  parent: z.string().min(1).optional(),
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
    const levelOf = (i: number) => fc.features[i]!.properties.level ?? 'ward';
    if (!fc.features.some((_, i) => levelOf(i) === 'ward'))
      ctx.addIssue({
        code: 'custom',
        path: ['features'],
        message: 'no feature of level "ward": events need units to land in',
      });
    fc.features.forEach((f, i) => {
      const { parent, level } = f.properties;
      if (parent === undefined) return;
      const path = ['features', i, 'properties', 'parent'];
      const at = seen.get(parent);
      if ((level ?? 'ward') !== 'ward')
        ctx.addIssue({ code: 'custom', path, message: 'only a feature of level "ward" has a parent' });
      else if (at === undefined)
        ctx.addIssue({ code: 'custom', path, message: `"${parent}" is not the code of any feature of the file` });
      else if (levelOf(at) !== 'district')
        ctx.addIssue({ code: 'custom', path, message: `"${parent}" is not a feature of level "district"` });
    });
  });

export type Position = z.infer<typeof positionSchema>;
export type AreaGeometry = z.infer<typeof areaGeometrySchema>;
export type AreaProperties = z.infer<typeof areaPropertiesSchema>;
export type AreaFeature = z.infer<typeof areaFeatureSchema>;
export type AreasFile = z.infer<typeof areasFileSchema>;
