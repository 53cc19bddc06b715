// The alerts and incidents tables: an alert's lifecycle (open → acknowledged → resolved) and the incident it belongs to.
import type { Alert, AlertEvent, AlertStatus, Incident } from '../../dashboards/shared/wire/index.ts';
import type { Connection, Params } from '../db.ts';
import { inStringsSql, stringsParam, timestampParam } from '../sql/index.ts';
import type { AlertFilter, IncidentFilter } from './filter.ts';
import { createIncidentLog } from './incident-log.ts';

// Alerts and incidents are read as the wire contract serves them.
export type { Alert, AlertEvent, Incident };

/** The tables the alerting engine writes (copies of the database follow them when alerts change). */
export const ALERT_TABLES: readonly string[] = ['alerts', 'incidents', 'incident_log'];

export async function createAlertTables(conn: Connection): Promise<void> {
  await conn.run(`CREATE TABLE IF NOT EXISTS alerts (
    id VARCHAR PRIMARY KEY, rule VARCHAR NOT NULL, kind VARCHAR NOT NULL, severity VARCHAR NOT NULL, area VARCHAR NOT NULL, subject VARCHAR NOT NULL,
    title_vi VARCHAR, title_en VARCHAR, status VARCHAR NOT NULL, value DOUBLE, threshold DOUBLE, message VARCHAR,
    condition_since TIMESTAMPTZ NOT NULL, opened_at TIMESTAMPTZ NOT NULL, acknowledged_at TIMESTAMPTZ, acknowledged_by VARCHAR, comment VARCHAR,
    resolved_at TIMESTAMPTZ, resolved_by VARCHAR, incident_id VARCHAR, updated_at TIMESTAMPTZ NOT NULL)`);
  await conn.run(`CREATE TABLE IF NOT EXISTS incidents (
    id VARCHAR PRIMARY KEY, type VARCHAR NOT NULL, area VARCHAR NOT NULL, status VARCHAR NOT NULL,
    evidence_since TIMESTAMPTZ NOT NULL, detected_at TIMESTAMPTZ NOT NULL, acknowledged_at TIMESTAMPTZ, resolved_at TIMESTAMPTZ,
    checklist JSON NOT NULL, updated_at TIMESTAMPTZ NOT NULL)`);
  await createIncidentLog(conn);
  await conn.run('ALTER TABLE alerts ADD COLUMN IF NOT EXISTS escalated_at TIMESTAMPTZ');
  // Time to detect (first evidence → alert), to acknowledge and to resolve, per incident: the centre's 1 h / 4 h targets.
  await conn.run(`CREATE OR REPLACE VIEW incident_times AS
    SELECT id, type, area, status, evidence_since, detected_at, acknowledged_at, resolved_at,
           epoch(detected_at) - epoch(evidence_since) AS detect_s,
           epoch(acknowledged_at) - epoch(detected_at) AS acknowledge_s,
           epoch(resolved_at) - epoch(detected_at) AS resolve_s,
           (epoch(detected_at) - epoch(evidence_since)) <= 3600 AS detect_met,
           CASE WHEN resolved_at IS NULL THEN NULL ELSE (epoch(resolved_at) - epoch(detected_at)) <= 4 * 3600 END AS resolve_met
    FROM incidents`);
}

const ALERT_COLUMNS = `id, rule, kind, severity, area, subject, title_vi, title_en, status, value, threshold, message,
  epoch_ms(condition_since) AS condition_since, epoch_ms(opened_at) AS opened_at, epoch_ms(acknowledged_at) AS acknowledged_at, acknowledged_by, comment,
  epoch_ms(resolved_at) AS resolved_at, resolved_by, incident_id, epoch_ms(escalated_at) AS escalated_at`;
const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

type AlertRow = Record<string, string | number | null>;
function toAlert(r: AlertRow): Alert {
  return {
    id: r.id as string,
    rule: r.rule as string,
    kind: r.kind as string,
    severity: r.severity as string,
    area: r.area as string,
    subject: r.subject as string,
    title: { vi: r.title_vi as string, en: r.title_en as string },
    status: r.status as AlertStatus,
    value: r.value as number | null,
    threshold: r.threshold as number | null,
    message: r.message as string,
    conditionSince: iso(r.condition_since as number)!,
    openedAt: iso(r.opened_at as number)!,
    acknowledgedAt: iso(r.acknowledged_at as number | null),
    acknowledgedBy: r.acknowledged_by as string | null,
    comment: r.comment as string | null,
    resolvedAt: iso(r.resolved_at as number | null),
    resolvedBy: r.resolved_by as string | null,
    incidentId: r.incident_id as string | null,
    escalatedAt: iso(r.escalated_at as number | null),
  };
}

/** A WHERE clause of equalities on bound parameters; `active` is every status but resolved. */
function where(
  status: AlertFilter['status'],
  equal: Record<string, string | undefined>,
  prefix = '',
): { sql: string; params: Params } {
  const terms: string[] = [];
  const params: Params = {};
  if (status === 'active') terms.push(`${prefix}status <> 'resolved'`);
  else if (status !== undefined) equal = { ...equal, status };
  for (const [column, value] of Object.entries(equal)) {
    if (value === undefined) continue;
    terms.push(`${prefix}${column} = $${column}`);
    params[column] = value;
  }
  return { sql: terms.length ? `WHERE ${terms.join(' AND ')}` : '', params };
}

export async function readAlerts(conn: Connection, filter: Partial<AlertFilter> = {}): Promise<Alert[]> {
  const { id, area, rule, severity, incident } = filter;
  const w = where(filter.status, { id, area, rule, severity, incident_id: incident });
  addLife(w, lifeOverlaps(filter.from, filter.to, 'opened_at', ''));
  return selectAlerts(conn, w, filter.limit ?? 500);
}

/** The alerts of these ids, newest first. */
export function readAlertsIn(conn: Connection, ids: readonly string[]): Promise<Alert[]> {
  return selectAlerts(
    conn,
    { sql: `WHERE ${inStringsSql('id', 'ids')}`, params: { ids: stringsParam(ids) } },
    ids.length,
  );
}

async function selectAlerts(conn: Connection, w: { sql: string; params: Params }, limit: number): Promise<Alert[]> {
  const rows = await conn.objects<AlertRow>(
    `SELECT ${ALERT_COLUMNS} FROM alerts ${w.sql} ORDER BY opened_at DESC LIMIT $limit`,
    { ...w.params, limit },
  );
  return rows.map(toAlert);
}

function addLife(w: { sql: string; params: Params }, life: { terms: string[]; params: Params }): void {
  if (life.terms.length === 0) return;
  w.sql = `${w.sql ? `${w.sql} AND` : 'WHERE'} ${life.terms.join(' AND ')}`;
  Object.assign(w.params, life.params);
}

/**
 * An alert lives from its opening to its resolution (or now), an incident from its detection: it overlaps [from, to)
 * when it began before `to` and was not yet resolved at `from`.
 */
function lifeOverlaps(
  from: number | undefined,
  to: number | undefined,
  began: string,
  prefix: string,
): { terms: string[]; params: Params } {
  const terms: string[] = [];
  const params: Params = {};
  if (to !== undefined) {
    terms.push(`${prefix}${began} < $life_to::TIMESTAMPTZ`);
    params['life_to'] = timestampParam(to);
  }
  if (from !== undefined) {
    terms.push(`(${prefix}resolved_at IS NULL OR ${prefix}resolved_at >= $life_from::TIMESTAMPTZ)`);
    params['life_from'] = timestampParam(from);
  }
  return { terms, params };
}

export async function readIncidents(conn: Connection, filter: Partial<IncidentFilter> = {}): Promise<Incident[]> {
  const w = where(filter.status, { id: filter.id }, 'i.');
  addLife(w, lifeOverlaps(filter.from, filter.to, 'detected_at', 'i.'));
  return selectIncidents(conn, w, filter.limit ?? 200);
}

/** The incidents of these ids, newest first. */
export function readIncidentsIn(conn: Connection, ids: readonly string[]): Promise<Incident[]> {
  const w = { sql: `WHERE ${inStringsSql('i.id', 'ids')}`, params: { ids: stringsParam(ids) } };
  return selectIncidents(conn, w, ids.length);
}

async function selectIncidents(
  conn: Connection,
  w: { sql: string; params: Params },
  limit: number,
): Promise<Incident[]> {
  const rows = await conn.objects<AlertRow & { checklist: string }>(
    `
    SELECT i.id, i.type, i.area, i.status, epoch_ms(i.detected_at) AS detected_at, epoch_ms(i.evidence_since) AS evidence_since,
           epoch_ms(i.acknowledged_at) AS acknowledged_at, epoch_ms(i.resolved_at) AS resolved_at, i.checklist::VARCHAR AS checklist,
           i.severity, coalesce(i.origin, 'alerts') AS origin, i.opened_by, i.description, i.lat, i.lon, i.assignee,
           epoch_ms(i.escalated_at) AS escalated_at, i.summary, i.resolved_by
    FROM incidents i ${w.sql} ORDER BY i.detected_at DESC LIMIT $limit`,
    { ...w.params, limit },
  );
  // Counted apart for the incidents read: as a subquery per row, DuckDB joined every alert (2 against 0.4 ms for one
  // incident, and an incident is read again at each of its alerts' changes).
  const counts = new Map<string, number>();
  if (rows.length > 0)
    for (const c of await conn.objects<{ id: string; n: number }>(
      `SELECT incident_id AS id, count(*) AS n FROM alerts WHERE ${inStringsSql('incident_id', 'ids')} GROUP BY incident_id`,
      { ids: stringsParam(rows.map((r) => r.id as string)) },
    ))
      counts.set(c.id, c.n);
  return rows.map((r) => ({
    id: r.id as string,
    type: r.type as string,
    area: r.area as string,
    status: r.status as AlertStatus,
    detectedAt: iso(r.detected_at as number)!,
    evidenceSince: iso(r.evidence_since as number)!,
    acknowledgedAt: iso(r.acknowledged_at as number | null),
    resolvedAt: iso(r.resolved_at as number | null),
    alerts: counts.get(r.id as string) ?? 0,
    checklist: JSON.parse(r.checklist) as Incident['checklist'],
    severity: r.severity as string | null,
    origin: r.origin as Incident['origin'],
    openedBy: r.opened_by as string | null,
    description: r.description as string | null,
    lat: r.lat as number | null,
    lon: r.lon as number | null,
    assignee: r.assignee as string | null,
    escalatedAt: iso(r.escalated_at as number | null),
    summary: r.summary as string | null,
    resolvedBy: r.resolved_by as string | null,
  }));
}
