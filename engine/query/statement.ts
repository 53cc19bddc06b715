// Classifies an analyst's SQL with DuckDB's own parser, so what is checked is exactly what runs: one SELECT, its functions and tables inspected.
import { StatementType, type Connection, type DuckDBPreparedStatement } from '../db.ts';
import { EngineError } from '../errors.ts';
import { checkFacts, checkText, inspect, type StatementFacts } from './guard.ts';
import { sqlError } from './sql-error.ts';

/** How the statement types DuckDB reports read to an analyst. */
const KIND: Partial<Record<number, string>> = {
  [StatementType.INSERT]: 'INSERT',
  [StatementType.UPDATE]: 'UPDATE',
  [StatementType.DELETE]: 'DELETE',
  [StatementType.CREATE]: 'CREATE',
  [StatementType.CREATE_FUNC]: 'CREATE MACRO/FUNCTION',
  [StatementType.ALTER]: 'ALTER',
  [StatementType.DROP]: 'DROP',
  [StatementType.COPY]: 'COPY',
  [StatementType.EXPORT]: 'EXPORT DATABASE',
  [StatementType.PRAGMA]: 'PRAGMA',
  [StatementType.SET]: 'SET/RESET',
  [StatementType.VARIABLE_SET]: 'SET VARIABLE',
  [StatementType.LOAD]: 'INSTALL or LOAD of an extension',
  [StatementType.EXTENSION]: 'an extension statement',
  [StatementType.ATTACH]: 'ATTACH',
  [StatementType.DETACH]: 'DETACH',
  [StatementType.TRANSACTION]: 'a transaction statement (BEGIN, COMMIT, ROLLBACK)',
  [StatementType.PREPARE]: 'PREPARE',
  [StatementType.EXECUTE]: 'EXECUTE',
  [StatementType.CALL]: 'CALL',
  [StatementType.VACUUM]: 'VACUUM',
  [StatementType.ANALYZE]: 'ANALYZE',
  [StatementType.MERGE_INTO]: 'MERGE INTO',
  [StatementType.COPY_DATABASE]: 'COPY FROM DATABASE',
  [StatementType.UPDATE_EXTENSIONS]: 'UPDATE EXTENSIONS',
  [StatementType.EXPLAIN]: 'EXPLAIN (send the query itself with "explain": "plan" or "analyze")',
};
const READS = 'SELECT, WITH, VALUES, FROM, DESCRIBE, SHOW, SUMMARIZE, PIVOT … ON … IN (…)';

export type Explain = 'plan' | 'analyze';

/**
 * Parses `sql` with DuckDB, refuses anything but exactly one SELECT whose tree passes the guard for `role`, and
 * returns what it found. Nothing of the analyst's text has run when this returns.
 */
export async function checkStatement(conn: Connection, sql: string, role: string): Promise<StatementFacts> {
  checkText(sql);
  let count: number;
  try {
    count = (await conn.raw.extractStatements(sql)).count;
  } catch (err) {
    throw sqlError(err, sql);
  }
  if (count === 0) throw new EngineError('bad_request', 'field "sql" holds no statement');
  if (count > 1) {
    throw new EngineError(
      'forbidden_sql',
      `field "sql" holds ${count} statements; send one statement per request (to DuckDB a PIVOT without IN (…) is two: list its values, e.g. ON k IN ('a', 'b'))`,
    );
  }
  const { rows } = await conn.query('SELECT json_serialize_sql($sql::VARCHAR)', { sql });
  const tree = JSON.parse(String(rows[0]![0])) as { error: boolean; error_message?: string; statements?: unknown[] };
  if (tree.error || tree.statements?.length !== 1) {
    throw await refusal(conn, sql, tree.error_message);
  }
  const facts = inspect(tree.statements[0] as Parameters<typeof inspect>[0]);
  checkFacts(facts, role);
  return facts;
}

/**
 * Prepares the checked statement (binding it against the catalog as it is now); with `explain`, the plan of it.
 * The EXPLAIN text is the checked statement behind a keyword the engine adds, and is parsed and typed again.
 */
export async function prepareChecked(
  conn: Connection,
  sql: string,
  explain?: Explain,
): Promise<DuckDBPreparedStatement> {
  const text = explain ? `EXPLAIN ${explain === 'analyze' ? 'ANALYZE ' : ''}${sql}` : sql;
  try {
    const extracted = await conn.raw.extractStatements(text);
    if (extracted.count !== 1)
      throw new EngineError('forbidden_sql', 'the statement changed meaning when prepared; send one SELECT');
    const prepared = await extracted.prepare(0);
    const expected = explain ? StatementType.EXPLAIN : StatementType.SELECT;
    if (prepared.statementType !== expected) {
      prepared.destroySync();
      throw new EngineError(
        'forbidden_sql',
        `only read statements (${READS}) are allowed; this is ${KIND[prepared.statementType] ?? StatementType[prepared.statementType] ?? 'another kind of statement'}`,
      );
    }
    return prepared;
  } catch (err) {
    throw err instanceof EngineError ? err : sqlError(err, sql);
  }
}

/** Words the refusal of a statement that is not a SELECT: its kind as DuckDB types it, when it can be prepared. */
async function refusal(conn: Connection, sql: string, why: string | undefined): Promise<EngineError> {
  let kind: string | undefined;
  try {
    const prepared = await (await conn.raw.extractStatements(sql)).prepare(0);
    kind =
      KIND[prepared.statementType] ??
      (prepared.statementType === StatementType.SELECT
        ? 'PRAGMA or another statement DuckDB runs as a query'
        : StatementType[prepared.statementType]);
    prepared.destroySync();
  } catch {
    // Not even preparable (a missing table, say): the parser's reason is all there is.
  }
  return new EngineError(
    'forbidden_sql',
    `only read statements (${READS}) are allowed; this is ${kind ?? `a statement DuckDB cannot check (${why ?? 'unknown'})`}`,
  );
}
