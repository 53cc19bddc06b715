// Reads an indicator's series from its rollup, optionally re-bucketed to coarser windows with the view's own merge rule.
import type { Connection } from '../db.ts';
import { EngineError } from '../errors.ts';
import { parseDuration, type ViewDef } from './definition.ts';
import type { IndicatorRow, Rollups } from './rollups.ts';

export interface SeriesQuery { area?: string | undefined; from: number; to: number; bucket?: string | undefined }
export interface Series { name: string; unit: string; window: string; bucket: string; watermark: string | null; rows: IndicatorRow[] }

const MAX_ROWS = 200_000;
const lit = (ms: number): string => `TIMESTAMPTZ '${new Date(ms).toISOString()}'`;

export async function readSeries(conn: Connection, rollups: Pick<Rollups, 'present' | 'watermarks'>, v: ViewDef, q: SeriesQuery): Promise<Series> {
  const where = `t >= ${lit(q.from)} AND t < ${lit(q.to)}${q.area ? ` AND area = '${q.area}'` : ''}`;
  let bucketMs = v.windowMs;
  let sql = `SELECT epoch_ms(t) AS t, area, value, n, late, sources FROM ${v.name} WHERE ${where} ORDER BY t, area LIMIT ${MAX_ROWS}`;
  if (q.bucket) {
    const ms = parseDuration(q.bucket);
    if (ms === null || ms < v.windowMs || ms % v.windowMs !== 0) {
      throw new EngineError('bad_request', `field "bucket": must be a duration that is a multiple of the indicator's window (${v.window}), e.g. 1h or 1d`);
    }
    bucketMs = ms;
    const w = 'coalesce(weight, n)';
    const value = { sum: 'sum(value)', mean: `sum(value * ${w}) FILTER (WHERE value IS NOT NULL) / nullif(sum(${w}) FILTER (WHERE value IS NOT NULL), 0)`, max: 'max(value)', min: 'min(value)' }[v.merge];
    // Hanoi-day alignment, as the rollups themselves use.
    const b = `to_timestamp(((epoch_ms(t) + 25200000) // ${ms} * ${ms} - 25200000) / 1000)`;
    sql = `SELECT epoch_ms(${b}) AS t, area, ${value} AS value, sum(n) AS n, sum(late) AS late, max(sources) AS sources
      FROM ${v.name} WHERE ${where} GROUP BY ${b}, area ORDER BY t, area LIMIT ${MAX_ROWS}`;
  }
  const rows = await conn.objects<{ t: number; area: string; value: number | null; n: number; late: number; sources: number | null }>(sql);
  const bucketView = { ...v, windowMs: bucketMs };
  const watermark = rollups.watermarks.watermark(v.source, v.latenessMs);
  return {
    name: v.name, unit: v.unit, window: v.window, bucket: q.bucket ?? v.window,
    watermark: watermark === null ? null : new Date(watermark).toISOString(),
    rows: rows.map((r) => rollups.present(bucketView, r)),
  };
}
