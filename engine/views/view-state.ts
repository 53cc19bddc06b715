// The rollup tables and what the engine remembers of each view between runs: the signature of its definition (a
// changed one rebuilds the rollup from the raw events) and when its rows were last written.
import { createHash } from 'node:crypto';
import type { Connection } from '../db.ts';
import type { ViewDef } from './definition.ts';

/** Bump when the rollup layout changes: every rollup is then rebuilt from the raw events. */
const LAYOUT = 'v3';
/**
 * No key on (t, area): a unique index is one more structure that an out-of-memory error in the middle of a write can
 * leave corrupt (DuckDB then invalidates the whole database). Rows are merged by (t, area) instead, see Rollups.
 */
const ROLLUP_COLUMNS =
  't TIMESTAMPTZ NOT NULL, area VARCHAR NOT NULL, value DOUBLE, n BIGINT NOT NULL, weight DOUBLE, ' +
  'sources BIGINT, late BIGINT NOT NULL, updated_at TIMESTAMPTZ NOT NULL';

export async function installViewState(conn: Connection): Promise<void> {
  await conn.run(`CREATE TABLE IF NOT EXISTS view_state (
    name VARCHAR PRIMARY KEY, signature VARCHAR NOT NULL, updated_at TIMESTAMPTZ NOT NULL)`);
}

/**
 * Makes the view's rollup table, empty, when its definition changed since the last run or its base was just rebuilt;
 * returns whether it did (its windows must then all be recomputed).
 */
export async function ensureRollup(conn: Connection, v: ViewDef, baseRebuilt: boolean): Promise<boolean> {
  const definition = [LAYOUT, v.sql, v.windowMs, v.rangeMs, v.merge, v.latenessMs, v.base, v.source];
  const signature = createHash('sha256').update(JSON.stringify(definition)).digest('hex');
  const [state] = await conn.objects<{ signature: string }>('SELECT signature FROM view_state WHERE name = $name', {
    name: v.name,
  });
  if (state?.signature === signature && !baseRebuilt) return false;
  await conn.run(`DROP TABLE IF EXISTS ${v.name}`);
  await conn.run(`CREATE TABLE ${v.name} (${ROLLUP_COLUMNS})`);
  await conn.run('INSERT OR REPLACE INTO view_state VALUES ($name, $signature, now())', { name: v.name, signature });
  return true;
}

/** When the view's rollup was last written (epoch ms), or null for an empty one. */
export async function lastWritten(conn: Connection, v: ViewDef): Promise<number | null> {
  const [row] = await conn.objects<{ ms: number | null }>(`SELECT epoch_ms(max(updated_at)) AS ms FROM ${v.name}`);
  return row?.ms ?? null;
}

/**
 * Rollups made by an earlier release carry a primary key on (t, area): each is copied into a table without it, in one
 * transaction, so no history is lost and no view is rebuilt from the (shorter-lived) raw events.
 */
export async function dropRollupKeys(conn: Connection, names: readonly string[]): Promise<void> {
  const keyed = await conn.objects<{ table_name: string }>(`SELECT DISTINCT table_name FROM duckdb_constraints()
    WHERE constraint_type = 'PRIMARY KEY' AND schema_name = 'main' AND database_name = current_database()`);
  for (const { table_name: name } of keyed) {
    if (!names.includes(name)) continue;
    await conn.transaction(async () => {
      await conn.run(`CREATE TABLE ${name}__unkeyed (${ROLLUP_COLUMNS})`);
      await conn.run(
        `INSERT INTO ${name}__unkeyed SELECT t, area, value, n, weight, sources, late, updated_at FROM ${name}`,
      );
      await conn.run(`DROP TABLE ${name}`);
      await conn.run(`ALTER TABLE ${name}__unkeyed RENAME TO ${name}`);
    });
  }
}
