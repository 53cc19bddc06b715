// The state of every citizen report, folded from its events in each batch's transaction (as dossiers are): what the
// backlog and on-time indicators read, and what outlives the raw events (a report can stay open for weeks).
import type { Connection } from '../db.ts';
import { knownOf, newerOf, utcOfMs as TS } from './fold-sql.ts';

export const FEEDBACK_REPORTS_TABLE = 'feedback_reports';

const newer = (c: string) => newerOf(FEEDBACK_REPORTS_TABLE, c);
const known = (c: string) => knownOf(FEEDBACK_REPORTS_TABLE, c);

export async function createFeedbackReportTable(conn: Connection): Promise<void> {
  await conn.run(`CREATE TABLE IF NOT EXISTS ${FEEDBACK_REPORTS_TABLE} (
    report_id VARCHAR PRIMARY KEY, category VARCHAR NOT NULL, channel VARCHAR, area VARCHAR, lat DOUBLE, lon DOUBLE,
    unit VARCHAR, received_at TIMESTAMPTZ NOT NULL, due_at TIMESTAMPTZ, status VARCHAR NOT NULL,
    status_ts TIMESTAMPTZ NOT NULL, resolved_at TIMESTAMPTZ, reopened_at TIMESTAMPTZ, rating INTEGER)`);
}

/**
 * `received_at` is the report's first event; `resolved_at` its latest resolution (a reopened report resolved again
 * counts from the second), `reopened_at` its latest reopening. Every column is a function of the set of events, so a
 * batch's repeats (folded before dedup drops them) and any order of arrival give the same row.
 */
export async function recordFeedbackReports(conn: Connection, stage: string): Promise<void> {
  await conn.runPlanned(`INSERT INTO ${FEEDBACK_REPORTS_TABLE}
    SELECT report_id, arg_max(category, ts), arg_min(channel, ts), arg_max(area, ts) FILTER (WHERE area IS NOT NULL),
           arg_max(lat, ts) FILTER (WHERE lat IS NOT NULL), arg_max(lon, ts) FILTER (WHERE lon IS NOT NULL),
           arg_max(unit, ts) FILTER (WHERE unit IS NOT NULL), ${TS('min(ts)')},
           ${TS('arg_max(due_at, ts) FILTER (WHERE due_at IS NOT NULL)')}, arg_max(status, ts), ${TS('max(ts)')},
           ${TS("max(ts) FILTER (WHERE status = 'resolved')")}, ${TS("max(ts) FILTER (WHERE status = 'reopened')")},
           arg_max(rating, ts) FILTER (WHERE rating IS NOT NULL)
    FROM ${stage} GROUP BY report_id
    ON CONFLICT (report_id) DO UPDATE SET
      category = ${newer('category')}, channel = CASE WHEN excluded.received_at < feedback_reports.received_at THEN excluded.channel
        ELSE feedback_reports.channel END,
      area = ${known('area')}, lat = ${known('lat')}, lon = ${known('lon')}, unit = ${known('unit')},
      received_at = least(feedback_reports.received_at, excluded.received_at), due_at = ${known('due_at')},
      status = ${newer('status')}, status_ts = greatest(feedback_reports.status_ts, excluded.status_ts),
      resolved_at = CASE WHEN feedback_reports.resolved_at IS NULL THEN excluded.resolved_at
        WHEN excluded.resolved_at IS NULL THEN feedback_reports.resolved_at
        ELSE greatest(feedback_reports.resolved_at, excluded.resolved_at) END,
      reopened_at = CASE WHEN feedback_reports.reopened_at IS NULL THEN excluded.reopened_at
        WHEN excluded.reopened_at IS NULL THEN feedback_reports.reopened_at
        ELSE greatest(feedback_reports.reopened_at, excluded.reopened_at) END,
      rating = ${known('rating')}`);
}
