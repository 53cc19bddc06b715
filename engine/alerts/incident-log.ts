// `incident_log`: every change to an incident, with who made it (the token's name, or `engine` for what the alerts
// did) and when, for analysts and for the briefing's incident times; and the incident columns the room added.
import type { Connection } from '../db.ts';
import { jsonRowsSql, rowsParam, timestampParam } from '../sql/index.ts';

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
  await logIncidents(conn, [{ id, action, by, at, detail }]);
}

/** Several changes in one statement: what one evaluation of the alert rules did to many incidents. */
export async function logIncidents(
  conn: Connection,
  entries: readonly { id: string; action: string; by: string; at: number; detail: Record<string, unknown> | null }[],
): Promise<void> {
  if (entries.length === 0) return;
  const rows = entries.map((e) => ({
    changed_at: timestampParam(e.at),
    incident_id: e.id,
    action: e.action,
    changed_by: e.by,
    detail: e.detail === null ? null : JSON.stringify(e.detail),
  }));
  const columns = {
    changed_at: 'VARCHAR',
    incident_id: 'VARCHAR',
    action: 'VARCHAR',
    changed_by: 'VARCHAR',
    detail: 'VARCHAR',
  } as const;
  await conn.run(
    `INSERT INTO incident_log SELECT changed_at::TIMESTAMPTZ, incident_id, action, changed_by, detail::JSON
    FROM ${jsonRowsSql('rows', columns)}`,
    { rows: rowsParam(rows) },
  );
}
