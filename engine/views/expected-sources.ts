// Who a window should have heard from: the sources of each kind seen in the last week, per area and city-wide (the
// areas named as the views name them).
import type { Connection } from '../db.ts';
import { AREA_SQL, PARENTS_TABLE } from './view-sql.ts';

export class ExpectedSources {
  /** Registered sources per `family/kind|area` (and `|hanoi` for the city). */
  private counts = new Map<string, number>();

  /** Sources of a view's kind (`camera`, `sensor/<kind>`, `service`) known in the area; 0 when none. */
  count(devices: string, area: string): number {
    return this.counts.get(`${devices}|${area}`) ?? 0;
  }

  /** Recounts the sources seen in the last 7 days, per kind and area (wards, their districts, the city). */
  async refresh(conn: Connection): Promise<void> {
    const rows = await conn.objectsPlanned<{ k: string; area: string | null; n: number }>(`
      WITH d AS (SELECT CASE family WHEN 'sensor' THEN 'sensor/' || kind ELSE family END AS k, area
                 FROM devices WHERE last_seen >= now() - INTERVAL 7 DAY)
      SELECT k, ${AREA_SQL} AS area, count(*) AS n FROM d GROUP BY GROUPING SETS ((k, area), (k))
      UNION ALL
      SELECT k, p.parent AS area, count(*) AS n FROM d JOIN ${PARENTS_TABLE} p ON p.code = d.area GROUP BY ALL`);
    this.counts = new Map(rows.map((r) => [`${r.k}|${r.area}`, r.n]));
  }
}
