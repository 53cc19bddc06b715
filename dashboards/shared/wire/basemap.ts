// GET /api/basemap: the street base map the wall draws under its layers (BASEMAP_URL), or none.
import { z } from 'zod';

export const basemapKindSchema = z.enum(['raster', 'vector']);
export type BasemapKind = z.infer<typeof basemapKindSchema>;

export const basemapSchema = z.object({
  basemap: z
    .object({
      kind: basemapKindSchema,
      /** An XYZ template with {z}, {x} and {y}. */
      url: z.string(),
      attribution: z.string(),
      minZoom: z.number().int().min(0),
      maxZoom: z.number().int().min(0),
    })
    .nullable(),
});
export type BasemapAnswer = z.infer<typeof basemapSchema>;
export type Basemap = NonNullable<BasemapAnswer['basemap']>;
