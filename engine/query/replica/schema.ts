// What the analysts' replica holds: every table of the engine's database, how each is kept in step, and the views and macros over them.
import type { Connection } from '../../db.ts';
import { BATCH_COLUMN } from '../../store/index.ts';

/**
 * append: raw rows, copied by the batch that committed them (`_batch` above the cursor); merge: rollups, rows
 * updated since the cursor replace theirs by (t, area); replace: small or mutable tables, copied whole when they change.
 */
type Mode = 'append' | 'merge' | 'replace';

export interface MirroredTable {
  name: string;
  mode: Mode;
  /** Columns as analysts see them (the batch column stays behind). */
  columns: { name: string; type: string; nullable: boolean }[];
}

export const quoteIdent = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** The engine's tables and views as they stand once it has started (rollups made, reference tables loaded). */
export async function readSchema(
  main: Connection,
  rollups: ReadonlySet<string>,
): Promise<{ tables: MirroredTable[]; views: string[] }> {
  const cols = await main.objects<{
    table_name: string;
    column_name: string;
    data_type: string;
    is_nullable: boolean;
  }>(`
    SELECT c.table_name, c.column_name, c.data_type, c.is_nullable FROM duckdb_columns() c
    JOIN duckdb_tables() t ON t.database_name = c.database_name AND t.schema_name = c.schema_name AND t.table_name = c.table_name
    WHERE c.database_name = current_database() AND c.schema_name = 'main' AND NOT t.temporary AND NOT t.internal
    ORDER BY c.table_name, c.column_index`);
  const byTable = new Map<string, MirroredTable['columns']>();
  const hasBatch = new Set<string>();
  for (const c of cols) {
    if (c.column_name === BATCH_COLUMN) {
      hasBatch.add(c.table_name);
      continue;
    }
    const list = byTable.get(c.table_name) ?? [];
    list.push({ name: c.column_name, type: c.data_type, nullable: c.is_nullable });
    byTable.set(c.table_name, list);
  }
  const tables = [...byTable].map(([name, columns]): MirroredTable => ({
    name,
    columns,
    mode: hasBatch.has(name) ? 'append' : rollups.has(name) ? 'merge' : 'replace',
  }));
  // DuckDB keeps each view's own CREATE statement: replayed as written, it binds to the replica's tables of the same
  // names. In creation order (the engine makes every view afresh at start, each after those it reads), since a view
  // binds its sources as it is made.
  const views = await main.objects<{ sql: string }>(`
    SELECT sql FROM duckdb_views() WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal AND NOT temporary ORDER BY view_oid`);
  return { tables, views: views.map((v) => v.sql) };
}

export function createSql(t: MirroredTable, name = quoteIdent(t.name), temp = false): string {
  // Stages take whatever comes; the tables keep NOT NULL, so the catalog tells analysts what the engine guarantees.
  return `CREATE ${temp ? 'TEMP ' : ''}TABLE ${name} (${t.columns.map((c) => `${quoteIdent(c.name)} ${c.type}${c.nullable || temp ? '' : ' NOT NULL'}`).join(', ')})`;
}

export function columnList(t: MirroredTable): string {
  return t.columns.map((c) => quoteIdent(c.name)).join(', ');
}
