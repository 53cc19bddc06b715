// The engine's errors as PostgreSQL ErrorResponses: the SQLSTATE a client's error handling expects, and the message.
import type { BackendError } from 'pg-gateway';
import { EngineError, errorMessage, type ErrorCode } from '../errors.ts';

const BY_CODE: Record<ErrorCode, string> = {
  bad_request: '42601',
  not_found: '42704',
  conflict: '42710',
  unauthorized: '28P01',
  forbidden: '42501',
  rate_limited: '53400',
  forbidden_sql: '42501',
  sql_error: 'XX000',
  timeout: '57014',
  cancelled: '57014',
  busy: '53300',
  too_large: '54000',
  unavailable: '57P03',
  config: 'F0000',
  internal: 'XX000',
};

/** DuckDB's error types (errorType in the details of a sql_error) and the classes PostgreSQL reports them under. */
const BY_DUCKDB_TYPE: Record<string, string> = {
  Parser: '42601',
  Syntax: '42601',
  Catalog: '42P01',
  Binder: '42703',
  Conversion: '22P02',
  'Invalid Input': '22P02',
  'Out of Range': '22003',
  'Mismatch Type': '42804',
  'Not implemented': '0A000',
  Constraint: '23000',
};

/** Thrown by the door itself for what the protocol or the door does not offer. */
export class PgError extends Error {
  constructor(
    readonly sqlstate: string,
    message: string,
  ) {
    super(message);
    this.name = 'PgError';
  }
}

export function toBackendError(err: unknown): BackendError {
  if (err instanceof PgError) return { severity: 'ERROR', code: err.sqlstate, message: err.message };
  if (!(err instanceof EngineError))
    return { severity: 'ERROR', code: 'XX000', message: `internal error: ${errorMessage(err)}` };
  const type = typeof err.details?.['errorType'] === 'string' ? err.details['errorType'] : undefined;
  let code = (err.code === 'sql_error' && type && BY_DUCKDB_TYPE[type]) || BY_CODE[err.code];
  // The memory limit is its own class: the query must shrink, not wait.
  if (err.code === 'too_large' && /memory/.test(err.message)) code = '53200';
  const out: BackendError = { severity: 'ERROR', code, message: err.message };
  const position = err.details?.['position'];
  // PostgreSQL counts characters from 1; the sandbox reports an offset from 0.
  if (typeof position === 'number') out.position = String(position + 1);
  return out;
}
