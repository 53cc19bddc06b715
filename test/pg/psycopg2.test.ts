// Python's psycopg2 (Debian's python3-psycopg2, on libpq) on the PostgreSQL door: a parameterised query,
// cursor.description, and TIMESTAMPTZ as an aware datetime.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { BASE, doorEngineForTests } from './door.ts';

const ctx = doorEngineForTests();

const SCRIPT = `
import json, sys, psycopg2
conn = psycopg2.connect(host='127.0.0.1', port=int(sys.argv[1]), user='analyst', dbname='ioc', connect_timeout=10)
cur = conn.cursor()
cur.execute("SELECT id, ts, car, avg_speed_kmh FROM camera_events WHERE camera_id = %s AND car >= %s ORDER BY ts LIMIT 3", ('cam-2', 1))
rows = cur.fetchall()
out = {
  'columns': [[d.name, d.type_code] for d in cur.description],
  'rows': len(rows),
  'first_id': rows[0][0],
  'ts': rows[0][1].isoformat(),
  'aware': rows[0][1].tzinfo is not None,
  'car': rows[0][2],
  'speed': rows[0][3],
}
conn.commit()
try:
    cur.execute("DROP TABLE camera_events")
except psycopg2.Error as e:
    out['refused'] = e.pgcode
    conn.rollback()
cur.execute("SELECT count(*) FROM camera_events")
out['count'] = cur.fetchone()[0]
conn.close()
print(json.dumps(out))
`;

/** Debian's own Python, which has python3-psycopg2 (another python3 first on PATH may not). */
const PYTHON = '/usr/bin/python3';

describe('psycopg2 on the PostgreSQL door', () => {
  it('runs a parameterised query and reads types, times and refusals as Python expects', async () => {
    const { stdout } = await promisify(execFile)(PYTHON, ['-c', SCRIPT, String(ctx.engine.pgPort)], {
      timeout: 60_000,
    });
    const out = JSON.parse(stdout.trim());
    expect(out).toMatchObject({
      columns: [
        ['id', 25],
        ['ts', 1184],
        ['car', 23],
        ['avg_speed_kmh', 701],
      ],
      rows: 3,
      first_id: 'cam-2-2',
      ts: new Date(BASE.getTime() + 2000).toISOString().replace('.000Z', '+00:00'),
      aware: true,
      car: 3,
      speed: 24.5,
      refused: '42501',
      count: 50,
    });
  });
});
