// `incident_log`: every change to an incident, with who made it (the token's name, or `engine` for what the alerts
// did) and when, for analysts and for the briefing's incident times; and the incident columns the room added.
import type { Connection } from '../db.ts';
import { timestampParam } from '../sql/index.ts';

export async function createIncidentLog(conn: Connection): Promise<void> {
  for (const column of [
    'severity VARCHAR',
    'origin VARCHAR',
    'opened_by VARCHAR',
    'description VARCHAR',
    'lat DOUBLE',
    'lon DOUBLE',
    'assignee VARCHAR',
    'escalated_at TIMESTAMPTZ',
    'summary VARCHAR',
    'resolved_by VARCHAR',
  ])
    await conn.run(`ALTER TABLE incidents ADD COLUMN IF NOT EXISTS ${column}`);
  await conn.run(`CREATE TABLE IF NOT EXISTS incident_log (
    changed_at TIMESTAMPTZ NOT NULL, incident_id VARCHAR NOT NULL, action VARCHAR NOT NULL, changed_by VARCHAR NOT NULL,
    detail JSON)`);
}

export async function logIncident(
  conn: Connection,
  id: string,
  action: string,
  by: string,
  at: number,
  detail: Record<string, unknown> | null = null,
): Promise<void> {
  await conn.run(`INSERT INTO incident_log VALUES ($at::TIMESTAMPTZ, $id, $action, $by, $detail::JSON)`, {
    at: timestampParam(at),
    id,
    action,
    by,
    detail: detail === null ? null : JSON.stringify(detail),
  });
}
