// DuckDB's errors on the analysts' connections come as JSON (errors_as_json): turned into an EngineError with its position.
import { EngineError } from '../errors.ts';

interface DuckDBErrorJson {
  exception_type?: string;
  exception_message?: string;
  position?: string;
  error_subtype?: string;
}

/**
 * The error an analyst sees: DuckDB's own message, and where in the SQL text it stopped as a character offset
 * (DuckDB counts UTF-8 bytes; Vietnamese names in a string literal would shift a byte offset).
 */
export function sqlError(err: unknown, sql: string): EngineError {
  const raw = err instanceof Error ? err.message : String(err);
  const json = parseJson(raw);
  if (!json) return new EngineError('sql_error', raw.replace(/^Failed to extract statements: /, ''), { cause: err });
  const type = json.exception_type ?? 'SQL';
  const message = `${type} Error: ${json.exception_message ?? raw}`;
  const bytes = json.position !== undefined ? Number(json.position) : Number.NaN;
  const details: Record<string, unknown> = { errorType: type };
  if (Number.isInteger(bytes) && bytes >= 0) {
    const position = Buffer.from(sql, 'utf8').subarray(0, bytes).toString('utf8').length;
    const before = sql.slice(0, position).split('\n');
    Object.assign(details, { position, line: before.length, column: before.at(-1)!.length + 1 });
  }
  if (type === 'Permission') return new EngineError('forbidden_sql', message, { cause: err, details });
  if (type === 'INTERRUPT' || type === 'Interrupt') return new EngineError('timeout', message, { cause: err, details });
  // Stopped by the memory limit rather than by time: the analyst must narrow the query, not wait and retry.
  if (type === 'Out of Memory') {
    return new EngineError(
      'too_large',
      `the query needs more memory than the analysts' limit allows; filter or aggregate further (${message})`,
      { cause: err, details },
    );
  }
  return new EngineError('sql_error', message, { cause: err, details });
}

function parseJson(message: string): DuckDBErrorJson | null {
  const start = message.indexOf('{');
  if (start < 0) return null;
  try {
    const value: unknown = JSON.parse(message.slice(start));
    return typeof value === 'object' && value !== null ? (value as DuckDBErrorJson) : null;
  } catch {
    return null;
  }
}
