// Reads an indicator's series from its rollup, optionally re-bucketed to coarser windows with the view's own merge rule.
import type { Connection } from '../db.ts';
import { EngineError } from '../errors.ts';
import { hanoiWindowStartSql, inStringsSql, mergedValueSql, stringsParam, timestampParam } from '../sql/index.ts';
import type { Series } from '../../dashboards/shared/wire/index.ts';
import { parseDuration, type ViewDef } from './definition.ts';
import type { StoredRow } from './present.ts';
import type { Rollups } from './rollups.ts';

export interface SeriesQuery {
  area?: string | undefined;
  /** Only the rows of these areas (one level's codes). */
  areas?: readonly string[] | undefined;
  from: number;
  to: number;
  bucket?: string | undefined;
  /** Only the windows whose row changed at or after this moment (a wall resynchronising after a failover). */
  since?: number | undefined;
}

const MAX_ROWS = 200_000;

export async function readSeries(
  conn: Connection,
  /** With `removedSince`, a read of the changes since a moment also answers the windows deleted since. */
  rollups: Pick<Rollups, 'present' | 'watermarks'> & Partial<Pick<Rollups, 'removedSince'>>,
  v: ViewDef,
  q: SeriesQuery,
): Promise<Series> {
  const where =
    `t >= $from::TIMESTAMPTZ AND t < $to::TIMESTAMPTZ${q.area ? ' AND area = $area' : ''}` +
    (q.areas ? ` AND ${inStringsSql('area', 'areas')}` : '') +
    (q.since !== undefined ? ' AND updated_at >= $since::TIMESTAMPTZ' : '');
  const params = {
    from: timestampParam(q.from),
    to: timestampParam(q.to),
    ...(q.area ? { area: q.area } : {}),
    ...(q.areas ? { areas: stringsParam(q.areas) } : {}),
    ...(q.since !== undefined ? { since: timestampParam(q.since) } : {}),
  };
  let bucketMs = v.windowMs;
  let sql = `SELECT epoch_ms(t) AS t, area, value, n, late, sources, epoch_ms(updated_at) AS updated_at FROM ${v.name} WHERE ${where} ORDER BY t, area LIMIT ${MAX_ROWS}`;
  if (q.bucket) {
    const ms = parseDuration(q.bucket);
    if (ms === null || ms < v.windowMs || ms % v.windowMs !== 0) {
      throw new EngineError(
        'bad_request',
        `field "bucket": must be a duration that is a multiple of the indicator's window (${v.window}), e.g. 1h or 1d`,
      );
    }
    bucketMs = ms;
    // Hanoi-day alignment, as the rollups themselves use.
    const b = hanoiWindowStartSql('t', ms);
    sql = `SELECT epoch_ms(${b}) AS t, area, ${mergedValueSql(v.merge)} AS value, sum(n) AS n, sum(late) AS late, max(sources) AS sources,
      epoch_ms(max(updated_at)) AS updated_at
      FROM ${v.name} WHERE ${where} GROUP BY ${b}, area ORDER BY t, area LIMIT ${MAX_ROWS}`;
  }
  const rows = await conn.objects<StoredRow>(sql, params);
  const bucketView = { ...v, windowMs: bucketMs };
  const watermark = rollups.watermarks.watermark(v.source, v.latenessMs);
  return {
    name: v.name,
    unit: v.unit,
    window: v.window,
    bucket: q.bucket ?? v.window,
    watermark: watermark === null ? null : new Date(watermark).toISOString(),
    // Windows deleted since come first, marked removed: one written again after its deletion follows and wins.
    rows: [
      ...(q.since !== undefined && !q.bucket && rollups.removedSince
        ? rollups
            .removedSince(v, { since: q.since, from: q.from, to: q.to })
            .filter((r) => (!q.area || r.area === q.area) && (!q.areas || q.areas.includes(r.area)))
        : []),
      ...rows.map((r) => rollups.present(bucketView, r)),
    ],
  };
}
