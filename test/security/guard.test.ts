// A restricted family's tables refused to a role that is not their reader, however DuckDB parses the name: the check
// reads the tree of DuckDB's own parser, so every form that reaches the table is one it sees.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, type Connection } from '../../engine/db.ts';
import { checkStatement } from '../../engine/query/statement.ts';
import { shareCondition } from '../../engine/query/shares.ts';
import { restrictedTables } from '../../engine/schema/index.ts';

let db: Database;
let conn: Connection;

beforeAll(async () => {
  db = await Database.open(':memory:');
  conn = await db.connect();
  await conn.run('CREATE TABLE security_events (id VARCHAR, incident_id VARCHAR, severity VARCHAR)');
  await conn.run('CREATE TABLE security_incidents (incident_id VARCHAR, agency VARCHAR, status VARCHAR)');
  await conn.run(
    'CREATE VIEW security_agency_stats AS SELECT agency, count(*) AS n FROM security_incidents GROUP BY 1',
  );
  await conn.run('CREATE TABLE camera_events (id VARCHAR, car INTEGER)');
});
afterAll(() => {
  conn.close();
  db.close();
});

const FORMS = [
  'SELECT * FROM security_events',
  'FROM security_events',
  'SELECT * FROM camera_events c JOIN security_incidents s ON s.incident_id = c.id',
  'SELECT * FROM (SELECT * FROM (SELECT incident_id FROM security_incidents))',
  'SELECT 1 WHERE EXISTS (SELECT 1 FROM security_events)',
  'SELECT (SELECT max(severity) FROM security_events) AS s',
  'WITH x AS (SELECT * FROM security_events) SELECT * FROM x',
  'WITH RECURSIVE r AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM r, security_incidents WHERE n < 2) SELECT * FROM r',
  'SELECT * FROM camera_events UNION ALL SELECT id, 1 FROM security_events',
  'SUMMARIZE security_events',
  'SUMMARIZE SELECT * FROM security_events',
  'DESCRIBE security_incidents',
  'DESCRIBE SELECT * FROM security_incidents',
  'SHOW security_events',
  "PIVOT security_incidents ON status IN ('resolved', 'detected') USING count(*)",
  'SELECT * FROM "security_events"',
  'SELECT * FROM SECURITY_Events',
  'SELECT * FROM "Security_Incidents"',
  'SELECT * FROM main.security_events',
  'SELECT * FROM memory.main.security_events',
  'SELECT * FROM memory.security_events',
  'SELECT * FROM security_agency_stats',
  'SELECT * FROM camera_events WHERE id IN (SELECT id FROM security_events)',
  'SELECT * FROM camera_events, LATERAL (SELECT * FROM security_events WHERE id = camera_events.id)',
  // Storage statistics carry each column's minimum and maximum: the name in the string is checked like a FROM's.
  "SELECT stats FROM pragma_storage_info('security_events')",
  'SELECT * FROM pragma_storage_info(\'memory.main."Security_Events"\')',
  "SELECT * FROM pragma_table_info('security_incidents')",
  "SELECT * FROM pragma_show('main.security_events')",
];

describe('restricted tables in the sandbox', () => {
  it('names the security tables and the view over them, with their readers', () => {
    expect(Object.fromEntries(restrictedTables())).toEqual({
      security_events: ['admin', 'security'],
      security_incidents: ['admin', 'security'],
      security_agency_stats: ['admin', 'security'],
    });
  });

  it('refuses every form of reading them to an analyst, naming the table and its readers', async () => {
    for (const sql of FORMS) {
      await expect(checkStatement(conn, sql, 'analyst'), sql).rejects.toMatchObject({
        code: 'forbidden_sql',
        message: expect.stringMatching(/table security_\w+ is read by the admin and security roles only; role analyst/),
      });
    }
    await expect(checkStatement(conn, 'SELECT * FROM security_events', 'leader')).rejects.toThrow(/role leader/);
  });

  it('lets the security role and admins read them in every form', async () => {
    for (const role of ['security', 'admin'])
      for (const sql of FORMS) await expect(checkStatement(conn, sql, role), `${role}: ${sql}`).resolves.toBeDefined();
  });

  it('refuses a table-naming function whose name is computed', async () => {
    await expect(
      checkStatement(conn, "SELECT * FROM pragma_storage_info('security_' || 'events')", 'analyst'),
    ).rejects.toThrow(/pragma_storage_info\(\) takes the table's name as a string literal/);
    await expect(
      checkStatement(conn, "SELECT * FROM pragma_storage_info('camera_events')", 'analyst'),
    ).resolves.toBeDefined();
  });

  it('leaves analysts the open tables, and a table function that reads by name is denied to all', async () => {
    await expect(checkStatement(conn, 'SELECT * FROM camera_events', 'analyst')).resolves.toBeDefined();
    await expect(checkStatement(conn, "SELECT * FROM query_table('security_events')", 'security')).rejects.toThrow(
      /not available/,
    );
    await expect(checkStatement(conn, "SELECT * FROM query('FROM security_events')", 'analyst')).rejects.toThrow(
      /not available/,
    );
  });
});

describe('dead letters shared by role', () => {
  it("hides a restricted family's dead letters from non-readers, in either transport's separator and any case", async () => {
    const condition = shareCondition('dead_letters', { who: 'ana', role: 'analyst' })!;
    const visible = await conn.objects<{ topic: string | null }>(
      `SELECT topic FROM (VALUES ('city/security/siem-1'), ('city.security.siem-1'), ('CITY/Security/x'), ('city/security'),
         ('city/camera/cam-1'), ('city.sensor.air-1'), ('city/securityx/y'), (NULL)) t(topic) WHERE ${condition} ORDER BY ALL`,
    );
    expect(visible.map((r) => r.topic)).toEqual(['city.sensor.air-1', 'city/camera/cam-1', 'city/securityx/y', null]);
    expect(shareCondition('dead_letters', { who: 'soc', role: 'security' })).toBeNull();
    expect(shareCondition('dead_letters', { who: 'root', role: 'admin' })).toBeNull();
  });

  it('refuses a non-admin naming dead_letters past its view', async () => {
    await conn.run('CREATE TABLE IF NOT EXISTS dead_letters (topic VARCHAR)');
    await expect(checkStatement(conn, 'SELECT * FROM main.dead_letters', 'analyst')).rejects.toThrow(
      /without a schema/,
    );
    await expect(checkStatement(conn, 'SELECT * FROM dead_letters', 'analyst')).resolves.toBeDefined();
    await expect(checkStatement(conn, 'SELECT * FROM main.dead_letters', 'admin')).resolves.toBeDefined();
  });
});
