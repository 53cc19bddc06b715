// The current state of every public-service dossier, folded from its lifecycle events in each batch's transaction:
// what the overdue and workload indicators read, and what outlives the raw events (a dossier can stay open for weeks).
import type { Connection } from '../db.ts';
import { knownOf, newerOf, utcOfMs as TS } from './fold-sql.ts';

const known = (c: string) => knownOf('dossiers', c);

export async function createDossierTable(conn: Connection): Promise<void> {
  await conn.run(`CREATE TABLE IF NOT EXISTS dossiers (
    dossier_id VARCHAR PRIMARY KEY, agency VARCHAR NOT NULL, procedure VARCHAR, area VARCHAR, channel VARCHAR, level VARCHAR,
    received_at TIMESTAMPTZ, due_at TIMESTAMPTZ, status VARCHAR NOT NULL, status_ts TIMESTAMPTZ NOT NULL,
    completed_at TIMESTAMPTZ, online_payment BOOLEAN)`);
}

/**
 * Folds a batch of staged service events into the dossiers: the newest event (by event time) sets the status; a due
 * date, a channel or a level once known is kept until a newer event changes it. Order of arrival does not matter.
 */
export async function recordDossiers(conn: Connection, stage: string): Promise<void> {
  await conn.runPlanned(`INSERT INTO dossiers
    SELECT dossier_id, arg_max(agency, ts), arg_max(procedure, ts), arg_max(area, ts), arg_max(channel, ts) FILTER (WHERE status = 'received'),
           arg_max(level, ts) FILTER (WHERE level IS NOT NULL),
           ${TS("min(ts) FILTER (WHERE status = 'received')")}, ${TS('arg_max(due_at, ts) FILTER (WHERE due_at IS NOT NULL)')},
           arg_max(status, ts), ${TS('max(ts)')}, ${TS("max(ts) FILTER (WHERE status = 'completed')")},
           arg_max(online_payment, ts) FILTER (WHERE online_payment IS NOT NULL)
    FROM ${stage} GROUP BY dossier_id
    ON CONFLICT (dossier_id) DO UPDATE SET
      agency = ${newerOf('dossiers', 'agency')},
      procedure = ${known('procedure')},
      area = ${known('area')},
      channel = coalesce(dossiers.channel, excluded.channel),
      level = ${known('level')},
      received_at = least(dossiers.received_at, excluded.received_at),
      due_at = ${known('due_at')},
      status = ${newerOf('dossiers', 'status')},
      status_ts = greatest(dossiers.status_ts, excluded.status_ts),
      completed_at = coalesce(dossiers.completed_at, excluded.completed_at),
      online_payment = ${known('online_payment')}`);
}
