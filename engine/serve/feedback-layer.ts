// The wall's layer of citizens' reports: reports received in a time range, counted per small cell of the map.
import { Hono } from 'hono';
import { z } from 'zod';
import { GRANTS, requireRole, type AccessEnv } from '../access/index.ts';
import { EngineError } from '../errors.ts';
import { FEEDBACK_CATEGORIES } from '../schema/feedback.ts';
import { timestampParam } from '../sql/index.ts';
import { FEEDBACK_OPEN } from '../store/feedback-by-category.ts';
import type { ServeContext } from './context.ts';
import { isoTime, validate } from './validate.ts';
import type { FeedbackCell, FeedbackLayer } from '../../dashboards/shared/wire/index.ts';

/**
 * Cells of a quarter of a hundredth of a degree (about 270 × 260 m in Hanoi): finer than the wall's finest hexagons,
 * so the browser bins them as it zooms, yet a month of a city's reports is a few thousand rows, not every report.
 */
const FEEDBACK_CELL_DEG = 0.0025;
const DAY_MS = 86_400_000;
const MAX_SPAN_MS = 31 * DAY_MS;

const FeedbackLayerQuery = z.object({
  from: isoTime.optional(),
  to: isoTime.optional(),
  category: z.enum(FEEDBACK_CATEGORIES).optional(),
  /** `open`: only the reports not yet resolved or rejected. */
  status: z.enum(['all', 'open']).default('all'),
});

export function feedbackLayerRoutes(ctx: ServeContext): Hono<AccessEnv> {
  const api = new Hono<AccessEnv>();

  api.get('/layers/feedback', requireRole(...GRANTS.read), validate('query', FeedbackLayerQuery), async (c) => {
    const q = c.req.valid('query');
    const to = q.to ?? Date.now();
    const from = q.from ?? to - DAY_MS;
    if (from >= to) throw new EngineError('bad_request', 'field "from" must be before "to"');
    if (to - from > MAX_SPAN_MS) throw new EngineError('bad_request', 'field "from": the range is at most 31 days');
    // A report sent by phone carries its position; one taken by the hotline or the web names only its ward, drawn at
    // the ward's centroid. Each cell sits at the mean of its reports, not its corner.
    const cells = await ctx.reader.objects<FeedbackCell>(
      `SELECT avg(lon) AS lon, avg(lat) AS lat, count(*)::INT AS reports, count(*) FILTER (WHERE open)::INT AS open
       FROM (
         SELECT coalesce(r.lon, a.centroid_lon) AS lon, coalesce(r.lat, a.centroid_lat) AS lat, r.${FEEDBACK_OPEN} AS open
         FROM feedback_reports r LEFT JOIN areas a ON a.code = r.area
         WHERE r.received_at >= $from::TIMESTAMPTZ AND r.received_at < $to::TIMESTAMPTZ
           AND ($category IS NULL OR r.category = $category) AND ($open = false OR r.${FEEDBACK_OPEN})
       )
       WHERE lon IS NOT NULL AND lat IS NOT NULL
       GROUP BY floor(lon / ${FEEDBACK_CELL_DEG}), floor(lat / ${FEEDBACK_CELL_DEG})
       ORDER BY reports DESC`,
      {
        from: timestampParam(from),
        to: timestampParam(to),
        category: q.category ?? null,
        open: q.status === 'open',
      },
    );
    return c.json({
      from: new Date(from).toISOString(),
      to: new Date(to).toISOString(),
      cellDeg: FEEDBACK_CELL_DEG,
      reports: cells.reduce((n, x) => n + x.reports, 0),
      cells,
    } satisfies FeedbackLayer);
  });

  return api;
}
