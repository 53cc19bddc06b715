// Reference tables for views: each views/_tables/<name>.csv becomes the table <name>, reloaded at start-up.
// A column whose every value is a number is DOUBLE, any other VARCHAR; the first line names the columns.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import type { Connection } from '../db.ts';
import { ViewError } from './definition.ts';
import { DEFAULT_VIEWS_DIR } from './load.ts';

export interface RefTable { name: string; file: string; columns: string[]; types: ('DOUBLE' | 'VARCHAR')[]; rows: (string | number | null)[][] }

/** Splits one CSV line; double quotes may hold commas and doubled quotes. */
export function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (ch === '"') quoted = false; else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') { out.push(cur); cur = ''; } else cur += ch;
  }
  out.push(cur);
  return out.map((s) => s.trim());
}

export function parseRefTable(file: string, text: string): RefTable {
  const name = basename(file, '.csv');
  if (!/^[a-z][a-z0-9_]{1,62}$/.test(name)) throw new ViewError(file, 1, 'the file name must be a snake_case table name');
  const lines = text.split('\n').map((l) => l.replace(/\r$/, '')).filter((l) => l.trim() !== '' && !l.startsWith('#'));
  if (lines.length === 0) throw new ViewError(file, 1, 'empty file: the first line must name the columns');
  const columns = splitCsvLine(lines[0]!);
  for (const c of columns) if (!/^[a-z][a-z0-9_]*$/.test(c)) throw new ViewError(file, 1, `column "${c}" must be a snake_case name`);
  const cells = lines.slice(1).map((l, i) => {
    const v = splitCsvLine(l);
    if (v.length !== columns.length) throw new ViewError(file, i + 2, `${v.length} values for ${columns.length} columns`);
    return v;
  });
  const types = columns.map((_, c) => (cells.every((r) => r[c] === '' || Number.isFinite(Number(r[c]))) ? 'DOUBLE' : 'VARCHAR') as 'DOUBLE' | 'VARCHAR');
  const rows = cells.map((r) => r.map((v, c) => (v === '' ? null : types[c] === 'DOUBLE' ? Number(v) : v)));
  return { name, file, columns, types, rows };
}

export function loadRefTables(dir: string = DEFAULT_VIEWS_DIR): RefTable[] {
  const folder = join(dir, '_tables');
  if (!existsSync(folder)) return [];
  return readdirSync(folder).filter((f) => f.endsWith('.csv')).sort()
    .map((f) => parseRefTable(relative(process.cwd(), join(folder, f)), readFileSync(join(folder, f), 'utf8')));
}

/** Replaces each table's rows in one transaction (a few hundred rows at most: one statement with a JSON parameter). */
export async function installRefTables(conn: Connection, tables: readonly RefTable[]): Promise<void> {
  for (const t of tables) {
    const spec = `{${t.columns.map((c, i) => `"${c}":"${t.types[i]}"`).join(',')}}`;
    const json = JSON.stringify(t.rows.map((r) => Object.fromEntries(t.columns.map((c, i) => [c, r[i]]))));
    await conn.transaction(async () => {
      await conn.run(`CREATE OR REPLACE TABLE ${t.name} (${t.columns.map((c, i) => `${c} ${t.types[i]}`).join(', ')})`);
      if (t.rows.length) await conn.run(`INSERT INTO ${t.name} SELECT unnest(from_json($rows::JSON, '[${spec}]'), recursive := true)`, { rows: json });
    });
  }
}
