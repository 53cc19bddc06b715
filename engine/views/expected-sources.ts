// Who a window should have heard from: the sources of each kind seen in the last week, per area and city-wide (the
// areas named as the views name them), and per former district as the sum of its wards.
import type { Connection } from '../db.ts';
import { AREA_SQL } from './view-sql.ts';

export class ExpectedSources {
  /** Registered sources per `family/kind|area` (and `|hanoi` for the city). */
  private counts = new Map<string, number>();

  /** Sources of a view's kind (`camera`, `sensor/<kind>`, `service`) known in the area; 0 when none. */
  count(devices: string, area: string): number {
    return this.counts.get(`${devices}|${area}`) ?? 0;
  }

  /** Recounts the sources seen in the last 7 days, per kind and area (wards, their districts by `parents`, the city). */
  async refresh(conn: Connection, parents: ReadonlyMap<string, string>): Promise<void> {
    const rows = await conn.objectsPlanned<{ k: string; area: string; n: number }>(`
      SELECT CASE family WHEN 'sensor' THEN 'sensor/' || kind ELSE family END AS k, ${AREA_SQL} AS area, count(*)::INTEGER AS n
      FROM devices WHERE last_seen >= now() - INTERVAL 7 DAY GROUP BY GROUPING SETS ((k, area), (k))`);
    const counts = new Map<string, number>();
    for (const r of rows) {
      counts.set(`${r.k}|${r.area}`, r.n);
      // A device is in one ward, so a district's count is its wards' sum.
      const parent = parents.get(r.area);
      if (parent !== undefined) counts.set(`${r.k}|${parent}`, (counts.get(`${r.k}|${parent}`) ?? 0) + r.n);
    }
    this.counts = counts;
  }
}
