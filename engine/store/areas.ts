// Mirrors the loaded areas into the `areas` table so analysts can join events to names and shapes, and moves stored
// data onto new areas when the areas changed since the database was last opened (the 2025 wards replacing districts).
import { createHash } from 'node:crypto';
import type { Connection } from '../db.ts';
import { OUTSIDE, type AreaIndex } from '../geo/index.ts';
import type { Logger } from '../log.ts';
import { FAMILY_DEFS, type Family } from '../schema/index.ts';
import { SOURCE_OF } from './devices.ts';

const STATE_TABLE = 'area_state';

export async function createAreaTables(conn: Connection): Promise<void> {
  await conn.run(`CREATE TABLE IF NOT EXISTS areas (code VARCHAR PRIMARY KEY, name VARCHAR NOT NULL, name_en VARCHAR, kind VARCHAR,
    population BIGINT, area_km2 DOUBLE, centroid_lon DOUBLE, centroid_lat DOUBLE, approximate BOOLEAN, geometry JSON)`);
  // Databases made before the second level have neither column.
  await conn.run('ALTER TABLE areas ADD COLUMN IF NOT EXISTS level VARCHAR');
  await conn.run('ALTER TABLE areas ADD COLUMN IF NOT EXISTS parent VARCHAR');
  await conn.run(
    `CREATE TABLE IF NOT EXISTS ${STATE_TABLE} (signature VARCHAR NOT NULL, loaded_at TIMESTAMPTZ NOT NULL)`,
  );
}

export async function loadAreasTable(conn: Connection, areas: AreaIndex): Promise<void> {
  const rows = [...areas.areas, ...areas.districts].map((a) => ({
    code: a.code,
    name: a.name,
    name_en: a.nameEn ?? null,
    kind: a.kind ?? null,
    population: typeof a.properties.population === 'number' ? a.properties.population : null,
    area_km2: a.areaKm2,
    centroid_lon: a.centroid[0],
    centroid_lat: a.centroid[1],
    approximate: a.properties.approximate === true,
    geometry: JSON.stringify(a.geometry),
    level: a.level,
    parent: a.parent ?? null,
  }));
  await conn.transaction(async () => {
    await conn.run('DELETE FROM areas');
    // A few hundred rows at start-up: one statement with a JSON parameter keeps it simple.
    await conn.run(
      `INSERT INTO areas (code, name, name_en, kind, population, area_km2, centroid_lon, centroid_lat, approximate, geometry, level, parent)
      SELECT code, name, name_en, kind, population, area_km2, centroid_lon, centroid_lat, approximate, geometry::JSON, level, parent
      FROM (SELECT unnest(from_json($rows::JSON, '[{"code":"VARCHAR","name":"VARCHAR","name_en":"VARCHAR","kind":"VARCHAR","population":"BIGINT","area_km2":"DOUBLE","centroid_lon":"DOUBLE","centroid_lat":"DOUBLE","approximate":"BOOLEAN","geometry":"VARCHAR","level":"VARCHAR","parent":"VARCHAR"}]'), recursive := true))`,
      { rows: JSON.stringify(rows) },
    );
    await conn.run(`DELETE FROM ${STATE_TABLE}`);
    await conn.run(`INSERT INTO ${STATE_TABLE} VALUES ($s, now())`, { s: signature(areas) });
  });
}

/** What placing an event depends on: the wards' codes and shapes, and the districts they belong to. */
function signature(areas: AreaIndex): string {
  const wards = areas.areas.map((a) => [a.code, a.parent ?? null, a.geometry]);
  return createHash('sha256').update(JSON.stringify(wards)).digest('hex');
}

/**
 * When the database's events were placed in other areas than the loaded ones (a database of the district release, or
 * a new AREAS_FILE), places them again, in one transaction: events with a position by it (or `outside`), others by
 * their code. A code of the old areas that names a district of the new second level (`ba_dinh` → `former_ba_dinh`)
 * moves there wherever it is stored: the events without a position, alerts, incidents, dossiers, devices, and the
 * rollups of windows whose raw events are gone (archived history stays readable). The rollups of windows whose events
 * are still stored are cleared: the caller recomputes them all. Answers whether anything was placed again.
 */
export async function placeAgain(
  conn: Connection,
  areas: AreaIndex,
  views: readonly { name: string; source: Family }[],
  log: Logger,
): Promise<boolean> {
  const [state] = await conn.objects<{ signature: string }>(`SELECT signature FROM ${STATE_TABLE}`);
  const old = await conn.objects<{ code: string }>('SELECT code FROM areas');
  if (old.length === 0 || state?.signature === signature(areas)) return false;
  const started = performance.now();
  const districts = new Set(areas.districts.map((d) => d.code));
  const renames = old.flatMap(({ code }) =>
    districts.has(`former_${code}`) && !districts.has(code) ? [[code, `former_${code}`] as const] : [],
  );
  const counts: Record<string, number> = {};
  await conn.transaction(async () => {
    await conn.run('CREATE OR REPLACE TEMP TABLE area_renames (old VARCHAR PRIMARY KEY, new VARCHAR NOT NULL)');
    if (renames.length > 0)
      await conn.run(
        `INSERT INTO area_renames SELECT r[1], r[2] FROM (SELECT unnest(from_json($r::JSON, '[["VARCHAR"]]')) AS r)`,
        {
          r: JSON.stringify(renames),
        },
      );
    for (const [family, def] of Object.entries(FAMILY_DEFS)) {
      const positioned = def.columns.some((c) => c.name === 'lat') && def.columns.some((c) => c.name === 'lon');
      counts[family] = await placeEvents(conn, def.table, areas, positioned);
      const { id } = SOURCE_OF[family as keyof typeof SOURCE_OF];
      // A device's area is its newest event's.
      await conn.run(`UPDATE devices SET area = x.area FROM (
          SELECT ${id} AS id, arg_max(area, ts) AS area FROM ${def.table} GROUP BY ALL) x
        WHERE devices.family = '${family}' AND devices.id = x.id`);
    }
    // Whatever else keys on an area (alerts, incidents, dossiers, an analyst's table) follows the renames.
    const events = Object.values(FAMILY_DEFS).map((d) => d.table);
    const others = await conn.objects<{ name: string }>(
      `SELECT table_name AS name FROM duckdb_columns() WHERE database_name = current_database() AND schema_name = 'main'
         AND column_name = 'area' AND table_name IN (SELECT table_name FROM duckdb_tables() WHERE NOT temporary)
         AND table_name NOT IN ('devices', 'areas', ${events.map((t) => `'${t}'`).join(', ')})`,
    );
    for (const { name } of others)
      await conn.run(`UPDATE "${name}" SET area = r.new FROM area_renames r WHERE "${name}".area = r.old`);
    // Windows the raw events still cover are recomputed (the caller marks them all); older ones keep their rows.
    for (const v of views) {
      const { table } = FAMILY_DEFS[v.source];
      await conn.run(`DELETE FROM rollups WHERE view = $v AND t >= (SELECT min(ts) FROM ${table})`, { v: v.name });
    }
  });
  log.warn('the areas changed since this database was last opened: its events were placed again', {
    renamed: renames.length,
    events: counts,
    ms: Math.round(performance.now() - started),
  });
  return true;
}

/**
 * Places a table's events again: by position through the loaded index (a few thousand distinct positions, cameras
 * and sensors standing still), by the renames for those without one. Answers the rows that moved.
 */
async function placeEvents(conn: Connection, table: string, areas: AreaIndex, positioned: boolean): Promise<number> {
  if (!positioned) {
    const [renamed] = await conn.objects<{ Count: number }>(
      `UPDATE ${table} SET area = r.new FROM area_renames r WHERE ${table}.area = r.old`,
    );
    return Number(renamed?.Count ?? 0);
  }
  const positions = await conn.objects<{ lon: number; lat: number; area: string | null }>(
    `SELECT DISTINCT lon, lat, area FROM ${table} WHERE lon IS NOT NULL AND lat IS NOT NULL`,
  );
  const moves = positions
    .map((p) => [p.lon, p.lat, p.area, areas.locate(p.lon, p.lat) ?? OUTSIDE] as const)
    .filter(([, , before, after]) => before !== after)
    .map(([lon, lat, before, after]) => [lon, lat, before, after]);
  await conn.run(
    'CREATE OR REPLACE TEMP TABLE area_moves (lon DOUBLE, lat DOUBLE, before VARCHAR, after VARCHAR NOT NULL)',
  );
  if (moves.length > 0)
    await conn.run(
      `INSERT INTO area_moves SELECT m[1]::DOUBLE, m[2]::DOUBLE, m[3], m[4] FROM (SELECT unnest(from_json($m::JSON, '[["VARCHAR"]]')) AS m)`,
      { m: JSON.stringify(moves.map((m) => m.map((x) => (x === null ? null : String(x))))) },
    );
  // An UPDATE answers the number of rows it changed.
  const [placed] = await conn.objects<{ Count: number }>(
    `UPDATE ${table} SET area = m.after FROM area_moves m
     WHERE ${table}.lon = m.lon AND ${table}.lat = m.lat AND ${table}.area IS NOT DISTINCT FROM m.before`,
  );
  const [renamed] = await conn.objects<{ Count: number }>(
    `UPDATE ${table} SET area = r.new FROM area_renames r
     WHERE ${table}.area = r.old AND (${table}.lon IS NULL OR ${table}.lat IS NULL)`,
  );
  return Number(placed?.Count ?? 0) + Number(renamed?.Count ?? 0);
}
