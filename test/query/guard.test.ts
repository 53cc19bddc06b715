// The SQL text checks: denied functions found through quotes, comments and schemas, never inside strings; literal size caps.
import { describe, expect, it } from 'vitest';
import { checkFunctions, leadingKeyword, MAX_LITERAL_SIZE } from '../../engine/query/guard.ts';

const refused = (sql: string) => expect(() => checkFunctions(sql), sql).toThrow(/not available|asks for about/);
const allowed = (sql: string) => expect(() => checkFunctions(sql), sql).not.toThrow();

describe('checkFunctions', () => {
  it('finds denied calls however they are written', () => {
    refused('SELECT * FROM checkpoint()');
    refused('select * from CHECKPOINT ()');
    refused('SELECT * FROM "force_checkpoint"()');
    refused('SELECT * FROM system.main.enable_profiling/* c */()');
    refused("SELECT 'seq'.nextval()");
    refused("SELECT * FROM query($$SELECT 1$$)");
    refused("SELECT 'it''s' AS a, * FROM arrow_scan(1, 2, 3)");
    refused("SELECT E'\\'' AS a FROM enable_logging()");
  });

  it('leaves words inside strings, comments and column names alone', () => {
    allowed("SELECT 'checkpoint()' AS s");
    allowed("SELECT $$ query('x') $$ AS s");
    allowed("SELECT $tag$ checkpoint() $tag$ AS s");
    allowed('SELECT 1 -- checkpoint()\n');
    allowed('SELECT 1 /* nested /* checkpoint() */ still comment */');
    allowed('SELECT query, checkpoint FROM (SELECT 1 AS query, 2 AS checkpoint)');
  });

  it('caps literal sizes of scalar generators, not of table functions in FROM', () => {
    allowed("SELECT repeat('ab', 1000), lpad(x, 10, '0') FROM (SELECT '1' AS x)");
    allowed('SELECT count(*) FROM range(1000000000000)');
    allowed('SELECT * FROM range(10) a JOIN generate_series(1, 1e12) b ON true');
    allowed('SELECT * FROM camera_events, range(1e12) r');
    refused(`SELECT repeat('x', ${MAX_LITERAL_SIZE + 1})`);
    refused("SELECT repeat('x', 1e12)");
    refused("SELECT repeat(repeat('x', 10000), 10000)");
    refused('SELECT * FROM (SELECT range(2000000000))');
    refused('SELECT 1 FROM camera_events WHERE len(range(5e9)) > 0');
  });

  it('reads the leading keyword past comments and parentheses', () => {
    expect(leadingKeyword('-- hi\n/* x */ (PIVOT t ON b)')).toBe('pivot');
    expect(leadingKeyword('  with a as (select 1) select * from a')).toBe('with');
  });
});
