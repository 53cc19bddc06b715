// SQL text for values that DuckDB cannot take as bound parameters (inside a view's template, a COPY, a DDL statement).
// Everything else reaches SQL as a parameter ($name) instead.

/** A TIMESTAMPTZ literal for an instant in epoch milliseconds; ISO text has no quote to escape. */
export function timestampLiteral(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`not an instant: ${ms}`);
  return `TIMESTAMPTZ '${new Date(ms).toISOString()}'`;
}

/** A string literal: single quotes doubled, the one escape DuckDB's parser knows in a standard string. */
export function sqlString(s: string): string {
  return `'${s.replaceAll("'", "''")}'`;
}
