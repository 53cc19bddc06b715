// Named errors of the engine; serve/errors.ts is the one place that turns them into HTTP answers.

export type ErrorCode =
  | 'bad_request'
  | 'not_found'
  | 'conflict'
  | 'unauthorized'
  | 'forbidden'
  | 'rate_limited'
  | 'forbidden_sql'
  | 'sql_error'
  | 'timeout'
  | 'cancelled'
  | 'busy'
  | 'too_large'
  | 'unavailable'
  | 'config'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  bad_request: 400,
  not_found: 404,
  conflict: 409,
  unauthorized: 401,
  forbidden: 403,
  rate_limited: 429,
  forbidden_sql: 403,
  sql_error: 400,
  timeout: 408,
  cancelled: 409,
  busy: 429,
  too_large: 413,
  unavailable: 503,
  config: 500,
  internal: 500,
};

export class EngineError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  /** Extra fields for the JSON error body, e.g. where in an SQL text DuckDB stopped. */
  readonly details: Readonly<Record<string, unknown>> | undefined;
  constructor(code: ErrorCode, message: string, options?: { cause?: unknown; details?: Record<string, unknown> }) {
    super(message, options);
    this.name = 'EngineError';
    this.code = code;
    this.status = STATUS[code];
    this.details = options?.details;
  }
}

/** A configuration problem: start-up stops and prints every issue at once. */
export class ConfigError extends EngineError {
  readonly issues: readonly string[];
  constructor(issues: readonly string[]) {
    super('config', `invalid configuration:\n  - ${issues.join('\n  - ')}`);
    this.name = 'ConfigError';
    this.issues = issues;
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
