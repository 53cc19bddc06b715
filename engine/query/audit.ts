// The audit trail of analysts' SQL: who ran what, when, how long it took, how many rows came back, and what failed.
import type { Connection } from '../db.ts';
import type { Serial } from './serial.ts';

export interface AuditEntry {
  queryId: string;
  who: string;
  at: number;
  sql: string;
  format: string;
  durationMs: number;
  rows: number | null;
  /** 'ok', or the error code (forbidden_sql, sql_error, timeout, cancelled, busy …). */
  status: string;
  error: string | null;
}

export const AUDIT_TABLE = 'sql_audit';

export async function createAuditTable(conn: Connection): Promise<void> {
  await conn.run(`CREATE TABLE IF NOT EXISTS ${AUDIT_TABLE} (
    query_id VARCHAR NOT NULL, who VARCHAR NOT NULL, started_at TIMESTAMPTZ NOT NULL, sql VARCHAR NOT NULL, format VARCHAR NOT NULL,
    duration_ms DOUBLE NOT NULL, rows BIGINT, status VARCHAR NOT NULL, error VARCHAR)`);
}

/** Writes on the sandbox's own admin connection, one at a time, never on the ingest writer's transaction. */
export class Audit {
  constructor(private readonly conn: Connection, private readonly serial: Serial) {}

  record(e: AuditEntry): Promise<void> {
    return this.serial.run(() => this.conn.run(
      `INSERT INTO ${AUDIT_TABLE} VALUES ($id, $who, make_timestamptz($at::BIGINT * 1000), $sql, $format, $ms, $rows, $status, $error)`,
      { id: e.queryId, who: e.who, at: e.at, sql: e.sql, format: e.format, ms: Math.round(e.durationMs * 10) / 10, rows: e.rows, status: e.status, error: e.error },
    )).then(() => undefined);
  }
}
