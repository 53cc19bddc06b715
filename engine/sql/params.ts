// Values that travel as bound parameters but have no JavaScript form the connection binds directly: an instant goes
// as ISO text cast on the SQL side, a list of strings as JSON unnested there.
import { timestampLiteral } from './literals.ts';

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
  return `${column} IN ${unnestedStrings(`$${name}`)}`;
}

/** The parameter for rows read by `jsonRowsSql`: objects whose fields are its columns. */
export function rowsParam(rows: readonly Record<string, string | number | null>[]): string {
  return JSON.stringify(rows);
}

/**
 * The rows of parameter `name` (given by `rowsParam`) as a table of the named columns and types: many rows written or
 * matched in one statement, whatever their text holds (JSON carries it, the statement's text does not).
 */
export function jsonRowsSql(name: string, columns: Record<string, 'VARCHAR' | 'DOUBLE'>): string {
  return `(SELECT unnest(from_json($${name}::JSON, '[${JSON.stringify(columns)}]'), recursive := true))`;
}

/** The strings of a JSON list (SQL text of it), one row each. */
function unnestedStrings(json: string): string {
  return `(SELECT unnest(from_json(${json}::JSON, '["VARCHAR"]')))`;
}

/** The temporary table a planned statement reads its arguments from (one per connection). */
export const ARGS_TABLE = 'statement_args';

/**
 * Arguments collected while a statement's text is written, so that the text repeats from run to run and DuckDB's plan
 * of it is kept (`Connection.runPlanned`). They are not bound parameters: DuckDB plans a statement with parameters
 * again at every run (so that their values reach its filters), which costs as much as planning it afresh. They go
 * into a one-row-per-argument temporary table just before the statement, and the statement reads each one with a
 * scalar subquery: a filter on it still prunes by the zone maps, at run time.
 */
export class Bindings {
  readonly values: { ts: number | null; n: number | null; s: string | null }[] = [];

  /** An instant in epoch milliseconds, as a TIMESTAMPTZ. */
  instant(ms: number): string {
    if (!Number.isFinite(ms)) throw new RangeError(`not an instant: ${ms}`);
    return this.add('ts', { ts: ms, n: null, s: null });
  }

  /** A whole number up to 2^53 (a batch number), as a BIGINT. */
  bigint(n: number): string {
    if (!Number.isSafeInteger(n)) throw new RangeError(`not a safe integer: ${n}`);
    return this.add('n', { ts: null, n, s: null });
  }

  /** A text, as a VARCHAR. */
  text(s: string): string {
    return this.add('s', { ts: null, n: null, s });
  }

  /** A list of strings, as rows to test with IN. */
  strings(values: readonly string[]): string {
    return unnestedStrings(this.text(stringsParam(values)));
  }

  private add(column: string, value: Bindings['values'][number]): string {
    this.values.push(value);
    return `(SELECT ${column} FROM ${ARGS_TABLE} WHERE k = ${this.values.length - 1})`;
  }
}

/** An instant as an argument when a collector is given, else as a literal. */
export function instantSql(ms: number, b?: Bindings): string {
  return b ? b.instant(ms) : timestampLiteral(ms);
}
