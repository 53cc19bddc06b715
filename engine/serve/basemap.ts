// The street base map: GET /api/basemap tells the wall what to draw under its layers (BASEMAP_URL,
// BASEMAP_ATTRIBUTION); GET /api/basemap/{z}/{x}/{y} serves the tiles of a PMTiles file, and only of that file.
import { Hono } from 'hono';
import { z } from 'zod';
import { GRANTS, requireRole, type AccessEnv } from '../access/index.ts';
import { openPmtiles, type PmtilesArchive } from '../basemap/pmtiles-file.ts';
import { basemapSource } from '../basemap/url.ts';
import { EngineError } from '../errors.ts';
import type { BasemapAnswer } from '../../dashboards/shared/wire/basemap.ts';
import type { ServeContext } from './context.ts';
import { errorResponse } from './errors.ts';
import { validate } from './validate.ts';

/**
 * The zooms a city tile service usually has: raster tiles to street level; vector tiles are cut to 14 and drawn
 * larger beyond it, which is what the wall does with them.
 */
const ZOOMS = { raster: { minZoom: 0, maxZoom: 19 }, vector: { minZoom: 0, maxZoom: 14 } } as const;
const PMTILES_ROUTE = '/api/basemap/{z}/{x}/{y}';
/** PMTiles addresses tiles to zoom 26 at most. */
const MAX_ZOOM = 26;

const coordinate = (max: number) =>
  z
    .string()
    .regex(/^\d{1,8}$/, `must be a whole number from 0 to ${max}`)
    .transform(Number)
    .refine((n) => n <= max, `must be a whole number from 0 to ${max}`);
const TilePath = z
  .object({ z: coordinate(MAX_ZOOM), x: coordinate(2 ** MAX_ZOOM - 1), y: coordinate(2 ** MAX_ZOOM - 1) })
  .superRefine((t, ctx) => {
    for (const axis of ['x', 'y'] as const)
      if (t[axis] >= 2 ** t.z)
        ctx.addIssue({ code: 'custom', path: [axis], message: `must be below ${2 ** t.z} at zoom ${t.z}` });
  });

export function basemapRoutes(ctx: Pick<ServeContext, 'config'>): Hono<AccessEnv> {
  const routes = new Hono<AccessEnv>();
  const { basemapUrl, basemapAttribution } = ctx.config;
  const source = basemapUrl ? basemapSource(basemapUrl) : null;
  // Read on the first request, once: a file that cannot be read fails that request, and the next tries again.
  let archive: Promise<PmtilesArchive> | null = null;
  const pmtiles = (): Promise<PmtilesArchive> => {
    if (source?.type !== 'pmtiles') throw new EngineError('not_found', 'no PMTiles base map is configured');
    archive ??= openPmtiles(source.path).catch((err: unknown) => {
      archive = null;
      throw err;
    });
    return archive;
  };
  const readers = requireRole(...GRANTS.read);

  routes.get('/basemap', readers, async (c) => {
    if (!source) return c.json({ basemap: null } satisfies BasemapAnswer);
    if (source.type === 'xyz')
      return c.json({
        basemap: {
          kind: source.kind,
          url: source.url,
          attribution: basemapAttribution ?? new URL(source.url).host,
          ...ZOOMS[source.kind],
        },
      } satisfies BasemapAnswer);
    const file = await pmtiles();
    return c.json({
      basemap: {
        kind: file.kind,
        url: PMTILES_ROUTE,
        attribution: basemapAttribution ?? file.name,
        minZoom: file.minZoom,
        maxZoom: file.maxZoom,
      },
    } satisfies BasemapAnswer);
  });

  routes.get('/basemap/:z/:x/:y', readers, validate('param', TilePath), async (c) => {
    const { z: zoom, x, y } = c.req.valid('param');
    const file = await pmtiles();
    const bytes = await file.tile(zoom, x, y);
    if (!bytes) return errorResponse(c, 404, 'not_found', `no tile ${zoom}/${x}/${y} in ${file.name}`);
    return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { 'content-type': file.contentType });
  });
  return routes;
}
