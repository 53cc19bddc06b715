// The `data_quality` view: every camera, sensor and agency scored per Hanoi day on the city's four tests of data:
// accurate (share of its messages that were valid), sufficient (share of the day's hours it reported in),
// clean (no duplicates, no rejects) and live (how soon its events arrive), and their mean as one score; `outside`
// counts its events placed outside every area (a device misplaced, or a position gone wrong). Each row names the
// agency the source belongs to: a camera's or sensor's owner from the registry, a public-service source's own agency.
// The `agency_quality` view scores each agency per day over its devices, a registered device in service that sent
// nothing all day counting as a zero: the registry is what makes a silent device visible at all.
import type { Connection } from '../db.ts';
import { FAMILY_DEFS, OPEN_FAMILIES } from '../schema/index.ts';
import { hanoiDateSql, hanoiHourSql } from '../sql/index.ts';
import { OUTSIDE } from '../geo/index.ts';
import { SOURCE_OF } from './devices.ts';
import { REGISTRY_TABLE } from '../registry/store.ts';

/** An event arriving within this delay counts as fully live; one an hour late, not at all. */
const LIVE_S = 60;
const STALE_S = 3600;

export async function createQualityView(conn: Connection): Promise<void> {
  const stored = OPEN_FAMILIES.map(
    (f) => `
    SELECT ${hanoiDateSql('ts')} AS day, '${f}' AS family, ${SOURCE_OF[f].id} AS id, count(*) AS stored,
           count(*) FILTER (WHERE area = '${OUTSIDE}') AS outside, count(DISTINCT ${hanoiHourSql('ts')}) AS hours, median(epoch(received_at) - epoch(ts)) AS lag_s
    FROM ${FAMILY_DEFS[f].table} GROUP BY ALL`,
  ).join('\nUNION ALL');
  await conn.run(`CREATE OR REPLACE VIEW data_quality AS
    WITH stored AS (${stored}),
    base AS (
      SELECT d.day, d.family, d.id, v.kind, v.area,
             CASE WHEN d.family = 'service' THEN d.id ELSE r.agency END AS agency, r.id IS NOT NULL AS registered,
             r.maintenance, d.received, coalesce(s.stored, 0) AS stored, coalesce(s.outside, 0) AS outside,
             greatest(d.received - coalesce(s.stored, 0), 0) AS duplicates, d.rejected, coalesce(s.hours, 0) AS hours, s.lag_s,
             -- Today only the hours so far can be expected.
             CASE WHEN d.day = ${hanoiDateSql('now()')} THEN ${hanoiHourSql('now()')} + 1 ELSE 24 END AS hours_expected
      FROM device_days d LEFT JOIN stored s USING (day, family, id) LEFT JOIN devices v USING (family, id)
        LEFT JOIN ${REGISTRY_TABLE} r ON r.id = d.id AND r.family = d.family
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
    SELECT day, family, id, kind, area, agency, registered, maintenance, received, stored, outside, duplicates, rejected, hours, lag_s,
           round(accuracy, 4) AS accuracy, round(completeness, 4) AS completeness, round(cleanliness, 4) AS cleanliness,
           round(liveness, 4) AS liveness, round((coalesce(accuracy, 0) + completeness + coalesce(cleanliness, 0) + liveness) / 4, 4) AS score
    FROM scored`);
}

export async function createAgencyQualityView(conn: Connection): Promise<void> {
  await conn.run(`CREATE OR REPLACE VIEW agency_quality AS
    WITH scored AS (
      -- A device its agency reported as off (maintenance, faulty, retired) is not held against it.
      SELECT day, agency, family, id, accuracy, completeness, cleanliness, liveness, score, false AS silent
      FROM data_quality WHERE agency IS NOT NULL AND coalesce(maintenance, 'in_service') = 'in_service'
    ),
    silent AS (
      SELECT d.day, r.agency, r.family, r.id, NULL::DOUBLE AS accuracy, 0.0 AS completeness, NULL::DOUBLE AS cleanliness,
             0.0 AS liveness, 0.0 AS score, true AS silent
      FROM (SELECT DISTINCT day FROM device_days) d
      JOIN ${REGISTRY_TABLE} r ON r.maintenance = 'in_service' AND (r.installed_on IS NULL OR r.installed_on <= d.day)
      ANTI JOIN device_days x ON x.day = d.day AND x.family = r.family AND x.id = r.id
    ),
    unioned AS (SELECT * FROM scored UNION ALL SELECT * FROM silent)
    SELECT u.day, u.agency, any_value(n.agency_name) AS agency_name, count(*) AS devices,
           count(*) FILTER (WHERE u.silent) AS silent,
           round(avg(u.accuracy), 4) AS accuracy, round(avg(u.completeness), 4) AS completeness,
           round(avg(u.cleanliness), 4) AS cleanliness, round(avg(u.liveness), 4) AS liveness, round(avg(u.score), 4) AS score
    FROM unioned u
    LEFT JOIN (SELECT agency, max(agency_name) AS agency_name FROM ${REGISTRY_TABLE} GROUP BY agency) n USING (agency)
    GROUP BY u.day, u.agency`);
}
