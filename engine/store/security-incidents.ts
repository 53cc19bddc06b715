// The state of every security incident, folded from its events in each batch's transaction (as dossiers are): what
// the 1 h detect / 4 h resolve indicators read. Order of arrival does not matter: each time is the earliest event of
// its status, the status the newest event's.
import type { Connection } from '../db.ts';
import { newerOf, utcOfMs as TS } from './fold-sql.ts';

export const SECURITY_INCIDENTS_TABLE = 'security_incidents';

const newer = (c: string) => newerOf(SECURITY_INCIDENTS_TABLE, c);
const earliest = (c: string) =>
  `CASE WHEN security_incidents.${c} IS NULL THEN excluded.${c} WHEN excluded.${c} IS NULL THEN security_incidents.${c}
     ELSE least(security_incidents.${c}, excluded.${c}) END`;

export async function createSecurityIncidentTable(conn: Connection): Promise<void> {
  await conn.run(`CREATE TABLE IF NOT EXISTS ${SECURITY_INCIDENTS_TABLE} (
    incident_id VARCHAR PRIMARY KEY, agency VARCHAR NOT NULL, asset_id VARCHAR, category VARCHAR, severity VARCHAR NOT NULL,
    area VARCHAR, source VARCHAR, status VARCHAR NOT NULL, status_ts TIMESTAMPTZ NOT NULL,
    began_at TIMESTAMPTZ, detected_at TIMESTAMPTZ NOT NULL, confirmed_at TIMESTAMPTZ, contained_at TIMESTAMPTZ,
    resolved_at TIMESTAMPTZ)`);
}

/**
 * `began_at` is the tool's own `detectedAt` (when the attack began, as far as it knows); `detected_at` the first
 * report of the incident, whatever its status; `resolved_at` the first `resolved` (a false positive is closed, not
 * resolved). The newest event sets the status, severity and the rest.
 */
export async function recordSecurityIncidents(conn: Connection, stage: string): Promise<number[]> {
  const first = (status: string) => TS(`min(ts) FILTER (WHERE status = '${status}')`);
  const before = await countedAt(conn, stage);
  await conn.runPlanned(`INSERT INTO ${SECURITY_INCIDENTS_TABLE}
    SELECT incident_id, arg_max(agency, ts), arg_max(asset_id, ts), arg_max(category, ts), arg_max(severity, ts),
           arg_max(area, ts) FILTER (WHERE area IS NOT NULL), arg_max(source, ts) FILTER (WHERE source IS NOT NULL),
           arg_max(status, ts), ${TS('max(ts)')}, ${TS('min(detected_at)')}, ${TS('min(ts)')},
           ${first('confirmed')}, ${first('contained')}, ${first('resolved')}
    FROM ${stage} GROUP BY incident_id
    ON CONFLICT (incident_id) DO UPDATE SET
      agency = ${newer('agency')}, asset_id = ${newer('asset_id')}, category = ${newer('category')},
      severity = ${newer('severity')}, area = coalesce(${newer('area')}, security_incidents.area, excluded.area),
      source = coalesce(${newer('source')}, security_incidents.source, excluded.source), status = ${newer('status')},
      status_ts = greatest(security_incidents.status_ts, excluded.status_ts),
      began_at = ${earliest('began_at')}, detected_at = ${earliest('detected_at')},
      confirmed_at = ${earliest('confirmed_at')}, contained_at = ${earliest('contained_at')},
      resolved_at = ${earliest('resolved_at')}`);
  return [...new Set([...before, ...(await countedAt(conn, stage))])];
}

/**
 * The minutes the indicators count the batch's incidents at: the first report and the resolution. An event can move
 * them (a late first report) or change what is counted there (an earlier start, a confirmation) on a day other than
 * its own, so these windows are recomputed as the events' own are; taken before and after the fold, an incident
 * leaves its old day as it enters the new one.
 */
async function countedAt(conn: Connection, stage: string): Promise<number[]> {
  const minute = (c: string) => `epoch_ms(${c}) // 60000 * 60000`;
  // Planned: it runs twice in every batch that holds security events.
  const rows = await conn.objectsPlanned<{ m: number | bigint }>(
    `SELECT DISTINCT unnest([${minute('detected_at')}, ${minute('resolved_at')}]) AS m FROM ${SECURITY_INCIDENTS_TABLE}
     WHERE incident_id IN (SELECT incident_id FROM ${stage})`,
  );
  return rows.filter((r) => r.m !== null).map((r) => Number(r.m));
}
