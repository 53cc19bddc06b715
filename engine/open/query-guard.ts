// Whether a saved query may be published: it may read only published-able indicator views (aggregates over areas and
// windows), decided on the syntax tree DuckDB's own parser makes of it, never on the text.
import type { Connection } from '../db.ts';
import { EngineError } from '../errors.ts';
import { checkStatement } from '../query/statement.ts';

/** Table functions that make rows from their arguments alone; every other one reads something else. */
const ROW_MAKERS: ReadonlySet<string> = new Set(['range', 'generate_series', 'unnest']);

/** The tree json_serialize_sql writes. */
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** The names the statement defines with WITH, at any depth. */
function cteNames(tree: Json): Set<string> {
  const names = new Set<string>();
  const stack: Json[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (Array.isArray(node)) {
      stack.push(...node);
      continue;
    }
    if (typeof node !== 'object' || node === null) continue;
    const map = (node['cte_map'] as { map?: { key?: unknown }[] } | undefined)?.map;
    if (Array.isArray(map)) for (const e of map) if (typeof e.key === 'string') names.add(e.key.toLowerCase());
    for (const child of Object.values(node)) stack.push(child);
  }
  return names;
}

/**
 * Refuses a statement that reads anything but `readable` (the publishable indicator views) and its own WITH names.
 * `relations`: every table and view of the database, so a WITH name cannot stand in for one of them in another scope.
 */
export async function checkPublishableSql(
  conn: Connection,
  sql: string,
  readable: ReadonlySet<string>,
  relations: ReadonlySet<string>,
): Promise<string[]> {
  const facts = await checkStatement(conn, sql, 'analyst');
  const { rows } = await conn.query('SELECT json_serialize_sql($sql::VARCHAR)', { sql });
  const tree = JSON.parse(String(rows[0]![0])) as { statements: Json[] };
  const ctes = cteNames(tree.statements[0] ?? null);
  for (const name of ctes)
    if (relations.has(name))
      throw new EngineError(
        'bad_request',
        `field "query": WITH ${name} shadows a table or view of the database; choose another name`,
      );
  for (const f of facts.functions)
    if (f.inFrom && !ROW_MAKERS.has(f.name))
      throw new EngineError(
        'bad_request',
        `field "query": ${f.name}() is not an indicator; a published query reads only indicator views`,
      );
  const read = new Set<string>();
  for (const t of facts.tables) {
    if (t.qualified) throw new EngineError('bad_request', `field "query": name ${t.name} without a schema or catalog`);
    if (ctes.has(t.name)) continue;
    if (!readable.has(t.name))
      throw new EngineError(
        'bad_request',
        `field "query": it reads ${t.name}, which is not a publishable indicator; only aggregates over areas and windows (the views of GET /api/indicators, not security ones) may be published`,
      );
    read.add(t.name);
  }
  return [...read];
}

/** The tables and views a statement names, at any depth (its WITH names among them). */
export async function tablesRead(conn: Connection, sql: string): Promise<string[]> {
  return (await checkStatement(conn, sql, 'admin')).tables.map((t) => t.name);
}
