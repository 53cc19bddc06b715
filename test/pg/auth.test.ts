// Logging in to the PostgreSQL door: the password is a token of the analyst or admin role, checked as the HTTP door
// checks bearer tokens; anything else is a PostgreSQL authentication error and the connection ends.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { until } from '../support/engine.ts';
import { psql, startDoorEngine, type DoorEngine } from './door.ts';

let engine: DoorEngine;
let analyst: string;

beforeAll(async () => {
  // The long query below must outlast a psql start-up, not the time limit, also on a busy machine.
  engine = await startDoorEngine({ auth: 'on', sqlTimeoutMs: 45_000 }, 5);
  analyst = engine.tokens.create('ana', 'analyst');
}, 60_000);
afterAll(async () => {
  await engine?.dispose();
});

describe('the PostgreSQL door with AUTH on', () => {
  it("lets an analyst token in, and audits the query under the token's name", async () => {
    const out = await psql(engine.pgPort, ["SELECT 'pg-door-audit' AS tag, count(*) AS n FROM camera_events"], {
      password: analyst,
      user: 'whoever',
    });
    expect(out.stderr).toBe('');
    expect(out.stdout).toMatch(/pg-door-audit \| 5/);
    const audit = await until(
      () =>
        engine.store.reader.query(
          "SELECT who, format, status FROM sql_audit WHERE sql LIKE '%pg-door-audit%' AND sql NOT LIKE '%sql_audit%'",
        ),
      (r) => r.rows.length > 0,
    );
    expect(audit.rows[0]).toEqual(['ana', 'pg', 'ok']);
  });

  it("counts a token's queries over both doors against SQL_PER_TOKEN (1 by default)", async () => {
    const token = engine.tokens.create('busy', 'analyst');
    await new Promise((r) => setTimeout(r, 1100)); // the token file is re-read at most once a second
    const long = fetch(`${engine.url}/api/sql`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ sql: 'SELECT sum(a.range * b.range) FROM range(100000) a CROSS JOIN range(3000) b' }),
    });
    const refused = await until(
      () => psql(engine.pgPort, ["SELECT 'second' AS q"], { password: token }),
      (r) => r.stderr !== '',
    );
    expect(refused.stderr).toMatch(/53400: token "busy" already has 1 SQL query running \(SQL_PER_TOKEN=1\)/);
    expect((await long).status).toBe(200);
    // Its slot is free again, whichever door took it.
    expect((await psql(engine.pgPort, ["SELECT 'second' AS q"], { password: token })).stdout).toMatch(/second/);
  });

  it('refuses a connection without a password', async () => {
    const out = await psql(engine.pgPort, ['SELECT 1']);
    expect(out.code).not.toBe(0);
    expect(out.stderr).toMatch(/no password supplied/);
  });

  it('refuses a wrong token with 28P01', async () => {
    const out = await psql(engine.pgPort, ['SELECT 1'], { password: 'ioc_not-a-token' });
    expect(out.code).not.toBe(0);
    expect(out.stderr).toMatch(/FATAL:\s+the password is not a recognised token, or the token has been revoked/);
  });

  it('refuses a token once it is revoked', async () => {
    const token = engine.tokens.create('gone', 'analyst');
    expect((await psql(engine.pgPort, ['SELECT 1 AS ok'], { password: token })).stdout).toMatch(/ok/);
    engine.tokens.revoke('gone');
    // The engine reads the token file again within a second, as for bearer tokens.
    const out = await until(
      () => psql(engine.pgPort, ['SELECT 1'], { password: token }),
      (r) => r.code !== 0,
    );
    // Refused at login, or (when the login just beat the re-read) at the query, which ends the connection.
    expect(out.stderr).toMatch(/FATAL:\s+.*the token has been revoked/);
  });

  it('refuses a token whose role may not run SQL (a viewer of the wall) with 28000', async () => {
    const operator = engine.tokens.create('wall-viewer', 'operator');
    const out = await psql(engine.pgPort, ['SELECT 1'], { password: operator });
    expect(out.code).not.toBe(0);
    expect(out.stderr).toMatch(/FATAL:\s+role operator may not use the PostgreSQL door; allowed: analyst, admin/);
  });
});
