// The `feedback_by_category` view: citizens' reports per Hanoi day, area and category, for analysts and the briefing.
import type { Connection } from '../db.ts';
import { hanoiDateSql } from '../sql/index.ts';
import { FEEDBACK_REPORTS_TABLE } from './feedback-reports.ts';

/** A report's open while neither resolved nor rejected; a reopened one is open again. */
export const FEEDBACK_OPEN = "status NOT IN ('resolved', 'rejected')";

/**
 * Read from the folded reports, not the raw events: a report is counted on the day it came in (`received`, and
 * `backlog` for those of that day still open now) and on the day of its latest resolution (`resolved`, on time when
 * by its due time), so a report reopened and resolved again moves to its last resolution's day rather than counting
 * twice. Reports placed in no area are kept under 'unassigned', as the indicators keep them.
 */
export async function createFeedbackByCategoryView(conn: Connection): Promise<void> {
  await conn.run(`CREATE OR REPLACE VIEW feedback_by_category AS
    WITH reports AS (SELECT *, coalesce(area, 'unassigned') AS place FROM ${FEEDBACK_REPORTS_TABLE}),
    came AS (
      SELECT ${hanoiDateSql('received_at')} AS day, place, category, count(*) AS received,
             count(*) FILTER (WHERE ${FEEDBACK_OPEN}) AS backlog
      FROM reports GROUP BY ALL
    ),
    done AS (
      SELECT ${hanoiDateSql('resolved_at')} AS day, place, category, count(*) AS resolved,
             count(*) FILTER (WHERE resolved_at <= due_at) AS resolved_on_time
      FROM reports WHERE resolved_at IS NOT NULL GROUP BY ALL
    )
    SELECT day, place AS area, category, coalesce(received, 0) AS received, coalesce(resolved, 0) AS resolved,
           coalesce(resolved_on_time, 0) AS resolved_on_time, coalesce(backlog, 0) AS backlog
    FROM came FULL JOIN done USING (day, place, category)`);
}
