// Escalation by time: an alert or incident nobody acknowledged within ESCALATE_AFTER_MIN is marked escalated (once), so
// the wall shows it and those above are told; the incident log records it as done by `system`.
import type { Connection } from '../db.ts';
import { timestampParam } from '../sql/index.ts';
import { findIncident } from './incidents.ts';
import { logIncident } from './incident-log.ts';
import { eventOf } from './lifecycle.ts';
import type { Alert, AlertEvent, Incident } from './store.ts';

/** Who escalates by time, in `incident_log`: no person did. */
export const SYSTEM = 'system';

/** Marks an incident escalated if it is still open and was not already; answers it then, else null. */
export async function escalateIncident(
  conn: Connection,
  id: string,
  afterMin: number,
  at: number,
  alertId: string | null = null,
): Promise<Incident | null> {
  const [done] = await conn.objects<{ Count: number }>(
    `UPDATE incidents SET escalated_at = $at::TIMESTAMPTZ, updated_at = $at::TIMESTAMPTZ
     WHERE id = $id AND status = 'open' AND escalated_at IS NULL`,
    { id, at: timestampParam(at) },
  );
  if (Number(done?.Count ?? 0) === 0) return null;
  await logIncident(conn, id, 'escalated', SYSTEM, at, {
    reason: 'not acknowledged in time',
    afterMin,
    ...(alertId ? { alert: alertId } : {}),
  });
  return findIncident(conn, id);
}

/**
 * Marks an alert escalated if it is still open and was not already, with its incident when that is still open too
 * (one notice for both); null when there was nothing to escalate.
 */
export async function escalateAlert(
  conn: Connection,
  alert: Alert,
  afterMin: number,
  at: number,
): Promise<AlertEvent | null> {
  const [done] = await conn.objects<{ Count: number }>(
    `UPDATE alerts SET escalated_at = $at::TIMESTAMPTZ, updated_at = $at::TIMESTAMPTZ
     WHERE id = $id AND status = 'open' AND escalated_at IS NULL`,
    { id: alert.id, at: timestampParam(at) },
  );
  if (Number(done?.Count ?? 0) === 0) return null;
  if (alert.incidentId) await escalateIncident(conn, alert.incidentId, afterMin, at, alert.id);
  return eventOf(conn, 'escalated', alert.id, alert.incidentId);
}
