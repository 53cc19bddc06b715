// Values that travel as bound parameters but have no JavaScript form the connection binds directly: an instant goes
// as ISO text cast on the SQL side, a list of strings as JSON unnested there.

/** The parameter for an instant in epoch milliseconds; the SQL casts it: `$name::TIMESTAMPTZ`. */
export function timestampParam(ms: number): string {
  if (!Number.isFinite(ms)) throw new RangeError(`not an instant: ${ms}`);
  return new Date(ms).toISOString();
}

/** The parameter for a list of strings, read by `inStringsSql`. */
export function stringsParam(values: readonly string[]): string {
  return JSON.stringify(values);
}

/** `column IN` the strings of parameter `name` (given by `stringsParam`). */
export function inStringsSql(column: string, name: string): string {
  return `${column} IN (SELECT unnest(from_json($${name}::JSON, '["VARCHAR"]')))`;
}
