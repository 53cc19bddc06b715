// The open-data portal, for anyone and without a token: the catalogue page, its DCAT-AP JSON-LD, and each published
// dataset's rows. Nothing here reaches what is not published: names are checked against the publications, never
// used as paths, and every read runs in the analysts' sandbox through the dataset's own checked SQL.
import { createHash } from 'node:crypto';
import { Hono, type Context } from 'hono';
import { z } from 'zod';
import { publicRoute, type AccessEnv } from '../access/index.ts';
import { EngineError } from '../errors.ts';
import {
  cataloguePage,
  dcatCatalog,
  FORMAT_INFO,
  FORMATS,
  suppressionNote,
  type OpenData,
  type OpenFormat,
} from '../open/index.ts';
import type { Sandbox } from '../query/index.ts';
import { perAddress } from './address-rate.ts';
import { downloadResponse } from './open-download.ts';
import { validate } from './validate.ts';

const FILE = new RegExp(`^([a-z][a-z0-9_-]{1,63})\\.(${FORMATS.join('|')})$`);
const isoTime = z.iso
  .datetime({ offset: true, message: 'must be an ISO 8601 time with an offset, e.g. 2026-11-27T08:00:00+07:00' })
  .transform((s) => Date.parse(s));

export interface PortalOptions {
  open: OpenData;
  sandbox: Sandbox;
  ratePerMinute: number;
  /** OPEN_BASE_URL, else each request's own origin. */
  baseUrl: string | undefined;
  /** Whether a code names an area of the rollups (a ward, a former district, the city). */
  isArea: (code: string) => boolean;
}

export function portalRoutes(o: PortalOptions): Hono<AccessEnv> {
  const app = new Hono<AccessEnv>();
  const limited = perAddress(o.ratePerMinute, 'OPEN_RATE_PER_MIN');
  const base = (c: Context) => (o.baseUrl ?? new URL(c.req.url).origin).replace(/\/+$/, '');
  const DownloadQuery = z.strictObject({
    from: isoTime.optional(),
    to: isoTime.optional(),
    area: z
      .string()
      .regex(/^[a-z0-9_-]{1,64}$/, 'must be an area code such as hoan_kiem, former_ba_dinh or hanoi')
      .refine(o.isArea, 'is not an area of the city; GET /api/areas lists them')
      .optional(),
  });

  const page = async (c: Context) =>
    c.html(cataloguePage(await o.open.published(), base(c), o.open.minCount), 200, {
      'cache-control': 'public, max-age=60',
    });
  app.get('/open', publicRoute, limited, page);
  app.get('/open/', publicRoute, limited, page);

  app.get('/open/api/datasets', publicRoute, limited, async (c) =>
    c.body(JSON.stringify(dcatCatalog(await o.open.published(), base(c), o.open.minCount)), 200, {
      'content-type': 'application/ld+json; charset=utf-8',
      'cache-control': 'public, max-age=60',
      'access-control-allow-origin': '*',
    }),
  );

  app.get('/open/api/datasets/:file', publicRoute, limited, validate('query', DownloadQuery), async (c) => {
    const file = c.req.param('file');
    const m = FILE.exec(file);
    if (!m)
      throw new EngineError(
        'not_found',
        'no such open dataset: ask for <name>.csv, <name>.json or <name>.parquet of one listed at /open/api/datasets',
      );
    const [, name, format] = m as unknown as [string, string, OpenFormat];
    const d = await o.open.dataset(name);
    const range = c.req.valid('query');
    const plan = await o.open.prepare(d, range);
    const version = await o.open.version(plan.reads);
    const modifiedMs = Math.max(Date.parse(d.updatedAt), version.updatedMs ?? 0);
    const lastModified = new Date(Math.floor(modifiedMs / 1000) * 1000).toUTCString();
    const tag = createHash('sha256')
      .update(JSON.stringify([d.name, d.updatedAt, format, range, version, o.open.minCount, plan.sql]))
      .digest('base64url')
      .slice(0, 27);
    const etag = `"${tag}"`;
    const note = suppressionNote(o.open.minCount).en;
    const headers: Record<string, string> = {
      etag,
      'last-modified': lastModified,
      'cache-control': 'public, max-age=60',
      'access-control-allow-origin': '*',
      'x-min-count': String(o.open.minCount),
      'x-suppression': note,
    };
    if (notModified(c, etag, modifiedMs)) return c.body(null, 304, headers);
    // A HEAD asks whether it changed: nothing is read, nothing counted.
    if (c.req.method === 'HEAD') return c.body(null, 200, { ...headers, 'content-type': FORMAT_INFO[format].media });
    const res = await downloadResponse(o.sandbox, plan, format, {
      name: d.name,
      minCount: o.open.minCount,
      headers,
      signal: c.req.raw.signal,
    });
    await o.open.counted(d.name);
    return res;
  });

  return app;
}

/** If-None-Match wins over If-Modified-Since (RFC 9110 §13.2.2). */
function notModified(c: Context, etag: string, modifiedMs: number): boolean {
  const inm = c.req.header('if-none-match');
  if (inm !== undefined) return inm.trim() === '*' || inm.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
  const ims = c.req.header('if-modified-since');
  if (ims === undefined) return false;
  const since = Date.parse(ims);
  return Number.isFinite(since) && Math.floor(modifiedMs / 1000) * 1000 <= since;
}
