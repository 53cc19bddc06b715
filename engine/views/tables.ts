// Reference tables for views: each views/_tables/<name>.csv becomes the table <name>, reloaded at start-up.
// A column whose every value is a number is DOUBLE, any other VARCHAR; the first line names the columns.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { CsvSyntaxError, csvRecords, type CsvRecord } from '../csv-records.ts';
import type { Connection } from '../db.ts';
import { ViewError } from './definition.ts';
import { DEFAULT_VIEWS_DIR } from './load.ts';

export interface RefTable {
  name: string;
  file: string;
  columns: string[];
  types: ('DOUBLE' | 'VARCHAR')[];
  rows: (string | number | null)[][];
}

export function parseRefTable(file: string, text: string): RefTable {
  const name = basename(file, '.csv');
  if (!/^[a-z][a-z0-9_]{1,62}$/.test(name))
    throw new ViewError(file, 1, 'the file name must be a snake_case table name');
  let records: CsvRecord[];
  try {
    records = csvRecords(text);
  } catch (err) {
    if (err instanceof CsvSyntaxError) throw new ViewError(file, err.line, err.message);
    throw err;
  }
  const [head, ...body] = records;
  if (!head) throw new ViewError(file, 1, 'empty file: the first line must name the columns');
  const columns = head.fields;
  for (const c of columns)
    if (!/^[a-z][a-z0-9_]*$/.test(c)) throw new ViewError(file, head.line, `column "${c}" must be a snake_case name`);
  const cells = body.map(({ fields, line }) => {
    if (fields.length !== columns.length)
      throw new ViewError(file, line, `${fields.length} values for ${columns.length} columns`);
    return fields;
  });
  const types = columns.map(
    (_, c) =>
      (cells.every((r) => r[c] === '' || Number.isFinite(Number(r[c]))) ? 'DOUBLE' : 'VARCHAR') as 'DOUBLE' | 'VARCHAR',
  );
  const rows = cells.map((r) => r.map((v, c) => (v === '' ? null : types[c] === 'DOUBLE' ? Number(v) : v)));
  return { name, file, columns, types, rows };
}

export function loadRefTables(dir: string = DEFAULT_VIEWS_DIR): RefTable[] {
  const folder = join(dir, '_tables');
  if (!existsSync(folder)) return [];
  return readdirSync(folder)
    .filter((f) => f.endsWith('.csv'))
    .sort()
    .map((f) => parseRefTable(relative(process.cwd(), join(folder, f)), readFileSync(join(folder, f), 'utf8')));
}

/** Replaces each table's rows in one transaction (a few hundred rows at most: one statement with a JSON parameter). */
export async function installRefTables(conn: Connection, tables: readonly RefTable[]): Promise<void> {
  for (const t of tables) {
    const spec = `{${t.columns.map((c, i) => `"${c}":"${t.types[i]}"`).join(',')}}`;
    const json = JSON.stringify(t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]]))));
    await conn.transaction(async () => {
      await conn.run(`CREATE OR REPLACE TABLE ${t.name} (${t.columns.map((c, i) => `${c} ${t.types[i]}`).join(', ')})`);
      if (t.rows.length)
        await conn.run(`INSERT INTO ${t.name} SELECT unnest(from_json($rows::JSON, '[${spec}]'), recursive := true)`, {
          rows: json,
        });
    });
  }
}
