// The rollup store and what the engine remembers of each view between runs: the signature of its definition (a
// changed one rebuilds the view's rows from the raw events) and when its rows were last written.
import { createHash } from 'node:crypto';
import type { Connection } from '../db.ts';
import { sqlString } from '../sql/index.ts';
import { ViewError, type ViewDef } from './definition.ts';

/** Bump when the rollup layout changes: every rollup is then rebuilt from the raw events. */
const LAYOUT = 'v3';

/**
 * Every view's rows live in one table, keyed by (view, t, area): a tick then writes all its views in one statement
 * (a statement per view cost more than recomputing the windows). Each view keeps its own name as a SQL view over it.
 * No unique index: one more structure that an out-of-memory error in the middle of a write can leave corrupt (DuckDB
 * then invalidates the whole database). Rows are merged by (view, t, area) instead, see Rollups.
 */
export const ROLLUP_TABLE = 'rollups';
const ROW_COLUMNS =
  't TIMESTAMPTZ NOT NULL, area VARCHAR NOT NULL, value DOUBLE, n BIGINT NOT NULL, weight DOUBLE, ' +
  'sources BIGINT, late BIGINT NOT NULL, updated_at TIMESTAMPTZ NOT NULL';
const ROW_NAMES = 't, area, value, n, weight, sources, late, updated_at';

export async function installViewState(conn: Connection): Promise<void> {
  await conn.run(`CREATE TABLE IF NOT EXISTS view_state (
    name VARCHAR PRIMARY KEY, signature VARCHAR NOT NULL, updated_at TIMESTAMPTZ NOT NULL)`);
  await conn.run(`CREATE TABLE IF NOT EXISTS ${ROLLUP_TABLE} (view VARCHAR NOT NULL, ${ROW_COLUMNS})`);
}

/** What a view's rows depend on: a change of any of it rebuilds them. */
function signatureOf(v: ViewDef): string {
  const definition = [LAYOUT, v.sql, v.windowMs, v.rangeMs, v.merge, v.latenessMs, v.base, v.source];
  return createHash('sha256').update(JSON.stringify(definition)).digest('hex');
}

/** Marks a view's rows as still being made: an engine stopped before the end rebuilds them at its next start. */
const PENDING = 'pending:';

/**
 * Clears the rows of each view whose definition changed since the last run or whose base was rebuilt here (a base
 * comes before the views over it), and makes the SQL views missing from `existing`; returns the names of the views it
 * cleared (their windows must then all be recomputed). `pending`: the rows are backfilled over several ticks, and
 * count as made only once `backfilled` says so. One read and one transaction for them all: a statement and a commit
 * per view took about a third of an engine's start.
 */
export async function ensureRollups(
  conn: Connection,
  views: readonly ViewDef[],
  existing: ReadonlySet<string>,
  pending = false,
): Promise<Set<string>> {
  const states = new Map(
    (await conn.objects<{ name: string; signature: string }>('SELECT name, signature FROM view_state')).map((r) => [
      r.name,
      r.signature,
    ]),
  );
  // The SQL view depends on the name alone: made once (each DDL statement is a commit of its own).
  for (const v of views)
    if (!existing.has(v.name))
      await conn.run(
        `CREATE OR REPLACE VIEW ${v.name} AS SELECT ${ROW_NAMES} FROM ${ROLLUP_TABLE} WHERE view = ${sqlString(v.name)}`,
      );
  const cleared = new Set<string>();
  const rows: string[] = [];
  for (const v of views) {
    const signature = signatureOf(v);
    const baseRebuilt = v.base !== undefined && cleared.has(v.base);
    if (states.get(v.name) === signature && !baseRebuilt && !pending) continue;
    cleared.add(v.name);
    rows.push(`(${sqlString(v.name)}, ${sqlString(pending ? PENDING + signature : signature)}, now())`);
  }
  if (cleared.size === 0) return cleared;
  await conn.transaction(async () => {
    await conn.run(
      `DELETE FROM ${ROLLUP_TABLE} WHERE view IN (${[...cleared].map((name) => sqlString(name)).join(', ')})`,
    );
    await conn.run(`INSERT OR REPLACE INTO view_state VALUES ${rows.join(', ')}`);
  });
  return cleared;
}

/** A backfilled view's rows are all made. */
export async function backfilled(conn: Connection, v: ViewDef): Promise<void> {
  await conn.run('UPDATE view_state SET signature = $signature, updated_at = now() WHERE name = $name', {
    name: v.name,
    signature: signatureOf(v),
  });
}

/** A removed view: its rows, its state and its SQL view go. */
export async function dropRollup(conn: Connection, name: string): Promise<void> {
  await conn.transaction(async () => {
    await conn.run(`DELETE FROM ${ROLLUP_TABLE} WHERE view = $name`, { name });
    await conn.run('DELETE FROM view_state WHERE name = $name', { name });
  });
  await conn.run(`DROP VIEW IF EXISTS ${name}`);
}

/** The SQL views of the database, by name. */
export async function existingViews(conn: Connection): Promise<Set<string>> {
  const rows = await conn.objects<{ name: string }>(
    "SELECT view_name AS name FROM duckdb_views() WHERE database_name = current_database() AND schema_name = 'main' AND NOT internal",
  );
  return new Set(rows.map((r) => r.name));
}

/** When each view's rows were last written (epoch ms); a view with none is absent. */
export async function lastWritten(conn: Connection): Promise<Map<string, number>> {
  const rows = await conn.objects<{ view: string; ms: number }>(
    `SELECT view, epoch_ms(max(updated_at)) AS ms FROM ${ROLLUP_TABLE} GROUP BY view`,
  );
  return new Map(rows.map((r) => [r.view, Number(r.ms)]));
}

/**
 * Earlier releases kept a table per view (some with a primary key on (t, area)): each one named like a view is moved
 * into the one rollup table, in one transaction per view, so no history is lost and no view is rebuilt from the
 * (shorter-lived) raw events. Another table holding a view's name is a clash the author must resolve.
 */
export async function migrateRollupTables(conn: Connection, views: readonly ViewDef[]): Promise<void> {
  const tables = await conn.objects<{ name: string; columns: string[] }>(`
    SELECT table_name AS name, list(column_name ORDER BY column_index) AS columns FROM duckdb_columns()
    WHERE database_name = current_database() AND schema_name = 'main' AND table_name IN (
      SELECT table_name FROM duckdb_tables() WHERE database_name = current_database() AND schema_name = 'main' AND NOT temporary)
    GROUP BY table_name`);
  const byName = new Map(tables.map((t) => [t.name, t.columns.join(', ')]));
  for (const v of views) {
    const columns = byName.get(v.name);
    if (columns === undefined) continue;
    if (columns !== ROW_NAMES)
      throw new ViewError(
        v.file,
        1,
        `"${v.name}" is the name of a table of the database (columns ${columns}): rename the view`,
      );
    await conn.transaction(async () => {
      await conn.run(`DELETE FROM ${ROLLUP_TABLE} WHERE view = $name`, { name: v.name });
      await conn.run(`INSERT INTO ${ROLLUP_TABLE} SELECT ${sqlString(v.name)}, ${ROW_NAMES} FROM ${v.name}`);
      await conn.run(`DROP TABLE ${v.name}`);
    });
  }
}

/**
 * Rewrites the rollups in time order. A history rolled up view by view leaves each row group holding one view's whole
 * day, so a tick's join of its few changed windows with the stored rows (and its MERGE) scanned every row group; in
 * time order the row groups of other hours are skipped by their bounds (over a day of rollups, a million rows: 15–18
 * against 7–9 ms a join, 18–24 against 8–11 ms a MERGE). Live ticks then append in time order by themselves.
 */
export async function sortRollups(conn: Connection): Promise<void> {
  const sorted = `${ROLLUP_TABLE}_sorted`;
  await conn.transaction(async () => {
    await conn.run(`CREATE OR REPLACE TEMP TABLE ${sorted} AS SELECT * FROM ${ROLLUP_TABLE} ORDER BY t, view, area`);
    await conn.run(`DELETE FROM ${ROLLUP_TABLE}`);
    await conn.run(`INSERT INTO ${ROLLUP_TABLE} SELECT * FROM ${sorted}`);
    await conn.run(`DROP TABLE ${sorted}`);
  });
  // The deleted row groups are given back at a checkpoint, not at the commit; one busy now is the checkpointer's later.
  await conn.run('CHECKPOINT').catch(() => undefined);
}
