// Fills the `holidays` table that views/_macros/working_days.sql reads, from the holidays file.
import type { Connection } from '../db.ts';
import { DEFAULT_HOLIDAYS_FILE, readHolidaysFile, type Holiday } from './holidays-file.ts';

// The same table as at the top of working_days.sql, so either may run first.
const CREATE_TABLE = `CREATE TABLE IF NOT EXISTS holidays (
  date DATE PRIMARY KEY,
  name_vi VARCHAR NOT NULL,
  name_en VARCHAR NOT NULL,
  kind VARCHAR NOT NULL CHECK (kind IN ('off', 'work')),
  basis VARCHAR NOT NULL
)`;

/** Replaces the rows of `holidays` with the file's (or the given) days; returns how many. */
export async function loadHolidays(
  conn: Connection,
  source: string | readonly Holiday[] = DEFAULT_HOLIDAYS_FILE,
): Promise<number> {
  const rows = typeof source === 'string' ? readHolidaysFile(source) : source;
  await conn.run(CREATE_TABLE);
  await conn.transaction(async () => {
    await conn.run('DELETE FROM holidays');
    // A few dozen rows at start-up: one statement with a JSON parameter keeps it simple.
    await conn.run(
      `INSERT INTO holidays SELECT date::DATE, name_vi, name_en, kind, basis
      FROM (SELECT unnest(from_json($rows::JSON, '[{"date":"VARCHAR","name_vi":"VARCHAR","name_en":"VARCHAR","kind":"VARCHAR","basis":"VARCHAR"}]'), recursive := true))`,
      { rows: JSON.stringify(rows) },
    );
  });
  return rows.length;
}
