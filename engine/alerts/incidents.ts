// Incidents: the alerts of one area that meet within two hours are one incident, typed by the alert that explains
// the most, with the standard operating procedure of its type as a checklist.
import type { Connection } from '../db.ts';
import { EngineError } from '../errors.ts';
import { inStringsSql, jsonRowsSql, rowsParam, stringsParam, timestampParam } from '../sql/index.ts';
import { shortHash } from './ids.ts';
import { readIncidents, type Incident } from './store.ts';
import { logIncident, logIncidents } from './incident-log.ts';

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

/** An alert about to open, as the incidents see it. */
export interface Joining {
  type: string;
  area: string;
  since: number;
  /** What makes a new incident's id the same on every replica: the id of the alert that opens it. */
  seed: string;
}

/**
 * Each alert joins the open incident of its area that started recently, retyped if the alert explains more; an area
 * without one gets a new incident, opened by the first of its alerts and joined by the others. One evaluation's alerts
 * are placed together: a district gone dark is a handful of statements, not several per device. Answers each alert's
 * incident id, in order.
 */
export async function correlate(conn: Connection, alerts: readonly Joining[], now: number): Promise<string[]> {
  const areas = [...new Set(alerts.map((a) => a.area))];
  const open = new Map<string, { id: string; type: string }>();
  for (const r of await conn.objects<{ id: string; type: string; area: string }>(
    `SELECT id, type, area FROM incidents
    WHERE ${inStringsSql('area', 'areas')} AND status <> 'resolved' AND detected_at >= $after::TIMESTAMPTZ
    ORDER BY detected_at DESC, id DESC`,
    { areas: stringsParam(areas), after: timestampParam(now - CORRELATE_MS) },
  ))
    if (!open.has(r.area)) open.set(r.area, r);
  const placed = new Map<string, { id: string; was: string | null; type: string; since: number; first: Joining }>();
  for (const a of alerts) {
    const p = placed.get(a.area);
    if (p) {
      if (rank(a.type) < rank(p.type)) p.type = a.type;
      p.since = Math.min(p.since, a.since);
      continue;
    }
    const found = open.get(a.area);
    const id = found?.id ?? `i-${shortHash(`${a.area}|${a.type}|${a.seed}`)}`;
    const type = found && rank(found.type) <= rank(a.type) ? found.type : a.type;
    placed.set(a.area, { id, was: found?.type ?? null, type, since: a.since, first: a });
  }
  const groups = [...placed.values()];
  const steps = await checklists(
    conn,
    groups.filter((g) => g.was !== g.type).map((g) => g.type),
  );
  const row = (g: (typeof groups)[number]) => ({
    id: g.id,
    type: g.type,
    area: g.first.area,
    since: timestampParam(g.since),
    checklist: g.was === g.type ? null : steps.get(g.type)!,
  });
  const columns = { id: 'VARCHAR', type: 'VARCHAR', area: 'VARCHAR', since: 'VARCHAR', checklist: 'VARCHAR' } as const;
  const joined = groups.filter((g) => g.was !== null);
  if (joined.length > 0)
    await conn.run(
      `UPDATE incidents SET type = u.type, evidence_since = least(incidents.evidence_since, u.since::TIMESTAMPTZ),
      checklist = coalesce(u.checklist::JSON, incidents.checklist), updated_at = $now::TIMESTAMPTZ
      FROM ${jsonRowsSql('rows', columns)} u WHERE incidents.id = u.id`,
      { rows: rowsParam(joined.map(row)), now: timestampParam(now) },
    );
  const opened = groups.filter((g) => g.was === null);
  if (opened.length > 0) {
    await conn.run(
      `INSERT INTO incidents (id, type, area, status, evidence_since, detected_at, checklist, updated_at, origin, opened_by)
      SELECT id, type, area, 'open', since::TIMESTAMPTZ, $now::TIMESTAMPTZ, checklist::JSON, $now::TIMESTAMPTZ,
        'alerts', 'engine' FROM ${jsonRowsSql('rows', columns)}`,
      { rows: rowsParam(opened.map(row)), now: timestampParam(now) },
    );
    await logIncidents(
      conn,
      opened.map((g) => ({
        id: g.id,
        action: 'opened',
        by: 'engine',
        at: now,
        detail: { type: g.first.type, area: g.first.area, alert: g.first.seed },
      })),
    );
  }
  return alerts.map((a) => placed.get(a.area)!.id);
}

/** The standard operating procedure of an incident type, from views/_tables/sop_steps.csv, as JSON text. */
export async function checklist(conn: Connection, type: string): Promise<string> {
  return (await checklists(conn, [type])).get(type)!;
}

/** The checklist (JSON text) of each of these incident types: its own steps, then those of any incident. */
async function checklists(conn: Connection, types: readonly string[]): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  if (types.length === 0) return out;
  const steps = await conn
    .objects<{ type: string; vi: string; en: string }>(
      `SELECT type, text_vi AS vi, text_en AS en FROM sop_steps WHERE ${inStringsSql('type', 'types')} OR type = 'any'
      ORDER BY type = 'any', step`,
      { types: stringsParam(types) },
    )
    .catch(() => []);
  for (const type of types) {
    const own = steps.filter((s) => s.type === type || s.type === 'any');
    out.set(
      type,
      JSON.stringify(own.map((s, i) => ({ step: i + 1, vi: s.vi, en: s.en, done: false, by: null, at: null }))),
    );
  }
  return out;
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
export async function resolveIncidentsIfDone(conn: Connection, ids: readonly string[], now: number): Promise<void> {
  if (ids.length === 0) return;
  const done = await conn.objects<{ id: string }>(
    `UPDATE incidents SET status = 'resolved', resolved_at = $now::TIMESTAMPTZ, resolved_by = 'engine',
    updated_at = $now::TIMESTAMPTZ WHERE ${inStringsSql('id', 'ids')} AND status <> 'resolved'
      AND coalesce(origin, 'alerts') = 'alerts'
      AND NOT EXISTS (SELECT 1 FROM alerts WHERE incident_id = incidents.id AND status <> 'resolved')
    RETURNING id`,
    { ids: stringsParam([...new Set(ids)]), now: timestampParam(now) },
  );
  const reason = { reason: 'its alerts are over' };
  await logIncidents(
    conn,
    done.map((d) => ({ id: d.id, action: 'resolved', by: 'engine', at: now, detail: reason })),
  );
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
