// Puts a tick's staged rows into a temporary table through one argument DuckDB parses itself (from_json), not an
// appender: an appender's flush is a synchronous call on the event loop, and one that waits for a lock held by a
// query under way on another connection stops the whole process (seen with many databases in one process).
import type { Connection } from '../../db.ts';
import { Bindings } from '../../sql/index.ts';

/** Rows left in each stage table by the last call (a tick without work then runs no statement). */
const staged = new WeakMap<Connection, Map<string, number>>();

/** `columns`: name and SQL type of each column, in the table's order; `values[i]`: column i's values, same length. */
export async function stageRows(
  conn: Connection,
  table: string,
  columns: readonly (readonly [string, string])[],
  values: readonly unknown[][],
): Promise<void> {
  let counts = staged.get(conn);
  if (!counts) staged.set(conn, (counts = new Map()));
  if (counts.get(table) !== 0) await conn.emptyScratch(table);
  counts.set(table, values[0]?.length ?? 0);
  if ((values[0]?.length ?? 0) === 0) return;
  const shape = JSON.stringify(Object.fromEntries(columns.map(([name, type]) => [name, [type]])));
  const json = JSON.stringify(Object.fromEntries(columns.map(([name], i) => [name, values[i]])));
  const b = new Bindings();
  await conn.runPlanned(
    `INSERT INTO ${table} SELECT ${columns.map(([name]) => `unnest(s.${name})`).join(', ')}
     FROM (SELECT from_json(${b.text(json)}, '${shape}') AS s)`,
    b,
  );
}
