// A tick's few new rows are grouped by the engine rather than by DuckDB: each column of a grouped row must be what the
// scan's SQL aggregate gives over the same rows, NULLs, filters and repeats included. DuckDB computes the expected
// rows here from the same projected rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, type Connection } from '../../engine/db.ts';
import { DeltaPlan } from '../../engine/views/incremental/delta.ts';

let db: Database;
let conn: Connection;

beforeAll(async () => {
  db = await Database.open(':memory:');
  conn = await db.connect();
  await conn.run(`CREATE TABLE p AS SELECT * FROM (VALUES
    ('ba_dinh', TIMESTAMPTZ '2026-12-07 08:00:00+07', true,  true,  4.5,  'cam-1'),
    ('ba_dinh', TIMESTAMPTZ '2026-12-07 08:00:00+07', true,  false, 1.5,  'cam-1'),
    ('ba_dinh', TIMESTAMPTZ '2026-12-07 08:00:00+07', true,  true,  NULL, 'cam-2'),
    ('ba_dinh', TIMESTAMPTZ '2026-12-07 08:01:00+07', false, true,  9.0,  'cam-3'),
    (NULL,      TIMESTAMPTZ '2026-12-07 08:00:00+07', true,  NULL,  -2.0, NULL),
    ('hoan_kiem', TIMESTAMPTZ '2026-12-07 08:00:00+07', NULL, true, 7.0,  'cam-4'),
    ('hoan_kiem', TIMESTAMPTZ '2026-12-07 08:00:00+07', true, true, 3.0,  'cam-4')
  ) t(__area, t0, w0, f0, a0, c0)`);
});
afterAll(() => {
  conn?.close();
  db?.close();
});

describe('a tick grouped by the engine', () => {
  it('gives every aggregate of the scan as DuckDB does', async () => {
    const plan = new DeltaPlan(1);
    plan.rows();
    plan.add('when', 'w0', null, null);
    plan.add('when', 'w0', 'f0', null);
    plan.add('count', 'w0', 'f0', 'a0');
    plan.add('sum', 'w0', null, 'a0');
    plan.add('min', 'w0', 'f0', 'a0');
    plan.add('max', 'w0', null, 'a0');
    plan.add('distinct', 'w0', null, 'c0');
    plan.add('sum', 'w0', 'f0', 'a0');
    const projected = (await conn.query(`SELECT ${plan.select} FROM p`)).rows;
    const mine = plan.group(projected).map((r) => {
      const list = r[10] as string[];
      return [...r.slice(0, 10), [...list].sort(), ...r.slice(11)];
    });
    const when = (f: boolean) => `CASE WHEN w0${f ? ' AND f0' : ''} THEN`;
    const expected = (
      await conn.query(`SELECT false, __area, epoch_ms(t0)::DOUBLE, count(*), count(${when(false)} 1 END),
        count(${when(true)} 1 END), count(${when(true)} a0 END), sum(${when(false)} a0::DOUBLE END),
        min(${when(true)} a0::DOUBLE END), max(${when(false)} a0::DOUBLE END),
        list_sort(list_distinct(list(${when(false)} c0 END))), sum(${when(true)} a0::DOUBLE END)
        FROM p GROUP BY __area, t0`)
    ).rows;
    const order = (rows: unknown[][]) => [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(order(mine)).toEqual(order(expected));
    // The window of 08:01 holds a row outside the view only: its sums are NULL, its counts 0, its list empty.
    expect(mine.find((r) => r[2] === Date.parse('2026-12-07T08:01:00+07:00'))).toEqual([
      false,
      'ba_dinh',
      Date.parse('2026-12-07T08:01:00+07:00'),
      1,
      0,
      0,
      0,
      null,
      null,
      null,
      [],
      null,
    ]);
  });
});
