// Defence in depth: with the statement checks switched off, the analysts' connections still cannot write.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Database, type Connection } from '../../engine/db.ts';
import { Sandbox } from '../../engine/query/sandbox.ts';

// The checks pass everything and prepare whatever they are given: only the read-only transaction stands in the way.
vi.mock('../../engine/query/statement.ts', () => ({
  checkStatement: async () => ({ functions: [], tables: [] }),
  prepareChecked: async (conn: Connection, sql: string) => (await conn.raw.extractStatements(sql)).prepare(0),
}));

let dir: string;
let db: Database;
let sandbox: Sandbox;
let writer: Connection;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ioc-readonly-'));
  db = await Database.open(join(dir, 'ioc.duckdb'));
  writer = await db.connect();
  await writer.run("CREATE TABLE camera_events AS SELECT 'a' AS id, 1 AS car");
  await writer.run('CREATE MACRO vn_aqi_category(x) AS x');
  sandbox = await Sandbox.open(db, { timeoutMs: 5_000, maxRows: 100 });
});
afterAll(async () => {
  await sandbox?.close();
  writer?.close();
  db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('analysts’ connections', () => {
  it.each([
    'CREATE OR REPLACE TABLE camera_events AS SELECT * FROM camera_events WHERE false',
    'DELETE FROM camera_events',
    "INSERT INTO camera_events VALUES ('evil', 0)",
    'UPDATE camera_events SET car = 0',
    'DROP TABLE camera_events',
    'CREATE OR REPLACE MACRO vn_aqi_category(x) AS 0',
    'CREATE OR REPLACE VIEW data_quality AS SELECT 1',
  ])('refuse a write that slipped past the checks: %s', async (sql) => {
    await expect(sandbox.run(sql)).rejects.toThrow(/read-only/);
    expect((await writer.query('SELECT id, car FROM camera_events')).rows).toEqual([['a', 1]]);
    expect((await writer.query('SELECT vn_aqi_category(7)')).rows).toEqual([[7]]);
  });
});
