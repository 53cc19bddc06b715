// The HTTP API of the contract (section 5): health, indicators, areas, devices, analysts' SQL.
import { Hono } from 'hono';
import { z } from 'zod';
import { GRANTS, publicRoute, requireRole, type AccessEnv } from '../access/index.ts';
import { EngineError } from '../errors.ts';
import { parseDuration } from '../views/index.ts';
import { readSeries } from '../views/series.ts';
import { FAMILY_DEFS, FAMILIES } from '../schema/index.ts';
import { CITY, LEVELS } from '../geo/index.ts';
import type { ServeContext } from './context.ts';
import { backupRoutes } from './backup.ts';
import { basemapRoutes } from './basemap.ts';
import { briefingRoutes } from './briefing.ts';
import { layerRoutes } from './layers.ts';
import { devicesAt, DevicesQuery } from './devices-at.ts';
import { sqlRoutes } from './sql.ts';
import { alertRoutes } from './alerts.ts';
import { registryRoutes } from './registry.ts';
import { viewRoutes } from './views.ts';
import { ruleRoutes } from './rules.ts';
import { openRoutes } from './open.ts';
import { trustRoutes } from './trust.ts';
import { isoTime, validate } from './validate.ts';
import type { Health } from '../../dashboards/shared/wire/index.ts';
import { emailHealth } from '../notify/index.ts';
import type { Engines } from '../../dashboards/shared/wire/engines.ts';

/** The lateness views get unless they say otherwise: the health page's watermark uses it. */
const DEFAULT_LATENESS_MS = 120_000;
/** Re-bucketing from the finest window (1m) to a year: coarser buckets tell nothing more and only test the SQL's arithmetic. */
const BUCKET_MIN_MS = 60_000;
const BUCKET_MAX_MS = 366 * 86_400_000;
const BUCKET_RULE = 'must be a duration from 1m to 366d, such as 15m, 1h or 1d';
const bucket = z.string().refine((s) => {
  const ms = /^\d+[smhd]$/.test(s) ? parseDuration(s) : null;
  return ms !== null && ms >= BUCKET_MIN_MS && ms <= BUCKET_MAX_MS;
}, BUCKET_RULE);
const SeriesQuery = z.object({
  area: z
    .string()
    .min(1)
    .max(64)
    .regex(/^[\w-]+$/, 'must be an area code such as hoan_kiem, former_ba_dinh or hanoi')
    .optional(),
  level: z.enum(['ward', 'district', 'city']).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  bucket: bucket.optional(),
  /** Only the windows changed at or after this moment (a wall resynchronising after a failover). */
  since: isoTime.optional(),
});

const AreasQuery = z.object({ level: z.enum(LEVELS).optional() });

/** Analysts' queries running and waiting, and how far behind their replica is. */
function sqlHealth(ctx: ServeContext): Health['sql'] {
  const { running, queued } = ctx.sandbox.stats;
  const r = ctx.replica?.();
  return {
    running,
    queued,
    ...(r
      ? { replica: { steps: r.steps, failures: r.failures, ageMs: r.lastStepAt ? Date.now() - r.lastStepAt : null } }
      : {}),
  };
}

export function apiRoutes(ctx: ServeContext): Hono<AccessEnv> {
  const api = new Hono<AccessEnv>();
  // The rows of each level: the wards (not `outside` or `unassigned`, which are no place), the districts, the city.
  const levelCodes = new Map<'ward' | 'district' | 'city', readonly string[]>([
    ['ward', ctx.areas.areas.map((a) => a.code)],
    ['district', ctx.areas.districts.map((a) => a.code)],
    ['city', [CITY]],
  ]);
  // Read per request: views are made and removed while the engine runs.
  const catalogue = () =>
    ctx.views
      .filter((v) => !v.hidden)
      .map((v) => ({
        name: v.name,
        title: v.title,
        unit: v.unit,
        window: v.window,
        keys: v.keys,
        theme: v.theme,
        source: v.source,
        target: v.target ?? null,
        direction: v.direction,
        scale: v.scale ?? null,
        merge: v.merge,
        devices: v.devices ?? null,
        thresholds: { warn: v.thresholds?.warn ?? null, alert: v.thresholds?.alert ?? null },
        description: v.description ?? null,
      }));
  const byName = { get: (name: string) => ctx.views.find((v) => v.name === name && !v.hidden) };

  api.get('/health', publicRoute, async (c) => {
    // Kept planned: load balancers and monitors ask for it every few seconds, a catching-up replica's watcher far more.
    const counts = await ctx.reader.objectsPlanned<Record<string, number>>(
      `SELECT ${FAMILIES.map((f) => `(SELECT count(*) FROM ${FAMILY_DEFS[f].table}) AS ${FAMILY_DEFS[f].table}`).join(', ')}, (SELECT count(*) FROM dead_letters) AS dead_letters`,
    );
    const ingest = ctx.ingest();
    const rows = counts[0] ?? {};
    const health: Health = {
      status: 'ok',
      uptimeS: Math.round((Date.now() - ctx.startedAt) / 1000),
      simulated: ctx.simulated?.() ?? false,
      rows: Object.fromEntries(FAMILIES.map((f) => [FAMILY_DEFS[f].table, rows[FAMILY_DEFS[f].table] ?? 0])),
      deadLetters: rows.dead_letters ?? 0,
      ingest: {
        lagMs: ingest.lagMs,
        messages: ingest.messages,
        stored: ingest.stored,
        duplicates: ingest.duplicates,
        deadLetters: ingest.deadLetters,
        batches: ingest.batches,
        lastFlushMs: Math.round(ingest.lastFlushMs * 10) / 10,
        pendingRows: ingest.pendingRows,
        lastCommitAt: ingest.lastCommitAt ? new Date(ingest.lastCommitAt).toISOString() : null,
        storage: {
          ...ingest.storage,
          failingSince:
            ingest.storage.failingSince === null ? null : new Date(ingest.storage.failingSince).toISOString(),
        },
      },
      views: ctx.rollups(),
      // Event-time progress per family: the newest committed event time and how far it trails the clock.
      eventTime: Object.fromEntries(
        FAMILIES.map((f) => {
          const newest = ctx.indicators.watermarks.newestTs(f);
          const watermark = ctx.indicators.watermarks.watermark(f, DEFAULT_LATENESS_MS);
          return [
            f,
            {
              newest: newest === null ? null : new Date(newest).toISOString(),
              watermark: watermark === null ? null : new Date(watermark).toISOString(),
              lagMs: newest === null ? null : Date.now() - newest,
            },
          ];
        }),
      ),
      sources: ctx.sources(),
      replica: ctx.replicaState(),
      sql: sqlHealth(ctx),
      email: ctx.email?.() ?? emailHealth(null),
    };
    return c.json(health);
  });
  // For load balancers and walls choosing a replica: 200 once caught up with the stream, 503 (with the lag) before.
  api.get('/ready', publicRoute, (c) => {
    const replica = ctx.replicaState();
    return c.json(replica, replica.ready ? 200 : 503);
  });

  api.get('/indicators', requireRole(...GRANTS.read), (c) =>
    c.json({ indicators: catalogue(), rollupRetentionDays: ctx.config.retainRollupDays }),
  );

  api.get('/indicators/:name', requireRole(...GRANTS.read), validate('query', SeriesQuery), async (c) => {
    const name = c.req.param('name');
    const gone = () => new EngineError('not_found', `no indicator named "${name}"; GET /api/indicators lists them`);
    const view = byName.get(name);
    if (!view) throw gone();
    // A view deleted at run time while this read ran: its SQL view went with it, maybe before the catalogue let go of
    // it (DuckDB's own catalogue says which).
    const orGone = async (err: unknown): Promise<never> => {
      if (!byName.get(name)) throw gone();
      const [kept] = await ctx.reader
        .objects(`SELECT 1 FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal AND view_name = $name`, {
          name,
        })
        .catch(() => [1]);
      throw kept ? err : gone();
    };
    const q = c.req.valid('query');
    const to = q.to ?? Date.now();
    const from = q.from ?? to - 6 * 3_600_000;
    if (from >= to) throw new EngineError('bad_request', 'field "from" must be before "to"');
    const areas = q.level === undefined ? undefined : levelCodes.get(q.level);
    if (q.since !== undefined) {
      // A re-bucketed window mixes changed and unchanged ones: its value would be wrong.
      if (q.bucket) throw new EngineError('bad_request', 'field "since": cannot be combined with "bucket"');
      const series = await readSeries(ctx.reader, ctx.indicators, view, {
        area: q.area,
        areas,
        from,
        to,
        since: q.since,
      }).catch(orGone);
      return c.json({ ...series, since: new Date(q.since).toISOString() });
    }
    return c.json(
      await readSeries(ctx.reader, ctx.indicators, view, { area: q.area, areas, from, to, bucket: q.bucket }).catch(
        orGone,
      ),
    );
  });

  // Public like the pages that read it: which replicas a wall may fail over to.
  api.get('/engines', publicRoute, (c) => c.json({ engines: ctx.config.engines } satisfies Engines));

  // The boundaries do not change while the engine runs: each level's JSON (up to 800 kB) is written once.
  const areasJson = new Map<string, string>();
  api.get('/areas', requireRole(...GRANTS.read), validate('query', AreasQuery), (c) => {
    const level = c.req.valid('query').level;
    const key = level ?? 'all';
    let text = areasJson.get(key);
    if (text === undefined) areasJson.set(key, (text = JSON.stringify(ctx.areas.featureCollection(level))));
    return c.body(text, 200, { 'content-type': 'application/json', 'cache-control': 'private, max-age=300' });
  });

  api.get('/devices', requireRole(...GRANTS.read), validate('query', DevicesQuery), async (c) => {
    const { at } = c.req.valid('query');
    const { devices, gone } = await devicesAt(ctx, at);
    return c.json(at === undefined ? { devices } : { devices, at: new Date(at).toISOString(), unknown: gone });
  });

  api.route('/briefing', briefingRoutes(ctx));
  api.route('/', layerRoutes(ctx));
  api.route('/', trustRoutes(ctx));
  api.route('/', basemapRoutes(ctx));
  api.route('/', registryRoutes(ctx.registry, ctx.areas, ctx.commands));
  if (ctx.backup) api.route('/backup', backupRoutes(ctx.backup));
  if (ctx.liveRules) api.route('/', ruleRoutes(ctx.liveRules, ctx.commands));
  if (ctx.liveViews) api.route('/', viewRoutes(ctx.liveViews, ctx.sandbox, ctx.commands));
  api.route('/', sqlRoutes(ctx.sandbox, ctx.commands, ctx.access?.sqlSlots));
  if (ctx.alerts) api.route('/', alertRoutes(ctx.alerts, ctx.commands, ctx.areas));
  if (ctx.open) api.route('/', openRoutes(ctx.open, ctx.commands));

  api.all('*', (c) => {
    throw new EngineError('not_found', `no route ${c.req.method} ${c.req.path}`);
  });
  return api;
}
