// The `security_agency_stats` view: each agency's cyber-security incidents per Hanoi day against Decision 6372's
// targets (detected within 1 h, resolved within 4 h), for the security operations centre and admins only (it is one
// of the security family's views in engine/schema).
import type { Connection } from '../db.ts';
import { hanoiDateSql } from '../sql/index.ts';
import { SECURITY_INCIDENTS_TABLE } from './security-incidents.ts';

/**
 * An incident is counted on two days, as the indicators count it: the day of its first report (incidents, false
 * positives, detection in 1 h, and those still open or critical and open now) and the day of its resolution (resolved
 * in 4 h of confirmation, or of the first report when never confirmed; hours to resolve from the first report).
 */
export async function createSecurityStatsView(conn: Connection): Promise<void> {
  const open = "status NOT IN ('resolved', 'false_positive')";
  await conn.run(`CREATE OR REPLACE VIEW security_agency_stats AS
    WITH reported AS (
      SELECT ${hanoiDateSql('detected_at')} AS day, agency, count(*) AS incidents,
             count(*) FILTER (WHERE status = 'false_positive') AS false_positives,
             count(*) FILTER (WHERE ${open}) AS open,
             count(*) FILTER (WHERE ${open} AND severity = 'critical') AS critical_open,
             100.0 * count(*) FILTER (WHERE detected_at - began_at <= INTERVAL 1 HOUR AND status <> 'false_positive')
               / nullif(count(*) FILTER (WHERE began_at IS NOT NULL AND status <> 'false_positive'), 0) AS detected_1h_pct
      FROM ${SECURITY_INCIDENTS_TABLE} GROUP BY ALL
    ),
    resolved AS (
      SELECT ${hanoiDateSql('resolved_at')} AS day, agency, count(*) AS resolved,
             100.0 * count(*) FILTER (WHERE resolved_at - coalesce(confirmed_at, detected_at) <= INTERVAL 4 HOUR)
               / count(*) AS resolved_4h_pct,
             avg(epoch(resolved_at - detected_at)) / 3600 AS mttr_hours
      FROM ${SECURITY_INCIDENTS_TABLE} WHERE resolved_at IS NOT NULL GROUP BY ALL
    )
    SELECT day, agency, coalesce(incidents, 0) AS incidents, coalesce(false_positives, 0) AS false_positives,
           coalesce(open, 0) AS open, coalesce(critical_open, 0) AS critical_open, round(detected_1h_pct, 2) AS detected_1h_pct,
           coalesce(resolved, 0) AS resolved, round(resolved_4h_pct, 2) AS resolved_4h_pct, round(mttr_hours, 2) AS mttr_hours
    FROM reported FULL JOIN resolved USING (day, agency)
    ORDER BY day, agency`);
}
