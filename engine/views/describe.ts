// DuckDB's DESCRIBE of a view's statements, remembered by their text and the catalog they were described against.
// Every start, every view set rebuilt when an analyst creates a view, and every engine of a process (the stores of a
// test run) asked again for the same two hundred, VN_AQI's expanded macros 50 ms each: about 0.4 s of each start.
// The catalog's key (every column of every table and view, and the macros' definitions) is read once per planning, in
// the statement that also lists the aggregate functions the planning needs. A statement that does not bind is not
// remembered: it is asked again.
import type { Connection } from '../db.ts';

export interface DescribedColumn {
  column_name: string;
  column_type: string;
}

export interface Catalog {
  /** What a description depends on besides the statement's text. */
  readonly key: string;
  /** The names DuckDB knows as aggregate functions. */
  readonly aggregates: ReadonlySet<string>;
}

export async function readCatalog(conn: Connection): Promise<Catalog> {
  const [row] = await conn.objects<{ columns: string; macros: string; aggregates: string[] }>(`SELECT
    (SELECT hash(list(database_name || '.' || schema_name || '.' || table_name || '.' || column_name || ':' || data_type
      ORDER BY database_name, schema_name, table_name, column_index)) FROM duckdb_columns())::VARCHAR AS columns,
    (SELECT hash(list(schema_name || '.' || function_name || ':' || coalesce(macro_definition, '')
      ORDER BY schema_name, function_name, macro_definition)) FROM duckdb_functions()
      WHERE function_type IN ('macro', 'table_macro') AND NOT internal)::VARCHAR AS macros,
    (SELECT list(DISTINCT function_name) FROM duckdb_functions() WHERE function_type = 'aggregate') AS aggregates`);
  return { key: `${row!.columns}/${row!.macros}`, aggregates: new Set(row!.aggregates) };
}

const described = new Map<string, DescribedColumn[]>();
/** Views made at run time bring texts of their own: the memory is bounded. */
const MAX_TEXTS = 4096;

/** The columns a SELECT yields, with their types. */
export async function describe(conn: Connection, catalog: Catalog, sql: string): Promise<DescribedColumn[]> {
  const key = `${catalog.key}\n${sql}`;
  let columns = described.get(key);
  if (columns === undefined) {
    const rows = await conn.objects<DescribedColumn>(`DESCRIBE ${sql}`);
    columns = rows.map(({ column_name, column_type }) => ({ column_name, column_type }));
    if (described.size >= MAX_TEXTS) described.clear();
    described.set(key, columns);
  }
  return columns;
}
