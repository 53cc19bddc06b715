// An alert's lifecycle in the alerts table: opened by the engine, acknowledged by an operator, resolved by either;
// each step answers with the event the walls and sinks receive, the alert and its incident as they now stand.
import type { Connection } from '../db.ts';
import { EngineError } from '../errors.ts';
import { inStringsSql, jsonRowsSql, rowsParam, stringsParam, timestampParam } from '../sql/index.ts';
import { shortHash } from './ids.ts';
import { acknowledgeIncident, correlate, resolveIncidentsIfDone } from './incidents.ts';
import type { Condition } from './kinds/index.ts';
import type { Rule } from './rule.ts';
import { readAlerts, readAlertsIn, readIncidentsIn, type Alert, type AlertEvent } from './store.ts';

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
  const [event] = await eventsOf(conn, type, [id]);
  if (!event) throw new EngineError('not_found', `no alert "${id}"`);
  return { ...event, incident: incidentId === null ? null : event.incident };
}

/** Each alert as it now stands with its incident, in the order of `ids`: two reads for any number. */
async function eventsOf(conn: Connection, type: AlertEvent['type'], ids: readonly string[]): Promise<AlertEvent[]> {
  const alerts = new Map((await readAlertsIn(conn, ids)).map((a) => [a.id, a]));
  const incidentIds = [...new Set([...alerts.values()].flatMap((a) => (a.incidentId ? [a.incidentId] : [])))];
  const incidents = new Map(
    incidentIds.length > 0 ? (await readIncidentsIn(conn, incidentIds)).map((i) => [i.id, i]) : [],
  );
  return ids.flatMap((id) => {
    const alert = alerts.get(id);
    return alert ? [{ type, alert, incident: incidents.get(alert.incidentId ?? '') ?? null }] : [];
  });
}

/** A breach the engine opens an alert for. */
export interface Opening {
  rule: Rule;
  c: Condition;
  /** When the condition began. */
  since: number;
  /** The data's time of the breach (see `alertIds`). */
  origin: number;
  /** The incident type it raises. */
  type: string;
}

/**
 * Opens alerts, each in its area's incident (see `correlate`), and answers their events in order. One evaluation's
 * openings are written together: when a district's devices fall silent at once the tick that judged them goes on
 * within a handful of statements, where one alert at a time held it (and the walls) for seconds.
 */
export async function openAlerts(conn: Connection, openings: readonly Opening[], now: number): Promise<AlertEvent[]> {
  if (openings.length === 0) return [];
  const ids = await alertIds(conn, openings);
  const incidents = await correlate(
    conn,
    openings.map((o, i) => ({ type: o.type, area: o.c.area, since: o.since, seed: ids[i]! })),
    now,
  );
  const rows = openings.map(({ rule, c, since }, i) => ({
    id: ids[i]!,
    rule: rule.name,
    kind: rule.kind,
    severity: rule.severity,
    area: c.area,
    subject: c.subject,
    title_vi: rule.title.vi,
    title_en: rule.title.en,
    value: Number.isFinite(c.value) ? c.value : null,
    threshold: Number.isFinite(c.threshold) ? c.threshold : null,
    message: c.message,
    since: timestampParam(since),
    incident: incidents[i]!,
  }));
  const text = 'VARCHAR';
  const columns = {
    id: text,
    rule: text,
    kind: text,
    severity: text,
    area: text,
    subject: text,
    title_vi: text,
    title_en: text,
    value: 'DOUBLE',
    threshold: 'DOUBLE',
    message: text,
    since: text,
    incident: text,
  } as const;
  await conn.run(
    `INSERT OR REPLACE INTO alerts (id, rule, kind, severity, area, subject, title_vi, title_en, status, value, threshold,
    message, condition_since, opened_at, acknowledged_at, acknowledged_by, comment, resolved_at, resolved_by, incident_id,
    updated_at) SELECT id, rule, kind, severity, area, subject, title_vi, title_en, 'open', value, threshold, message,
    since::TIMESTAMPTZ, $now::TIMESTAMPTZ, NULL, NULL, NULL, NULL, NULL, incident, $now::TIMESTAMPTZ
    FROM ${jsonRowsSql('rows', columns)}`,
    { rows: rowsParam(rows), now: timestampParam(now) },
  );
  return eventsOf(conn, 'opened', ids);
}

/**
 * Alerts' ids, the same on every replica that sees the same data: rule, area and subject, and the data's time of the
 * breach (the window of the value, or a device's last message), never a replica's clock. A repeat of both (the same
 * window breaching again after a resolve) gets the next number, as every replica counts the same rows.
 */
async function alertIds(conn: Connection, openings: readonly Opening[]): Promise<string[]> {
  const bases = openings.map(
    ({ rule, c, origin }) =>
      `a-${shortHash(`${alertKey({ rule: rule.name, area: c.area, subject: c.subject })}|${origin}`)}`,
  );
  // Every id is its base or its base, a dash and a number: the prefix of the base's length finds its repeats.
  const taken = new Map<string, number>();
  for (const r of await conn.objects<{ base: string; n: bigint }>(
    `SELECT left(id, ${bases[0]!.length}) AS base, count(*) AS n FROM alerts
    WHERE ${inStringsSql(`left(id, ${bases[0]!.length})`, 'bases')} GROUP BY ALL`,
    { bases: stringsParam([...new Set(bases)]) },
  ))
    taken.set(r.base, Number(r.n));
  return bases.map((base) => {
    const n = taken.get(base) ?? 0;
    taken.set(base, n + 1);
    return n === 0 ? base : `${base}-${n + 1}`;
  });
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

/** Resolves alerts, and their incidents when nothing of them is left open; `comment` null keeps each one's. */
export async function resolveAlerts(
  conn: Connection,
  alerts: readonly Alert[],
  by: string,
  comment: string | null,
  now: number,
): Promise<AlertEvent[]> {
  if (alerts.length === 0) return [];
  const ids = alerts.map((a) => a.id);
  await conn.run(
    `UPDATE alerts SET status = 'resolved', resolved_at = $now::TIMESTAMPTZ, resolved_by = $by,
    comment = coalesce($comment, comment), updated_at = $now::TIMESTAMPTZ WHERE ${inStringsSql('id', 'ids')}`,
    { ids: stringsParam(ids), by, comment, now: timestampParam(now) },
  );
  await resolveIncidentsIfDone(
    conn,
    alerts.flatMap((a) => (a.incidentId ? [a.incidentId] : [])),
    now,
  );
  return eventsOf(conn, 'resolved', ids);
}
