// An alert's lifecycle in the alerts table: opened by the engine, acknowledged by an operator, resolved by either;
// each step answers with the event the walls and sinks receive, the alert and its incident as they now stand.
import type { Connection } from '../db.ts';
import { EngineError } from '../errors.ts';
import { timestampParam } from '../sql/index.ts';
import { shortHash } from './ids.ts';
import { acknowledgeIncident, findIncident, resolveIncidentIfDone } from './incidents.ts';
import type { Condition } from './kinds/index.ts';
import type { Rule } from './rule.ts';
import { readAlerts, type Alert, type AlertEvent } from './store.ts';

/** One active alert per rule, area and subject. */
export const alertKey = (a: { rule: string; area: string; subject: string }): string =>
  `${a.rule}|${a.area}|${a.subject}`;

export async function findAlert(conn: Connection, id: string): Promise<Alert> {
  const [alert] = await readAlerts(conn, { id });
  if (!alert) throw new EngineError('not_found', `no alert "${id}"`);
  return alert;
}

export async function eventOf(
  conn: Connection,
  type: AlertEvent['type'],
  id: string,
  incidentId: string | null,
): Promise<AlertEvent> {
  const alert = await findAlert(conn, id);
  return { type, alert, incident: incidentId ? await findIncident(conn, incidentId) : null };
}

/**
 * An alert's id, the same on every replica that sees the same data: its rule, area and subject, and the data's time of
 * the breach (the window of the value, or a device's last message), never a replica's clock. A repeat of both (the
 * same window breaching again after a resolve) gets the next number, as every replica counts the same rows.
 */
export async function alertId(conn: Connection, rule: Rule, c: Condition, origin: number): Promise<string> {
  const base = `a-${shortHash(`${alertKey({ rule: rule.name, area: c.area, subject: c.subject })}|${origin}`)}`;
  const [row] = await conn.objects<{ n: bigint }>(
    "SELECT count(*) AS n FROM alerts WHERE id = $base OR id LIKE $base || '-%'",
    { base },
  );
  const n = Number(row?.n ?? 0);
  return n === 0 ? base : `${base}-${n + 1}`;
}

export async function openAlert(
  conn: Connection,
  rule: Rule,
  c: Condition,
  since: number,
  now: number,
  incidentId: string,
  id: string,
): Promise<AlertEvent> {
  await conn.run(
    `INSERT OR REPLACE INTO alerts (id, rule, kind, severity, area, subject, title_vi, title_en, status, value, threshold,
    message, condition_since, opened_at, acknowledged_at, acknowledged_by, comment, resolved_at, resolved_by, incident_id,
    updated_at) VALUES ($id, $rule, $kind, $severity, $area, $subject, $title_vi,
    $title_en, 'open', $value, $threshold, $message, $since::TIMESTAMPTZ, $now::TIMESTAMPTZ,
    NULL, NULL, NULL, NULL, NULL, $incident, $now::TIMESTAMPTZ)`,
    {
      id,
      rule: rule.name,
      kind: rule.kind,
      severity: rule.severity,
      area: c.area,
      subject: c.subject,
      title_vi: rule.title.vi,
      title_en: rule.title.en,
      value: c.value,
      threshold: c.threshold,
      message: c.message,
      since: timestampParam(since),
      now: timestampParam(now),
      incident: incidentId,
    },
  );
  return eventOf(conn, 'opened', id, incidentId);
}

export async function acknowledgeAlert(
  conn: Connection,
  alert: Alert,
  by: string,
  comment: string | null,
  now: number,
): Promise<AlertEvent> {
  if (alert.status !== 'open') {
    const why = `alert "${alert.id}" is ${alert.status}; only an open alert can be acknowledged`;
    throw new EngineError('bad_request', why);
  }
  await conn.run(
    `UPDATE alerts SET status = 'acknowledged', acknowledged_at = $now::TIMESTAMPTZ, acknowledged_by = $by,
    comment = $comment, updated_at = $now::TIMESTAMPTZ WHERE id = $id`,
    { id: alert.id, by, comment, now: timestampParam(now) },
  );
  if (alert.incidentId) await acknowledgeIncident(conn, alert.incidentId, now);
  return eventOf(conn, 'acknowledged', alert.id, alert.incidentId);
}

/** `comment` null keeps the one given when it was acknowledged. */
export async function resolveAlert(
  conn: Connection,
  alert: Alert,
  by: string,
  comment: string | null,
  now: number,
): Promise<AlertEvent> {
  await conn.run(
    `UPDATE alerts SET status = 'resolved', resolved_at = $now::TIMESTAMPTZ, resolved_by = $by,
    comment = coalesce($comment, comment), updated_at = $now::TIMESTAMPTZ WHERE id = $id`,
    { id: alert.id, by, comment, now: timestampParam(now) },
  );
  if (alert.incidentId) await resolveIncidentIfDone(conn, alert.incidentId, now);
  return eventOf(conn, 'resolved', alert.id, alert.incidentId);
}
