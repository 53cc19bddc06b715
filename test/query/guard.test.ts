// The sandbox's checks on DuckDB's own parse: one SELECT only, denied functions however written, literal size caps, shared tables.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, type Connection } from '../../engine/db.ts';
import { MAX_LITERAL_SIZE, MAX_SQL_LENGTH } from '../../engine/query/guard.ts';
import { checkStatement } from '../../engine/query/statement.ts';

let db: Database;
let conn: Connection;

beforeAll(async () => {
  db = await Database.open(':memory:');
  conn = await db.connect();
  await conn.run('CREATE TABLE camera_events (id VARCHAR, car INTEGER)');
  await conn.run('CREATE TABLE sql_audit (who VARCHAR, sql VARCHAR)');
});
afterAll(() => {
  conn.close();
  db.close();
});

const refused = async (sql: string, why: RegExp = /not available|asks for about|only read statements|statements/) =>
  expect(checkStatement(conn, sql, 'analyst'), sql).rejects.toThrow(why);
const allowed = async (sql: string) => expect(checkStatement(conn, sql, 'analyst'), sql).resolves.toBeDefined();

describe('checkStatement', () => {
  it('finds denied calls however they are written', async () => {
    await refused('SELECT * FROM checkpoint()');
    await refused('select * from CHECKPOINT ()');
    await refused('SELECT * FROM "force_checkpoint"()');
    await refused('SELECT * FROM system.main.enable_profiling/* c */()');
    await refused("SELECT nextval('seq')");
    await refused('SELECT * FROM query($$SELECT 1$$)');
    await refused("SELECT * FROM query_table('sql_audit')");
    await refused("SELECT 'it''s' AS a, * FROM arrow_scan(1, 2, 3)");
    await refused("SELECT E'\\'' AS a FROM enable_logging()");
    await refused("SELECT (SELECT value FROM duckdb_settings() WHERE name = 'temp_directory')");
    await refused("SELECT current_setting('temp_directory')");
    await refused('SELECT path FROM duckdb_databases()');
    await refused('SELECT 1 WHERE EXISTS (SELECT * FROM (SELECT * FROM (SELECT * FROM checkpoint())))');
  });

  it('leaves words inside strings, comments and column names alone', async () => {
    await allowed("SELECT 'checkpoint()' AS s");
    await allowed("SELECT $$ query('x') $$ AS s");
    await allowed('SELECT $tag$ checkpoint() $tag$ AS s');
    await allowed('SELECT 1 -- checkpoint()\n');
    await allowed('SELECT 1 /* nested /* checkpoint() */ still comment */');
    await allowed('SELECT query, checkpoint FROM (SELECT 1 AS query, 2 AS checkpoint)');
  });

  it('caps literal sizes of scalar generators, not of table functions in FROM', async () => {
    await allowed("SELECT repeat('ab', 1000), lpad(x, 10, '0') FROM (SELECT '1' AS x)");
    await allowed('SELECT count(*) FROM range(1000000000000)');
    await allowed('SELECT * FROM range(10) a JOIN generate_series(1, 1e12::BIGINT) b ON true');
    await allowed('SELECT * FROM camera_events, range(1e12::BIGINT) r');
    await refused(`SELECT repeat('x', ${MAX_LITERAL_SIZE + 1})`);
    await refused("SELECT repeat('x', 1e12::BIGINT)");
    await refused("SELECT repeat(repeat('x', 10000), 10000)");
    await refused('SELECT * FROM (SELECT range(2000000000))');
    await refused('SELECT 1 FROM camera_events WHERE len(range(5e9::BIGINT)) > 0');
  });

  it('takes only one SELECT, however comments and line ends are arranged', async () => {
    // DuckDB ends a -- comment at \r as well as \n: a lexer of our own once took the CREATE for comment text.
    await refused(
      '--x\rCREATE OR REPLACE TABLE camera_events AS SELECT * FROM camera_events WHERE false;\nSELECT 1 AS ok',
    );
    await refused('SELECT 1; SELECT 2');
    await refused('PIVOT camera_events ON id USING sum(car)', /PIVOT without IN/);
    await refused('CREATE TABLE evil AS SELECT 1', /this is CREATE/);
    await refused('INSTALL httpfs', /INSTALL or LOAD/);
    await refused('PRAGMA database_list', /PRAGMA/);
    await refused('EXPLAIN ANALYZE SELECT * FROM checkpoint()', /EXPLAIN/);
    await expect(checkStatement(conn, 'SELECT 1\0; DROP TABLE camera_events', 'analyst')).rejects.toThrow(/NUL/);
    await expect(checkStatement(conn, `SELECT '${'x'.repeat(MAX_SQL_LENGTH)}'`, 'analyst')).rejects.toThrow(/at most/);
  });

  it('lets analysts name the shared audit table only unqualified, admins any way', async () => {
    await allowed('SELECT * FROM sql_audit');
    await refused('SELECT * FROM main.sql_audit', /without a schema/);
    await refused('SELECT * FROM memory.main.sql_audit', /without a schema/);
    await expect(checkStatement(conn, 'SELECT * FROM memory.main.sql_audit', 'admin')).resolves.toBeDefined();
  });

  it('checks a deeply nested 100 kB statement without holding the event loop', async () => {
    let sql = "'x'";
    while (sql.length < 95_000) sql = `repeat(${sql}, 1)`;
    let longest = 0;
    let last = performance.now();
    const timer = setInterval(() => {
      const now = performance.now();
      longest = Math.max(longest, now - last);
      last = now;
    }, 5);
    await checkStatement(conn, `SELECT ${sql}`, 'analyst').catch(() => undefined);
    clearInterval(timer);
    // The parse runs on DuckDB's threads; what the event loop does (reading the tree) is linear and short.
    expect(longest).toBeLessThan(500);
  });
});
