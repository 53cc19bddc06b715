// GET /api/trust: which feeds to chase. Per family, the sources reporting now and the silent ones (seen in the last
// day or registered in service, nothing since), and today's late, rejected and duplicated counts with the four
// scores of data_quality; and the agencies whose sources score worst today.
import { Hono } from 'hono';
import { GRANTS, requireRole, type AccessEnv } from '../access/index.ts';
import { hanoiToday } from '../briefing/index.ts';
import { SILENT_AFTER_MS } from '../query/devices.ts';
import { REGISTRY_TABLE } from '../registry/store.ts';
import { OPEN_FAMILIES } from '../schema/index.ts';
import { sqlString, timestampParam } from '../sql/index.ts';
import type { ServeContext } from './context.ts';
import type { Trust, TrustAgency, TrustFamily } from '../../dashboards/shared/wire/index.ts';

/** A source whose median delay from event to arrival today is at least this is late. */
const LATE_S = 60;
/** Agencies listed, worst first. */
const AGENCIES = 8;

/** Every wall asks once a minute; one answer serves them all for this long (data_quality reads every raw table). */
const FRESH_MS = 15_000;

export function trustRoutes(ctx: ServeContext): Hono<AccessEnv> {
  const api = new Hono<AccessEnv>();
  let cached: { at: number; body: Promise<Trust> } | null = null;
  api.get('/trust', requireRole(...GRANTS.read), async (c) => {
    const now = Date.now();
    if (!cached || now - cached.at >= FRESH_MS) {
      const body = readTrust(ctx, now);
      cached = { at: now, body };
      // A failed read is not kept: the next request tries again.
      body.catch(() => {
        if (cached?.body === body) cached = null;
      });
    }
    return c.json(await cached.body);
  });
  return api;
}

async function readTrust(ctx: ServeContext, now: number): Promise<Trust> {
  const day = hanoiToday(now);
  const params = {
    day,
    silentSince: timestampParam(now - SILENT_AFTER_MS),
    seenSince: timestampParam(now - 86_400_000),
  };
  const families = await ctx.reader.objects<TrustFamily>(
    `WITH fams AS (SELECT unnest([${OPEN_FAMILIES.map(sqlString).join(', ')}]) AS family),
       known AS (
         SELECT family, id, last_seen FROM devices WHERE last_seen >= $seenSince::TIMESTAMPTZ
         UNION ALL
         SELECT r.family, r.id, NULL FROM ${REGISTRY_TABLE} r
         ANTI JOIN devices d ON d.family = r.family AND d.id = r.id AND d.last_seen >= $seenSince::TIMESTAMPTZ
         WHERE r.maintenance = 'in_service'
       ),
       heard AS (
         SELECT family, count(*) FILTER (WHERE last_seen >= $silentSince::TIMESTAMPTZ)::INT AS reporting,
                count(*) FILTER (WHERE last_seen IS NULL OR last_seen < $silentSince::TIMESTAMPTZ)::INT AS silent
         FROM known GROUP BY family
       ),
       today AS (
         SELECT family, count(*) FILTER (WHERE lag_s >= ${LATE_S})::INT AS late, sum(received)::BIGINT AS received,
                sum(rejected)::BIGINT AS rejected, sum(duplicates)::BIGINT AS duplicates,
                round(avg(accuracy), 4) AS accuracy, round(avg(completeness), 4) AS completeness,
                round(avg(cleanliness), 4) AS cleanliness, round(avg(liveness), 4) AS liveness, round(avg(score), 4) AS score
         FROM data_quality WHERE day = $day::DATE GROUP BY family
       )
       SELECT f.family, coalesce(h.reporting, 0) AS reporting, coalesce(h.silent, 0) AS silent, coalesce(t.late, 0) AS late,
              coalesce(t.received, 0) AS received, coalesce(t.rejected, 0) AS rejected, coalesce(t.duplicates, 0) AS duplicates,
              t.accuracy, t.completeness, t.cleanliness, t.liveness, t.score
       FROM fams f LEFT JOIN heard h USING (family) LEFT JOIN today t USING (family)
       ORDER BY list_position([${OPEN_FAMILIES.map(sqlString).join(', ')}], f.family)`,
    params,
  );
  const agencies = await ctx.reader.objects<TrustAgency>(
    `SELECT agency, agency_name AS name, devices::INT AS devices, silent::INT AS silent, score
       FROM agency_quality WHERE day = $day::DATE ORDER BY score ASC NULLS FIRST, agency LIMIT ${AGENCIES}`,
    { day },
  );
  return {
    day,
    at: new Date(now).toISOString(),
    silentAfterMinutes: SILENT_AFTER_MS / 60_000,
    families: families.map((f) => ({
      ...f,
      received: Number(f.received),
      rejected: Number(f.rejected),
      duplicates: Number(f.duplicates),
    })),
    agencies,
  };
}
