// The registry of sources the engine knows (cameras, sensors, agencies) and their daily report counts, kept in the
// same transaction as each batch: the base of "how many expected sources reported" and of the data-quality scores.
import type { Connection } from '../db.ts';
import { FAMILIES, FAMILY_DEFS, OPEN_FAMILIES, type Family } from '../schema/index.ts';
import { hanoiDateOfMsSql } from '../sql/index.ts';
import { utcOfMs as TS } from './fold-sql.ts';

/** Which column names the source of an event, and what kind of source it is (SQL over the family's columns). */
export const SOURCE_OF: Record<Family, { id: string; kind: string }> = Object.fromEntries(
  FAMILIES.map((f): [Family, { id: string; kind: string }] => [f, FAMILY_DEFS[f].source]),
) as Record<Family, { id: string; kind: string }>;

export async function createDeviceTables(conn: Connection): Promise<void> {
  await conn.run(`CREATE TABLE IF NOT EXISTS devices (family VARCHAR NOT NULL, id VARCHAR NOT NULL, kind VARCHAR, area VARCHAR,
    first_seen TIMESTAMPTZ NOT NULL, last_seen TIMESTAMPTZ NOT NULL, last_ts TIMESTAMPTZ NOT NULL, PRIMARY KEY (family, id))`);
  await conn.run(`CREATE TABLE IF NOT EXISTS device_days (day DATE NOT NULL, family VARCHAR NOT NULL, id VARCHAR NOT NULL,
    received BIGINT NOT NULL, rejected BIGINT NOT NULL, PRIMARY KEY (day, family, id))`);
}

/**
 * Records the sources of the families' staged rows (call before the staging tables are emptied): one statement for
 * the registry and one for the day counts, whatever the number of families in the batch.
 */
export async function recordSources(conn: Connection, staged: readonly (readonly [Family, string])[]): Promise<void> {
  const open = staged.filter(([f]) => OPEN_FAMILIES.includes(f));
  if (open.length === 0) return;
  const rows = open
    .map(([f, stage]) => {
      const { id, kind } = SOURCE_OF[f];
      return `SELECT '${f}' AS family, ${id} AS id, ${kind} AS kind, area, received_at, ts FROM ${stage}`;
    })
    .join(' UNION ALL ');
  await conn.runPlanned(`INSERT INTO devices
    SELECT family, id, arg_max(kind, ts), arg_max(area, ts), ${TS('min(received_at)')}, ${TS('max(received_at)')}, ${TS('max(ts)')}
    FROM (${rows}) GROUP BY family, id
    ON CONFLICT (family, id) DO UPDATE SET
      kind = excluded.kind,
      area = CASE WHEN excluded.last_ts >= devices.last_ts THEN excluded.area ELSE devices.area END,
      last_seen = greatest(devices.last_seen, excluded.last_seen),
      last_ts = greatest(devices.last_ts, excluded.last_ts)`);
  await conn.runPlanned(`INSERT INTO device_days SELECT ${hanoiDateOfMsSql('ts')}, family, id, count(*), 0 FROM (${rows}) GROUP BY ALL
    ON CONFLICT (day, family, id) DO UPDATE SET received = device_days.received + excluded.received`);
}

/** Counts staged dead letters against the source their topic names (city/<family>/<id> or city.<family>.<id>). */
export async function recordRejects(conn: Connection, stage: string): Promise<void> {
  const sep = `CASE WHEN contains(topic, '/') THEN '/' ELSE '.' END`;
  await conn.runPlanned(`INSERT INTO device_days
    SELECT ${hanoiDateOfMsSql('received_at')} AS day, split_part(topic, ${sep}, 2) AS family, split_part(topic, ${sep}, 3) AS id, 0, count(*)
    FROM ${stage} WHERE split_part(topic, ${sep}, 1) = 'city' AND split_part(topic, ${sep}, 2) IN (${OPEN_FAMILIES.map((x) => `'${x}'`).join(', ')})
      AND split_part(topic, ${sep}, 3) <> '' GROUP BY ALL
    ON CONFLICT (day, family, id) DO UPDATE SET rejected = device_days.rejected + excluded.rejected`);
}
