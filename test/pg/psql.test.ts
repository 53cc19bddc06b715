// psql against the PostgreSQL door: the simple protocol, its catalog commands (\dt, \d), expanded output, and errors
// that leave the connection usable.
import { describe, expect, it } from 'vitest';
import { BASE, doorEngineForTests, psql } from './door.ts';

const ctx = doorEngineForTests();

describe('psql on the PostgreSQL door', () => {
  it('runs a query and prints TIMESTAMPTZ in UTC, booleans, lists and NULL as PostgreSQL does', async () => {
    const out = await psql(ctx.engine.pgPort, [
      'SELECT count(*) AS n, min(ts) AS first, true AS yes, [1, 2] AS l, NULL::INTEGER AS nothing FROM camera_events',
    ]);
    expect(out.stderr).toBe('');
    expect(out.stdout).toMatch(/n\s+\|\s+first\s+\|\s+yes\s+\|\s+l\s+\|\s+nothing/);
    const day = BASE.toISOString().slice(0, 10);
    expect(out.stdout).toMatch(new RegExp(`50 \\| ${day} 00:00:00\\+00 \\| t\\s+\\| \\{1,2\\} \\|`));
  });

  it('lists the tables with \\dt and the columns of one with \\d camera_events', async () => {
    const out = await psql(ctx.engine.pgPort, ['\\dt', '\\d camera_events', '\\dv pm25']);
    expect(out.stderr).toBe('');
    expect(out.stdout).toMatch(/main\s+\| camera_events\s+\| table \| ioc/);
    expect(out.stdout).toContain('Table "main.camera_events"');
    expect(out.stdout).toMatch(/ts\s+\| timestamp with time zone \|\s+\| not null/);
    expect(out.stdout).toMatch(/avg_speed_kmh\s+\| double precision/);
    expect(out.stdout).toMatch(/main\s+\| pm25\s+\| view/);
  });

  it('shows a record per row with \\x', async () => {
    const out = await psql(ctx.engine.pgPort, ['\\x', "SELECT id, car FROM camera_events WHERE id = 'cam-3-3'"]);
    expect(out.stdout).toMatch(/-\[ RECORD 1 \]-*\nid\s+\| cam-3-3\ncar\s+\| 3/);
  });

  it("answers the client's session chatter, and stays usable after a refused statement", async () => {
    const out = await psql(ctx.engine.pgPort, [
      "SET application_name = 'bi'",
      'SET extra_float_digits = 3',
      'SHOW server_version',
      'SHOW transaction isolation level',
      'BEGIN',
      'SELECT version()',
      'COMMIT',
      'DROP TABLE camera_events',
      'SELECT current_schema() AS s',
    ]);
    expect(out.stdout).toContain('15.0');
    expect(out.stdout).toContain('read committed');
    expect(out.stdout).toMatch(/PostgreSQL 15\.0 \(IOC engine on DuckDB/);
    expect(out.stderr).toMatch(/ERROR:\s+42501: only read statements .* this is DROP/);
    expect(out.stdout).toMatch(/ s\s*\n-+\n main/);
  });

  it('describes a statement without running it (\\gdesc: Parse, then Describe of the statement)', async () => {
    const out = await psql(ctx.engine.pgPort, ['SELECT id, ts, avg_speed_kmh, car FROM camera_events \\gdesc'], {
      script: true,
    });
    expect(out.stderr).toBe('');
    expect(out.stdout).toMatch(/id\s+\| text/);
    expect(out.stdout).toMatch(/ts\s+\| timestamp with time zone/);
    expect(out.stdout).toMatch(/avg_speed_kmh\s+\| double precision/);
  });

  it('points at the place of a syntax error', async () => {
    const out = await psql(ctx.engine.pgPort, ['SELECT * FROM camera_events WHER id = 1']);
    expect(out.stderr).toMatch(/ERROR:\s+42601: Parser Error: syntax error/);
    expect(out.stderr).toMatch(/LINE 1: SELECT \* FROM camera_events WHER id = 1/);
  });
});
