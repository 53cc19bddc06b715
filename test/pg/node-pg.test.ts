// node-postgres (pg) and pg-cursor on the PostgreSQL door: the extended protocol with parameters, Describe's types,
// a portal read in slices (Execute with a row count, PortalSuspended), TIMESTAMPTZ parsed as a Date.
import Cursor from 'pg-cursor';
import { describe, expect, it } from 'vitest';
import { BASE, doorEngineForTests } from './door.ts';

const ctx = doorEngineForTests({}, 50, true);

describe('node-postgres on the PostgreSQL door', () => {
  it('binds $1, $2 and reads typed values: Date, number, boolean, string, null', async () => {
    const res = await ctx.client.query(
      'SELECT id, ts, car, avg_speed_kmh, car > $2::INTEGER AS busy, incident_type FROM camera_events WHERE camera_id = $1 ORDER BY ts LIMIT 2',
      ['cam-0', 2],
    );
    expect(res.rows).toHaveLength(2);
    const row = res.rows[0];
    expect(row.ts).toBeInstanceOf(Date);
    expect((row.ts as Date).toISOString()).toBe(BASE.toISOString());
    expect(row).toMatchObject({ id: 'cam-0-0', car: 3, avg_speed_kmh: 24.5, busy: true, incident_type: null });
    expect(res.fields.map((f) => [f.name, f.dataTypeID])).toEqual([
      ['id', 25],
      ['ts', 1184],
      ['car', 23],
      ['avg_speed_kmh', 701],
      ['busy', 16],
      ['incident_type', 25],
    ]);
  });

  it('sends BIGINT, DECIMAL, DATE, JSON, BLOB and lists with the OIDs clients parse', async () => {
    const res = await ctx.client.query(
      `SELECT 12345678901::BIGINT AS big, 1.25::DECIMAL(6, 2) AS dec, DATE '2026-12-06' AS day, '{"a": 1}'::JSON AS doc,
        '\\x41\\x42'::BLOB AS bin, ['a', 'b c'] AS words, [1.5::DOUBLE, 2.5] AS nums, 2::SMALLINT AS small, 1.5::FLOAT AS f`,
    );
    expect(res.fields.map((f) => f.dataTypeID)).toEqual([20, 1700, 1082, 114, 17, 1009, 1022, 21, 700]);
    const r = res.rows[0];
    expect(r.big).toBe('12345678901');
    expect(r.dec).toBe('1.25');
    expect(r.doc).toEqual({ a: 1 });
    expect(Buffer.isBuffer(r.bin) && r.bin.toString()).toBe('AB');
    expect(r.words).toEqual(['a', 'b c']);
    expect(r.nums).toEqual([1.5, 2.5]);
    expect(r.small).toBe(2);
  });

  it('runs a named prepared statement again with other values', async () => {
    const q = { name: 'by-camera', text: 'SELECT count(*)::INTEGER AS n FROM camera_events WHERE camera_id = $1' };
    const a = await ctx.client.query({ ...q, values: ['cam-1'] });
    const b = await ctx.client.query({ ...q, values: ['cam-nothing'] });
    expect([a.rows[0].n, b.rows[0].n]).toEqual([7, 0]);
  });

  it('reads a large result through pg-cursor in slices', async () => {
    const cursor = ctx.client.query(new Cursor('SELECT range AS i, range * 2 AS twice FROM range(25000)'));
    let total = 0;
    let sum = 0;
    for (;;) {
      const rows = await cursor.read(1000);
      if (rows.length === 0) break;
      total += rows.length;
      for (const r of rows) sum += Number(r.i);
    }
    await cursor.close();
    expect(total).toBe(25_000);
    expect(sum).toBe((24_999 * 25_000) / 2);
    // The connection goes on after the cursor.
    expect((await ctx.client.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  it('reports a refused statement with its SQLSTATE and goes on', async () => {
    await expect(ctx.client.query('DELETE FROM camera_events')).rejects.toMatchObject({ code: '42501' });
    await expect(ctx.client.query('SELECT nope FROM camera_events')).rejects.toMatchObject({ code: '42703' });
    await expect(ctx.client.query('SELECT * FROM no_such_table')).rejects.toMatchObject({ code: '42P01' });
    expect((await ctx.client.query('SELECT $1::INTEGER + 1 AS n', [41])).rows).toEqual([{ n: 42 }]);
  });

  it('accepts transactions as no-ops around reads', async () => {
    await ctx.client.query('BEGIN');
    const res = await ctx.client.query('SELECT count(*)::INTEGER AS n FROM camera_events');
    await ctx.client.query('COMMIT');
    expect(res.rows[0].n).toBe(50);
  });
});
