// The street base map under the wall's layers: the city's tile service or a PMTiles file, and the credit the wall
// gives it.
import { z } from 'zod';
import { basemapSource } from './url.ts';

export const BasemapSettings = z.object({
  basemapUrl: z
    .string()
    .refine((s) => basemapSource(s) !== null, {
      message:
        'must be an http:// or https:// XYZ tile URL with {z}, {x} and {y} ending .png, .jpg, .jpeg or .webp (raster) or .pbf or .mvt (vector tiles), e.g. https://tiles.example/{z}/{x}/{y}.png, or a .pmtiles file (a path or file:// URL)',
    })
    .optional()
    .meta({
      description:
        "the city's street base map drawn under the wall's layers: an XYZ URL with `{z}`, `{x}` and `{y}`, raster tiles when it ends `.png`, `.jpg` or `.webp`, vector tiles when it ends `.pbf` or `.mvt` (it must answer the wall's origin with CORS; the only other origin the pages may load from), or a `.pmtiles` file on the engine's disk (a path or `file://` URL) whose tiles the engine serves at `GET /api/basemap/{z}/{x}/{y}`. Unset: the offline ward outline, no tiles",
      shownDefault: 'unset',
    }),
  basemapAttribution: z.string().optional().meta({
    description:
      "the base map's credit shown on the wall beside the boundaries' (e.g. `© OpenStreetMap contributors`); unset: the tile service's host name, or the PMTiles file's name",
    shownDefault: 'unset',
  }),
});
