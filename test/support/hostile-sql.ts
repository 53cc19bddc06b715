// Hostile analyst SQL, each with what the sandbox must do to it: refuse it up front, or stop it by its time or memory limit.

export type Expect = 'refused' | 'stopped';
export const HOSTILE: [string, Expect, string][] = [
  // files and network
  ["SELECT * FROM read_csv('/etc/passwd')", 'refused', 'file read'],
  ["SELECT * FROM read_text('/etc/hostname')", 'refused', 'file read'],
  ["SELECT * FROM read_blob('/etc/shadow')", 'refused', 'file read'],
  ["SELECT * FROM '/etc/passwd'", 'refused', 'replacement scan of a path'],
  ["SELECT * FROM read_json('/proc/self/environ')", 'refused', 'environment through /proc'],
  ["SELECT * FROM glob('/*')", 'refused', 'directory listing'],
  ["SELECT * FROM sniff_csv('/etc/passwd')", 'refused', 'sniff_csv (a past bypass)'],
  ["SELECT * FROM parquet_metadata('/etc/passwd')", 'refused', 'parquet metadata of a file'],
  ["SELECT * FROM read_parquet('http://127.0.0.1:9/x.parquet')", 'refused', 'URL read'],
  ["SELECT getenv('HOME')", 'refused', 'environment variable'],
  ["COPY (SELECT 1) TO '/tmp/ioc-hostile.csv'", 'refused', 'file write'],
  ["COPY camera_events TO '/tmp/ioc-hostile.parquet' (FORMAT parquet)", 'refused', 'table export'],
  ["EXPORT DATABASE '/tmp/ioc-hostile-export'", 'refused', 'database export'],
  ["ATTACH '/tmp/ioc-hostile.duckdb' AS evil", 'refused', 'attach a file'],
  ["ATTACH ':memory:' AS mem", 'refused', 'attach memory'],
  // extensions
  ['INSTALL httpfs', 'refused', 'extension install'],
  ['LOAD httpfs', 'refused', 'extension load'],
  ["FORCE INSTALL spatial FROM 'http://127.0.0.1:9'", 'refused', 'extension from a URL'],
  // DDL and DML
  ['DROP TABLE camera_events', 'refused', 'drop'],
  ['DELETE FROM camera_events', 'refused', 'delete'],
  ['UPDATE camera_events SET car = 0', 'refused', 'update'],
  ["INSERT INTO camera_events (id, ts) VALUES ('evil', now())", 'refused', 'insert'],
  ["INSERT INTO camera_events (id, ts) VALUES ('evil', now()) RETURNING *", 'refused', 'insert returning'],
  ['CREATE TABLE evil AS SELECT 1', 'refused', 'create table'],
  ['CREATE TEMP TABLE evil AS SELECT 1', 'refused', 'create temp table'],
  ['ALTER TABLE camera_events RENAME TO cams', 'refused', 'alter'],
  ['TRUNCATE camera_events', 'refused', 'truncate'],
  ['CREATE MACRO evil(x) AS x', 'refused', 'macro'],
  ['CREATE SEQUENCE evil_seq', 'refused', 'sequence'],
  // several statements
  ['SELECT 1; DROP TABLE camera_events', 'refused', 'multi-statement with DDL'],
  ['SELECT 1; SELECT 2', 'refused', 'two reads'],
  ['SELECT 1 AS "pivot"; CREATE TABLE evil2 AS SELECT 1', 'refused', 'two statements dressed as a pivot'],
  // configuration
  ['SET threads = 1', 'refused', 'set'],
  ["SET memory_limit = '1MB'", 'refused', 'set memory'],
  ['SET enable_external_access = true', 'refused', 'reopen files'],
  ['SET GLOBAL lock_configuration = false', 'refused', 'unlock'],
  ['RESET threads', 'refused', 'reset'],
  ['SET VARIABLE x = 1', 'refused', 'variable'],
  ['USE system', 'refused', 'use'],
  ['SELECT * FROM enable_profiling()', 'refused', 'profiling through a table function'],
  ['SELECT * FROM enable_logging()', 'refused', 'logging through a table function'],
  ['SELECT * FROM "disable_peg_parser"()', 'refused', 'quoted function name'],
  ['SELECT * FROM system.main.truncate_duckdb_logs ( )', 'refused', 'qualified function name'],
  ['CALL enable_logging()', 'refused', 'call'],
  // pragmas and maintenance
  ['PRAGMA threads = 1', 'refused', 'pragma set'],
  ['PRAGMA enable_profiling', 'refused', 'pragma'],
  ['PRAGMA force_checkpoint', 'refused', 'pragma checkpoint'],
  ['CHECKPOINT', 'refused', 'checkpoint'],
  ['SELECT * FROM force_checkpoint()', 'refused', 'checkpoint that aborts the writer'],
  ['SELECT * FROM checkpoint/* hidden */()', 'refused', 'checkpoint behind a comment'],
  ['VACUUM', 'refused', 'vacuum'],
  // catalog tampering and hidden SQL
  ["COMMENT ON TABLE camera_events IS 'evil'", 'refused', 'comment'],
  ['CREATE OR REPLACE VIEW camera_events AS SELECT 1', 'refused', 'shadow a table'],
  ['DETACH DATABASE ioc', 'refused', 'detach'],
  ["SELECT * FROM query('SELECT * FROM checkpoint()')", 'refused', 'SQL in a string'],
  ["SELECT * FROM json_execute_serialized_sql(json_serialize_sql('SELECT 1'))", 'refused', 'serialized SQL'],
  ['SELECT * FROM arrow_scan(0, 0, 0)', 'refused', 'raw memory pointer'],
  ['BEGIN TRANSACTION', 'refused', 'transaction'],
  ['PREPARE p AS SELECT 1', 'refused', 'prepare'],
  ["SELECT nextval('evil_seq')", 'refused', 'sequence write'],
  ['SELECT sleep_ms(60000)', 'refused', 'sleep'],
  // huge values in one uninterruptible call
  ["SELECT repeat('x', 2000000000)", 'refused', 'huge string'],
  ["SELECT length(repeat(repeat('x', 50000), 50000))", 'refused', 'nested huge string'],
  ["SELECT lpad('x', 1e9::INT, 'y')", 'refused', 'huge padding'],
  ['SELECT range(2000000000)', 'refused', 'huge list'],
  ['SELECT list_resize([1], 3000000000)', 'refused', 'huge list resize'],
  // endless or enormous work: stopped by the time limit (or, for enormous values, by the memory limit first)
  [
    'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT count(*) FROM r',
    'stopped',
    'endless recursive CTE',
  ],
  [
    'WITH RECURSIVE r(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM r) SELECT * FROM r',
    'stopped',
    'endless recursive CTE, streamed',
  ],
  [
    'SELECT sum(a.range * b.range) FROM range(100000) a CROSS JOIN range(100000) b',
    'stopped',
    'cross join of 10 billion rows',
  ],
  [
    'SELECT sum(hash(a.id, b.id, c.id, d.range)) FROM camera_events a, camera_events b, camera_events c, range(1000000000) d',
    'stopped',
    'cross join of the data',
  ],
  ["SELECT length(string_agg(repeat('x', 1000), '')) FROM range(100000000)", 'stopped', 'huge string by aggregation'],
  ['SELECT * FROM range(1000000000000) ORDER BY random() LIMIT 1', 'stopped', 'sort of a trillion rows'],
  ['SELECT sum(hash(i)) FROM generate_series(1, 1000000000000) t(i)', 'stopped', 'trillion-row scan'],
  // the holes of the first review: a comment DuckDB ends at \r, a CREATE dressed as the first half of a PIVOT
  [
    '--x\rCREATE OR REPLACE TABLE camera_events AS SELECT * FROM camera_events WHERE false;\nSELECT 1 AS ok',
    'refused',
    'CREATE behind a \\r comment',
  ],
  [
    '--x\rCREATE OR REPLACE TABLE sql_audit AS SELECT * FROM sql_audit WHERE false;\nSELECT 1 AS ok',
    'refused',
    'audit wipe behind a \\r comment',
  ],
  [
    '--x\rCREATE OR REPLACE MACRO vn_aqi_category(x) AS 0;\nSELECT 1 AS ok',
    'refused',
    'macro replaced behind a \\r comment',
  ],
  [
    '--x\rCREATE OR REPLACE VIEW data_quality AS SELECT 1;\nSELECT 1 AS ok',
    'refused',
    'view replaced behind a \\r comment',
  ],
  ['SELECT 1\0; DROP TABLE camera_events', 'refused', 'NUL before a second statement'],
  ['PRAGMA database_list', 'refused', 'server paths through a pragma'],
  ["SELECT value FROM duckdb_settings() WHERE name = 'temp_directory'", 'refused', 'server settings'],
  ['SELECT path FROM duckdb_databases()', 'refused', 'database file path'],
  ["SELECT * FROM query_table('sql_audit')", 'refused', 'a table by name in a string'],
];

/**
 * Memory-hungry work of the kinds that once made the engine's own commits fail, invalidated its database or ended the
 * process: huge strings and lists by aggregation, sorts, hash joins, windows and aggregates over ranges and over cross
 * joins of the real tables. Each must be stopped by the analysts' time or memory limit.
 */
export const MEMORY_HUNGRY: readonly string[] = [
  "SELECT length(string_agg(repeat('x', 1000000), '')) FROM range(100000)",
  "SELECT length(string_agg(s, '')) FROM (SELECT repeat('x', 10000000) s FROM range(1000))",
  'SELECT list(x) FROM range(300000000) t(x)',
  'SELECT count(*) FROM (SELECT x FROM range(300000000) t(x) ORDER BY random())',
  'SELECT count(*) FROM range(100000000) a JOIN range(100000000) b ON a.range = b.range',
  'SELECT max(s) FROM (SELECT sum(x) OVER (ORDER BY random() ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) s FROM range(200000000) t(x))',
  "SELECT count(DISTINCT x::VARCHAR || 'padding-padding') FROM range(300000000) t(x)",
  'SELECT histogram(x) FROM range(200000000) t(x)',
  'SELECT list(a.id || b.id || c.id) FROM camera_events a, camera_events b, camera_events c',
  'SELECT count(DISTINCT a.id || b.id) FROM camera_events a, camera_events b, range(1000) r',
  'SELECT a.id, b.id, c.id FROM camera_events a, camera_events b, camera_events c ORDER BY random()',
];
