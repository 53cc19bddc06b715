// The `data_quality` view: every camera, sensor and agency scored per Hanoi day on the city's four tests of data:
// accurate (share of its messages that were valid), sufficient (share of the day's hours it reported in),
// clean (no duplicates, no rejects) and live (how soon its events arrive), and their mean as one score; `outside`
// counts its events placed outside every area (a device misplaced, or a position gone wrong).
import type { Connection } from '../db.ts';
import { FAMILIES, FAMILY_DEFS } from '../schema/index.ts';
import { hanoiDateSql, hanoiHourSql } from '../sql/index.ts';
import { OUTSIDE } from '../geo/index.ts';
import { SOURCE_OF } from './devices.ts';

/** An event arriving within this delay counts as fully live; one an hour late, not at all. */
const LIVE_S = 60;
const STALE_S = 3600;

export async function createQualityView(conn: Connection): Promise<void> {
  const stored = FAMILIES.map(
    (f) => `
    SELECT ${hanoiDateSql('ts')} AS day, '${f}' AS family, ${SOURCE_OF[f].id} AS id, count(*) AS stored,
           count(*) FILTER (WHERE area = '${OUTSIDE}') AS outside, count(DISTINCT ${hanoiHourSql('ts')}) AS hours, median(epoch(received_at) - epoch(ts)) AS lag_s
    FROM ${FAMILY_DEFS[f].table} GROUP BY ALL`,
  ).join('\nUNION ALL');
  await conn.run(`CREATE OR REPLACE VIEW data_quality AS
    WITH stored AS (${stored}),
    base AS (
      SELECT d.day, d.family, d.id, v.kind, v.area, d.received, coalesce(s.stored, 0) AS stored, coalesce(s.outside, 0) AS outside,
             greatest(d.received - coalesce(s.stored, 0), 0) AS duplicates, d.rejected, coalesce(s.hours, 0) AS hours, s.lag_s,
             -- Today only the hours so far can be expected.
             CASE WHEN d.day = ${hanoiDateSql('now()')} THEN ${hanoiHourSql('now()')} + 1 ELSE 24 END AS hours_expected
      FROM device_days d LEFT JOIN stored s USING (day, family, id) LEFT JOIN devices v USING (family, id)
    ),
    scored AS (
      SELECT *,
             received / nullif(received + rejected, 0) AS accuracy,
             least(1.0, hours / hours_expected) AS completeness,
             1 - (duplicates + rejected) / nullif(received + rejected, 0) AS cleanliness,
             CASE WHEN lag_s IS NULL THEN 0 WHEN lag_s <= ${LIVE_S} THEN 1 WHEN lag_s >= ${STALE_S} THEN 0
                  ELSE 1 - (lag_s - ${LIVE_S}) / ${STALE_S - LIVE_S} END AS liveness
      FROM base
    )
    SELECT day, family, id, kind, area, received, stored, outside, duplicates, rejected, hours, lag_s,
           round(accuracy, 4) AS accuracy, round(completeness, 4) AS completeness, round(cleanliness, 4) AS cleanliness,
           round(liveness, 4) AS liveness, round((coalesce(accuracy, 0) + completeness + coalesce(cleanliness, 0) + liveness) / 4, 4) AS score
    FROM scored`);
}
