// What analysts can query: the database's tables and views with their columns, types and row counts.
import type { Connection } from '../db.ts';
import { sqlString } from '../sql/index.ts';

interface CatalogColumn {
  name: string;
  type: string;
  nullable: boolean;
}
interface CatalogTable {
  name: string;
  kind: 'table' | 'view';
  rows: number | null;
  columns: CatalogColumn[];
  comment: string | null;
}
export interface Catalog {
  tables: CatalogTable[];
}

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Tables get exact counts (DuckDB answers count(*) from metadata quickly); a view's count would run the view, so it is left null. */
export async function readCatalog(conn: Connection): Promise<Catalog> {
  const objects = await conn.objects<{ name: string; kind: 'table' | 'view'; comment: string | null }>(`
    SELECT table_name AS name, 'table' AS kind, comment FROM duckdb_tables()
    WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal AND NOT temporary
    UNION ALL
    SELECT view_name, 'view', comment FROM duckdb_views()
    WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal AND NOT temporary
    ORDER BY name`);
  if (objects.length === 0) return { tables: [] };
  const columns = await conn.objects<{
    table_name: string;
    column_name: string;
    data_type: string;
    is_nullable: boolean;
  }>(`
    SELECT table_name, column_name, data_type, is_nullable FROM duckdb_columns()
    WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal
    ORDER BY table_name, column_index`);
  const tables = objects.filter((o) => o.kind === 'table');
  const counts = new Map<string, number>();
  if (tables.length > 0) {
    const rows = await conn.objects<{ name: string; n: number }>(
      tables.map((t) => `SELECT ${sqlString(t.name)} AS name, count(*) AS n FROM ${quote(t.name)}`).join(' UNION ALL '),
    );
    for (const r of rows) counts.set(r.name, Number(r.n));
  }
  const byTable = new Map<string, CatalogColumn[]>();
  for (const c of columns) {
    const list = byTable.get(c.table_name) ?? [];
    list.push({ name: c.column_name, type: c.data_type, nullable: c.is_nullable });
    byTable.set(c.table_name, list);
  }
  return {
    tables: objects.map((o) => ({
      name: o.name,
      kind: o.kind,
      rows: o.kind === 'table' ? (counts.get(o.name) ?? 0) : null,
      columns: byTable.get(o.name) ?? [],
      comment: o.comment || null,
    })),
  };
}
