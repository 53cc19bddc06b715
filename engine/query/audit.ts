// The audit trail of analysts' SQL: who ran what, when, how long it took, how many rows came back, and what failed.
import type { Connection } from '../db.ts';
import type { Serial } from './serial.ts';
import { BATCH_COLUMN } from '../store/index.ts';

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
    duration_ms DOUBLE NOT NULL, rows BIGINT, status VARCHAR NOT NULL, error VARCHAR, ${BATCH_COLUMN} BIGINT)`);
  await conn.run(`ALTER TABLE ${AUDIT_TABLE} ADD COLUMN IF NOT EXISTS ${BATCH_COLUMN} BIGINT`);
}

/** Writes on the sandbox's own admin connection, one at a time, never on the ingest writer's transaction. */
export class Audit {
  /** The number of the last audit row written (stored as _batch, like raw rows): the replica copies rows up to it. */
  written = 0;
  private next = 0;

  constructor(
    private readonly conn: Connection,
    private readonly serial: Serial,
    private readonly onChange: () => void = () => undefined,
  ) {}

  record(e: AuditEntry): Promise<void> {
    return this.serial
      .run(async () => {
        // Increasing across restarts (it starts from the clock) and in write order (one writer at a time).
        const n = (this.next = Math.max(this.next + 1, Date.now()));
        await this.conn.run(
          `INSERT INTO ${AUDIT_TABLE} VALUES ($id, $who, make_timestamptz($at::BIGINT * 1000), $sql, $format, $ms, $rows, $status, $error, $n)`,
          {
            id: e.queryId,
            who: e.who,
            at: e.at,
            sql: e.sql,
            format: e.format,
            ms: Math.round(e.durationMs * 10) / 10,
            rows: e.rows,
            status: e.status,
            error: e.error,
            n,
          },
        );
        this.written = n;
      })
      .then(() => this.onChange());
  }
}
