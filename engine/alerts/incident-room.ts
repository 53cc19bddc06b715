// The incident room's actions: an incident opened by hand (a phone call, a field report), and an operator's changes
// to any incident (acknowledge, escalate, assign, note, resolve with a closing summary). Every change, and who made
// it as the token says, goes into `incident_log`, which analysts query.
import { z } from 'zod';
import type { Connection } from '../db.ts';
import { EngineError } from '../errors.ts';
import { PlainText } from '../schema/common.ts';
import { timestampParam } from '../sql/index.ts';
import { checklist, findIncident } from './incidents.ts';
import type { Incident } from './store.ts';
import { SEVERITIES } from './rule.ts';
import { logIncident } from './incident-log.ts';
import { INCIDENT_TYPES } from '../../dashboards/shared/wire/index.ts';

/** Kept with the wire schemas: the pages' report form lists the same types. */
export { INCIDENT_TYPES };

export const IncidentOpen = z.object({
  id: z.string().min(1).max(128),
  type: z.enum(INCIDENT_TYPES),
  severity: z.enum(SEVERITIES),
  area: z.string().min(1).max(64),
  lat: z.number().min(-90).max(90).nullable(),
  lon: z.number().min(-180).max(180).nullable(),
  description: PlainText.min(1).max(2000),
});
export type IncidentOpen = z.infer<typeof IncidentOpen>;

export const IncidentChange = z.object({
  status: z.enum(['acknowledged', 'escalated', 'resolved']).optional(),
  /** The agency or ward unit that handles it; null takes the assignment back. */
  assignee: PlainText.min(1).max(128).nullable().optional(),
  note: PlainText.min(1).max(2000).optional(),
  /** The closing summary: required to resolve. */
  summary: PlainText.min(1).max(4000).optional(),
});
export type IncidentChange = z.infer<typeof IncidentChange>;

/** Opens an incident reported by a person: detected (and its evidence) when they reported it. */
export async function openIncident(conn: Connection, o: IncidentOpen, by: string, at: number): Promise<Incident> {
  if (await findIncident(conn, o.id)) throw new EngineError('conflict', `incident "${o.id}" exists already`);
  const now = timestampParam(at);
  await conn.run(
    `INSERT INTO incidents (id, type, area, status, evidence_since, detected_at, checklist, updated_at, severity, origin,
       opened_by, description, lat, lon)
     VALUES ($id, $type, $area, 'open', $now::TIMESTAMPTZ, $now::TIMESTAMPTZ, $checklist::JSON, $now::TIMESTAMPTZ,
       $severity, 'manual', $by, $description, $lat, $lon)`,
    { ...o, now, by, checklist: await checklist(conn, o.type) },
  );
  await logIncident(conn, o.id, 'opened', by, at, {
    type: o.type,
    severity: o.severity,
    area: o.area,
    description: o.description,
  });
  return (await findIncident(conn, o.id))!;
}

/** An operator's change: each part applied and logged; a resolved incident takes notes only. */
export async function changeIncident(
  conn: Connection,
  id: string,
  change: IncidentChange,
  by: string,
  at: number,
): Promise<Incident> {
  const incident = await findIncident(conn, id);
  if (!incident) throw new EngineError('not_found', `no incident "${id}"`);
  const resolved = incident.status === 'resolved';
  if (resolved && (change.status !== undefined || change.assignee !== undefined || change.summary !== undefined))
    throw new EngineError('conflict', `incident "${id}" is resolved: only a note can be added`);
  if (change.status === 'resolved' && change.summary === undefined)
    throw new EngineError('bad_request', 'field "summary": a closing summary is required to resolve an incident');
  if (change.summary !== undefined && change.status !== 'resolved')
    throw new EngineError('bad_request', 'field "summary": goes with status "resolved"');
  const now = timestampParam(at);
  if (change.assignee !== undefined) {
    await conn.run(`UPDATE incidents SET assignee = $assignee, updated_at = $now::TIMESTAMPTZ WHERE id = $id`, {
      assignee: change.assignee,
      now,
      id,
    });
    await logIncident(conn, id, change.assignee === null ? 'unassigned' : 'assigned', by, at, {
      assignee: change.assignee,
    });
  }
  if (change.status === 'acknowledged' || change.status === 'escalated') {
    // Acknowledging sets only acknowledged_at, which both share: DuckDB refuses a column assigned twice.
    const escalated = change.status === 'escalated' ? 'escalated_at = coalesce(escalated_at, $now::TIMESTAMPTZ),' : '';
    await conn.run(
      `UPDATE incidents SET ${escalated}
         status = CASE WHEN status = 'open' THEN 'acknowledged' ELSE status END,
         acknowledged_at = coalesce(acknowledged_at, $now::TIMESTAMPTZ), updated_at = $now::TIMESTAMPTZ
       WHERE id = $id`,
      { now, id },
    );
    await logIncident(conn, id, change.status, by, at);
  }
  if (change.note !== undefined) await logIncident(conn, id, 'note', by, at, { note: change.note });
  if (change.status === 'resolved') {
    await conn.run(
      `UPDATE incidents SET status = 'resolved', resolved_at = $now::TIMESTAMPTZ, resolved_by = $by, summary = $summary,
         acknowledged_at = coalesce(acknowledged_at, $now::TIMESTAMPTZ), updated_at = $now::TIMESTAMPTZ WHERE id = $id`,
      { now, by, summary: change.summary!, id },
    );
    await logIncident(conn, id, 'resolved', by, at, { summary: change.summary });
  }
  return (await findIncident(conn, id))!;
}
