// Mirrors the loaded areas into the `areas` table so analysts can join events to names and shapes.
import type { Connection } from '../db.ts';
import type { AreaIndex } from '../geo/index.ts';

export async function loadAreasTable(conn: Connection, areas: AreaIndex): Promise<void> {
  const rows = areas.areas.map((a) => ({
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
  }));
  await conn.transaction(async () => {
    await conn.run('DELETE FROM areas');
    // A few dozen rows at start-up: one statement with a JSON parameter keeps it simple.
    await conn.run(
      `INSERT INTO areas SELECT code, name, name_en, kind, population, area_km2, centroid_lon, centroid_lat, approximate, geometry::JSON
      FROM (SELECT unnest(from_json($rows::JSON, '[{"code":"VARCHAR","name":"VARCHAR","name_en":"VARCHAR","kind":"VARCHAR","population":"BIGINT","area_km2":"DOUBLE","centroid_lon":"DOUBLE","centroid_lat":"DOUBLE","approximate":"BOOLEAN","geometry":"VARCHAR"}]'), recursive := true))`,
      { rows: JSON.stringify(rows) },
    );
  });
}
