// Incidents: the alerts of one area that meet within two hours are one incident, typed by the alert that explains
// the most, with the standard operating procedure of its type as a checklist.
import type { Connection } from '../db.ts';
import { EngineError } from '../errors.ts';
import { timestampParam } from '../sql/index.ts';
import { shortHash } from './ids.ts';
import { readIncidents, type Incident } from './store.ts';
import { logIncident } from './incident-log.ts';

/** When alerts of one area meet within this time they are one incident. */
const CORRELATE_MS = 2 * 3_600_000;
/**
 * Which type names an incident when its alerts disagree: water on the road explains the slow traffic, not the
 * reverse.
 */
const PRECEDENCE = ['flooding', 'fire', 'accident', 'traffic', 'air', 'noise', 'network', 'services', 'devices'];

const rank = (type: string): number => {
  const i = PRECEDENCE.indexOf(type);
  return i < 0 ? PRECEDENCE.length : i;
};

/** The open incident of this area that started recently, retyped if this alert explains more; else a new one. */
export async function correlate(
  conn: Connection,
  type: string,
  area: string,
  since: number,
  now: number,
  /** What makes a new incident's id the same on every replica: the id of the alert that opens it. */
  seed: string,
): Promise<{ id: string }> {
  const [found] = await conn.objects<{ id: string; type: string }>(
    `SELECT id, type FROM incidents
    WHERE area = $area AND status <> 'resolved' AND detected_at >= $after::TIMESTAMPTZ
    ORDER BY detected_at DESC LIMIT 1`,
    { area, after: timestampParam(now - CORRELATE_MS) },
  );
  if (found) {
    const newType = rank(type) < rank(found.type) ? type : found.type;
    await conn.run(
      `UPDATE incidents SET type = $type, evidence_since = least(evidence_since, $since::TIMESTAMPTZ),
      checklist = CASE WHEN type = $type THEN checklist ELSE $checklist::JSON END, updated_at = $now::TIMESTAMPTZ
      WHERE id = $id`,
      {
        type: newType,
        since: timestampParam(since),
        checklist: await checklist(conn, newType),
        now: timestampParam(now),
        id: found.id,
      },
    );
    return found;
  }
  const id = `i-${shortHash(`${area}|${type}|${seed}`)}`;
  await conn.run(
    `INSERT INTO incidents (id, type, area, status, evidence_since, detected_at, checklist, updated_at, origin, opened_by)
    VALUES ($id, $type, $area, 'open', $since::TIMESTAMPTZ, $now::TIMESTAMPTZ, $checklist::JSON, $now::TIMESTAMPTZ,
      'alerts', 'engine')`,
    {
      id,
      type,
      area,
      since: timestampParam(since),
      now: timestampParam(now),
      checklist: await checklist(conn, type),
    },
  );
  await logIncident(conn, id, 'opened', 'engine', now, { type, area, alert: seed });
  return { id };
}

/** The standard operating procedure of an incident type, from views/_tables/sop_steps.csv, as JSON text. */
export async function checklist(conn: Connection, type: string): Promise<string> {
  const steps = await conn
    .objects<{ step: number; vi: string; en: string }>(
      `SELECT step, text_vi AS vi, text_en AS en FROM sop_steps WHERE type IN ($type, 'any') ORDER BY type = 'any', step`,
      { type },
    )
    .catch(() => []);
  return JSON.stringify(steps.map((s, i) => ({ step: i + 1, vi: s.vi, en: s.en, done: false, by: null, at: null })));
}

/** An incident is acknowledged with the first of its alerts. */
export async function acknowledgeIncident(conn: Connection, id: string, now: number): Promise<void> {
  await conn.run(
    `UPDATE incidents SET acknowledged_at = coalesce(acknowledged_at, $now::TIMESTAMPTZ),
    status = CASE WHEN status = 'open' THEN 'acknowledged' ELSE status END, updated_at = $now::TIMESTAMPTZ
    WHERE id = $id`,
    { id, now: timestampParam(now) },
  );
}

/**
 * An incident the alerts opened is over when the last of its alerts is; one a person opened waits for a person to
 * resolve it with a summary.
 */
export async function resolveIncidentIfDone(conn: Connection, id: string, now: number): Promise<void> {
  const [done] = await conn.objects<{ Count: number }>(
    `UPDATE incidents SET status = 'resolved', resolved_at = $now::TIMESTAMPTZ, resolved_by = 'engine',
    updated_at = $now::TIMESTAMPTZ WHERE id = $id AND status <> 'resolved' AND coalesce(origin, 'alerts') = 'alerts'
      AND NOT EXISTS (SELECT 1 FROM alerts WHERE incident_id = $id AND status <> 'resolved')`,
    { id, now: timestampParam(now) },
  );
  if (Number(done?.Count ?? 0) > 0)
    await logIncident(conn, id, 'resolved', 'engine', now, { reason: 'its alerts are over' });
}

export async function findIncident(conn: Connection, id: string): Promise<Incident | null> {
  return (await readIncidents(conn, { id }))[0] ?? null;
}

/** Ticks (or unticks) one step of an incident's checklist, signed by who did it. */
export async function checkStep(
  conn: Connection,
  incidentId: string,
  step: number,
  done: boolean,
  by: string,
  now: number,
): Promise<Incident> {
  const incident = await findIncident(conn, incidentId);
  if (!incident) throw new EngineError('not_found', `no incident "${incidentId}"`);
  const item = incident.checklist.find((s) => s.step === step);
  if (!item) {
    const steps = `1–${incident.checklist.length}`;
    throw new EngineError('bad_request', `field "step": incident "${incidentId}" has steps ${steps}`);
  }
  Object.assign(item, { done, by: done ? by : null, at: done ? new Date(now).toISOString() : null });
  await conn.run(`UPDATE incidents SET checklist = $checklist::JSON, updated_at = $now::TIMESTAMPTZ WHERE id = $id`, {
    checklist: JSON.stringify(incident.checklist),
    now: timestampParam(now),
    id: incidentId,
  });
  await logIncident(conn, incidentId, done ? 'step_done' : 'step_undone', by, now, { step, en: item.en });
  return (await findIncident(conn, incidentId))!;
}
