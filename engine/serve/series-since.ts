// The windows of one indicator changed since a moment (their rollup row's `updated_at`): what a wall that lost its
// engine asks the next one for, so nothing that changed while it was switching is missed.
import type { Connection } from '../db.ts';
import { timestampParam } from '../sql/index.ts';
import type { Rollups, ViewDef } from '../views/index.ts';
import type { StoredRow } from '../views/present.ts';
import type { ChangedSeries } from '../../dashboards/shared/wire/changes.ts';

export interface SinceQuery {
  since: number;
  from: number;
  to: number;
  area?: string | undefined;
}

/** As GET /api/indicators/:name caps a series. */
const MAX_ROWS = 200_000;

export async function readChangedSince(
  conn: Connection,
  rollups: Pick<Rollups, 'present' | 'watermarks'>,
  v: ViewDef,
  q: SinceQuery,
): Promise<ChangedSeries> {
  const rows = await conn.objects<StoredRow & { updated_at: number }>(
    `SELECT epoch_ms(t) AS t, area, value, n, late, sources, epoch_ms(updated_at) AS updated_at FROM ${v.name}
     WHERE updated_at >= $since::TIMESTAMPTZ AND t >= $from::TIMESTAMPTZ AND t < $to::TIMESTAMPTZ${q.area ? ' AND area = $area' : ''}
     ORDER BY t, area LIMIT ${MAX_ROWS}`,
    {
      since: timestampParam(q.since),
      from: timestampParam(q.from),
      to: timestampParam(q.to),
      ...(q.area ? { area: q.area } : {}),
    },
  );
  const watermark = rollups.watermarks.watermark(v.source, v.latenessMs);
  return {
    name: v.name,
    unit: v.unit,
    window: v.window,
    bucket: v.window,
    watermark: watermark === null ? null : new Date(watermark).toISOString(),
    since: new Date(q.since).toISOString(),
    rows: rows.map((r) => ({ ...rollups.present(v, r), updatedAt: new Date(r.updated_at).toISOString() })),
  };
}
