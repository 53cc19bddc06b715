// Role separation on a running engine with AUTH on: the security family's tables, their dead letters, their catalogue
// entries, run-time views over them and their archive are the security role's and admins', over HTTP and the
// PostgreSQL door alike; analysts keep everything else.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../engine/db.ts';
import { security } from '../support/events.ts';
import { freePort } from '../support/ports.ts';
import { until } from '../support/engine.ts';
import { connectSocket, startAuthEngine, type AuthEngine } from '../access/auth-engine.ts';
import { psql } from '../pg/door.ts';

let a: AuthEngine;
let pgPort: number;
const now = Date.now();
const ago = (min: number) => new Date(now - min * 60_000).toISOString();

const sql = (role: 'analyst' | 'security' | 'admin', text: string) =>
  a.call('POST', '/api/sql', a.token[role], { sql: text });
const REFUSAL = /table security_events is read by the admin and security roles only; role analyst may not read it/;

beforeAll(async () => {
  pgPort = await freePort();
  a = await startAuthEngine({ pgPort });
  const events = [
    security(1, { id: 'acc-1', incidentId: 'INC-ACC-1', ts: ago(90), detectedAt: ago(100), status: 'detected' }),
    security(2, { id: 'acc-2', incidentId: 'INC-ACC-1', ts: ago(60), detectedAt: ago(100), status: 'confirmed' }),
  ];
  const ok = await a.call('POST', '/api/ingest?family=security', a.token.device, events);
  expect(ok.status).toBe(200);
  // Rejected: their raw payloads land in dead_letters under city/security/http.
  const bad = await a.call('POST', '/api/ingest?family=security', a.token.device, [
    security(3, { id: 'acc-bad-1', ts: ago(30), severity: 'catastrophic', assetId: 'secret-asset-7' }),
  ]);
  expect(bad.status).toBe(200);
  await a.call('POST', '/api/ingest?family=camera', a.token.device, [{ id: 'acc-cam-bad', ts: ago(30) }]);
  await until(
    async () =>
      (await sql('admin', 'SELECT (SELECT count(*) FROM security_events) + (SELECT count(*) FROM dead_letters)')).body
        .rows?.[0]?.[0],
    (n) => Number(n) === 4,
    20_000,
  );
}, 60_000);
afterAll(async () => {
  await a?.engine.dispose();
});

describe('POST /api/sql', () => {
  it('refuses an analyst the security tables (403 forbidden_sql naming the table and its readers)', async () => {
    const res = await sql('analyst', 'SELECT count(*) FROM Main.Security_Events');
    expect(res.status).toBe(403);
    expect(res.body.error.code).toBe('forbidden_sql');
    expect(res.body.error.message).toMatch(REFUSAL);
    expect((await sql('analyst', 'SUMMARIZE security_incidents')).status).toBe(403);
    expect((await sql('analyst', 'SELECT * FROM security_agency_stats')).status).toBe(403);
    expect((await sql('analyst', 'SELECT count(*) FROM camera_events')).status).toBe(200);
  });

  it('answers the security role and admins, on the analysts replica', async () => {
    for (const role of ['security', 'admin'] as const) {
      const res = await sql(role, 'SELECT status, began_at IS NOT NULL FROM security_incidents');
      expect(res.status, role).toBe(200);
      expect(res.body.rows).toEqual([['confirmed', true]]);
      const stats = await sql(role, 'SELECT agency, incidents, open, detected_1h_pct FROM security_agency_stats');
      expect(stats.body.rows).toEqual([['so-tttt', 1, 1, 100]]);
    }
  });

  it("hides the security family's dead letters from an analyst, not from the security role", async () => {
    const topics = async (role: 'analyst' | 'security') =>
      (await sql(role, 'SELECT topic FROM dead_letters ORDER BY topic')).body.rows.map((r: string[]) => r[0]);
    expect(await topics('analyst')).toEqual(['city/camera/http']);
    expect(await topics('security')).toEqual(['city/camera/http', 'city/security/http']);
    const leak = await sql('analyst', "SELECT count(*) FROM dead_letters WHERE decode(payload) LIKE '%secret-asset%'");
    expect(leak.body.rows).toEqual([[0]]);
    expect((await sql('analyst', 'SELECT * FROM memory.main.dead_letters')).status).toBe(403);
    // Storage statistics would carry the payloads' minimum and maximum: the name resolves to the analyst's view,
    // which has none.
    const stats = await sql('analyst', "SELECT stats FROM pragma_storage_info('dead_letters')");
    expect(stats.body.error.message).toMatch(/dead_letters is not an table/);
  });

  it("keeps the archive out of analysts' reach: the replica they query reads no file", async () => {
    const dir = join(a.engine.dir, 'archive', 'security_events');
    mkdirSync(dir, { recursive: true });
    const db = await Database.open(':memory:');
    const conn = await db.connect();
    await conn.run(`COPY (SELECT 'secret' AS payload) TO '${join(dir, '2026-11-27.parquet')}' (FORMAT parquet)`);
    conn.close();
    db.close();
    for (const text of [
      `SELECT * FROM read_parquet('${dir}/*.parquet')`,
      `SELECT * FROM '${dir}/2026-11-27.parquet'`,
      `SELECT * FROM glob('${a.engine.dir}/archive/*/*')`,
      `SELECT * FROM read_parquet(['${a.engine.dir}/archive/camera_events/x.parquet', '${dir}/2026-11-27.parquet'])`,
    ]) {
      const res = await sql('analyst', text);
      expect(res.status, text).toBe(403);
      expect(res.body.error.message, text).toMatch(/file system operations are disabled/);
    }
  });
});

describe('the catalogue, saved queries and run-time views', () => {
  it('lists the security tables to their readers only', async () => {
    const names = async (role: 'analyst' | 'security') =>
      ((await a.call('GET', '/api/catalog', a.token[role])).body.tables as { name: string }[]).map((t) => t.name);
    const analyst = await names('analyst');
    expect(analyst).toContain('camera_events');
    for (const restricted of ['security_events', 'security_incidents', 'security_agency_stats'])
      expect(analyst).not.toContain(restricted);
    // The indicators' rollups are aggregates, like every view's: everyone who analyses reads them.
    expect(analyst).toContain('security_detected_1h');
    expect(await names('security')).toEqual(
      expect.arrayContaining(['security_events', 'security_incidents', 'security_agency_stats']),
    );
  });

  it('runs a saved query with the role of whoever runs it', async () => {
    const put = await a.call('PUT', '/api/queries/soc_open', a.token.security, {
      title: { vi: 'Sự cố đang mở', en: 'Open incidents' },
      sql: "SELECT count(*) AS open FROM security_incidents WHERE status NOT IN ('resolved', 'false_positive')",
    });
    expect(put.status).toBe(200);
    const ran = await until(
      () => a.call('GET', '/api/queries/soc_open/run', a.token.security),
      (r) => r.status === 200,
    );
    expect(ran.body.rows).toEqual([[1]]);
    const refused = await a.call('GET', '/api/queries/soc_open/run', a.token.analyst);
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(/security_incidents is read by the admin and security roles only/);
    expect((await a.call('GET', '/api/queries/soc_open/run', a.token.operator)).status).toBe(403);
  });

  it('runs a wall tile as an operator, since every wall role sees it: a tile over the security tables shows a refusal', async () => {
    const put = await a.call('PUT', '/api/queries/soc_tile', a.token.security, {
      title: { vi: 'Sự cố', en: 'Incidents' },
      sql: 'SELECT count(*) AS n FROM security_incidents',
      wall: true,
    });
    expect(put.status).toBe(200);
    const socket = await connectSocket(a.engine.url, a.token.operator, '/queries');
    try {
      const tile = await new Promise<{ rows: unknown[]; error: string | null }>((resolve) => {
        socket.on('query', (t: { name: string; rows: unknown[]; error: string | null }) => {
          if (t.name === 'soc_tile') resolve(t);
        });
      });
      expect(tile.rows).toEqual([]);
      expect(tile.error).toMatch(/security_incidents is read by the admin and security roles only; role operator/);
    } finally {
      socket.close();
      await a.call('DELETE', '/api/queries/soc_tile', a.token.security);
    }
  });

  it('lets only a reader make a run-time view over the security tables', async () => {
    const view = (name: string) => `-- name: ${name}
-- title.vi: Sự cố theo ngày
-- title.en: Incidents per day
-- unit: sự cố
-- window: 1d
-- source: security
-- theme: security
SELECT $bucket AS t, $area AS area, count(*)::DOUBLE AS value, count(*) AS n
FROM security_events WHERE ts >= $from AND ts < $to GROUP BY $group
`;
    const post = (role: 'analyst' | 'security', name: string) =>
      fetch(`${a.engine.url}/api/views`, {
        method: 'POST',
        body: view(name),
        headers: { 'content-type': 'text/plain', authorization: `Bearer ${a.token[role]}` },
      }).then(async (r) => ({ status: r.status, body: (await r.json()) as any }));
    const refused = await post('analyst', 'sec_events_daily_a');
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toMatch(REFUSAL);
    // A view runs on the engine's own tables, past the author's share of dead_letters: refused to non-readers.
    const letters = await fetch(`${a.engine.url}/api/views`, {
      method: 'POST',
      body: `-- name: letters_daily
-- title.vi: Thư lỗi
-- title.en: Dead letters
-- unit: thư
-- window: 1d
-- source: security
-- theme: security
SELECT time_bucket(INTERVAL '1 day', received_at, 'Asia/Ho_Chi_Minh') AS t, 'hanoi' AS area, max(length(payload))::DOUBLE AS value,
       count(*) AS n FROM dead_letters WHERE received_at >= $from AND received_at < $to GROUP BY 1
`,
      headers: { 'content-type': 'text/plain', authorization: `Bearer ${a.token.analyst}` },
    });
    expect(letters.status).toBe(403);
    expect(((await letters.json()) as any).error.message).toMatch(/role analyst may not read dead_letters/);
    const made = await post('security', 'sec_events_daily_s');
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect((await a.call('DELETE', '/api/views/sec_events_daily_s', a.token.security)).status).toBe(200);
  });
});

describe('the PostgreSQL door', () => {
  it('refuses an analyst with 42501 and the same message; answers the security role', async () => {
    const client = (role: 'analyst' | 'security') =>
      new pg.Client({ host: '127.0.0.1', port: pgPort, user: role, password: a.token[role], database: 'ioc' });
    const analyst = client('analyst');
    await analyst.connect();
    try {
      await expect(analyst.query('SELECT * FROM security_events')).rejects.toMatchObject({
        code: '42501',
        message: expect.stringMatching(REFUSAL),
      });
      // The connection goes on.
      expect((await analyst.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await analyst.end();
    }
    const soc = client('security');
    await soc.connect();
    try {
      expect((await soc.query('SELECT count(*)::INTEGER AS n FROM security_events')).rows).toEqual([{ n: 2 }]);
    } finally {
      await soc.end();
    }
  });

  it("leaves the security tables out of psql's \\dt for an analyst, not for the security role", async () => {
    const analyst = await psql(pgPort, ['\\dt'], { password: a.token.analyst });
    expect(analyst.code, analyst.stderr).toBe(0);
    expect(analyst.stdout).toMatch(/camera_events/);
    expect(analyst.stdout).not.toMatch(/security_events|security_incidents/);
    const d = await psql(pgPort, ['\\d security_events'], { password: a.token.analyst });
    expect(d.stdout + d.stderr).toMatch(/Did not find any relation named "security_events"/);
    const soc = await psql(pgPort, ['\\dt'], { password: a.token.security, user: 'soc' });
    expect(soc.stdout).toMatch(/security_events/);
    expect(soc.stdout).toMatch(/security_incidents/);
  });
});
