// The sandbox's rules on a running engine: which reads run, the row cap, error positions, parameters, the queue and cancel.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';

let engine: TestEngine;
const LONG = 'SELECT sum(a.range * b.range) FROM range(100000) a CROSS JOIN range(100000) b';

beforeAll(async () => {
  engine = await startTestEngine({ sqlTimeoutMs: 3_000, sqlMaxRows: 50, sqlConcurrency: 1, sqlQueue: 1 });
});
afterAll(async () => {
  await engine?.dispose();
});

describe('analysts’ sandbox', () => {
  it('runs every kind of read statement', async () => {
    const reads = [
      'SELECT 1 AS a',
      'WITH a AS (SELECT 1 AS x) SELECT * FROM a',
      'VALUES (1), (2)',
      'FROM camera_events',
      'DESCRIBE camera_events',
      'SHOW TABLES',
      'SUMMARIZE camera_events',
      "PIVOT (SELECT * FROM (VALUES ('a', 1), ('b', 2)) t(k, v)) ON k IN ('a', 'b') USING sum(v);",
    ];
    for (const sql of reads) {
      const res = await engine.post('/api/sql', { sql });
      expect(res.status, `${sql}: ${JSON.stringify(res.body)}`).toBe(200);
    }
    const pivot = await engine.post('/api/sql', { sql: reads[7] });
    expect(pivot.body.columns.map((c: { name: string }) => c.name)).toEqual(['a', 'b']);
    expect(pivot.body.rows).toEqual([[1, 2]]);
  });

  it('explains a checked statement when asked, and refuses EXPLAIN or a PIVOT without IN in the text with a way forward', async () => {
    for (const explain of ['plan', 'analyze']) {
      const res = await engine.post('/api/sql', { sql: 'SELECT count(*) FROM camera_events', explain });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(JSON.stringify(res.body.rows)).toMatch(
        explain === 'analyze' ? /Total Time|Query Profiling/i : /SEQ_SCAN|TABLE_SCAN|UNGROUPED_AGGREGATE/i,
      );
    }
    const checked = await engine.post('/api/sql', { sql: 'SELECT * FROM checkpoint()', explain: 'analyze' });
    expect(checked.status).toBe(403);
    const text = await engine.post('/api/sql', { sql: 'EXPLAIN ANALYZE SELECT 1' });
    expect(text.status).toBe(403);
    expect(text.body.error.message).toMatch(/"explain"/);
    const pivot = await engine.post('/api/sql', {
      sql: "PIVOT (SELECT * FROM (VALUES ('a', 1), ('b', 2)) t(k, v)) ON k USING sum(v)",
    });
    expect(pivot.status).toBe(403);
    expect(pivot.body.error.message).toMatch(/IN \('a', 'b'\)/);
  });

  it('caps rows and says so', async () => {
    const capped = await engine.post('/api/sql', { sql: 'SELECT range AS i FROM range(100)' });
    expect(capped.body).toMatchObject({ rowCount: 50, truncated: true, columns: [{ name: 'i', type: 'BIGINT' }] });
    const lower = await engine.post('/api/sql', { sql: 'SELECT range AS i FROM range(100)', maxRows: 10 });
    expect(lower.body).toMatchObject({ rowCount: 10, truncated: true });
    const whole = await engine.post('/api/sql', { sql: 'SELECT range AS i FROM range(50)' });
    expect(whole.body).toMatchObject({ rowCount: 50, truncated: false });
  });

  it('points at the error in the SQL text, in characters', async () => {
    const res = await engine.post('/api/sql', { sql: "SELECT 'Hà Nội' AS a,\n  nosuch FROM camera_events" });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'sql_error', errorType: 'Binder', position: 24, line: 2, column: 3 });
    expect(res.body.error.message).toMatch(/Binder Error: Referenced column "nosuch" not found/);
    const syntax = await engine.post('/api/sql', { sql: 'SELECT 1 FORM x' });
    expect(syntax.body.error).toMatchObject({ code: 'sql_error', errorType: 'Parser', position: 14 });
  });

  it('binds $name parameters', async () => {
    const res = await engine.post('/api/sql', {
      sql: 'SELECT $a::INT + 1 AS b, $s AS s',
      params: { a: 41, s: 'Ba Đình' },
    });
    expect(res.body.rows).toEqual([[42, 'Ba Đình']]);
    const missing = await engine.post('/api/sql', { sql: 'SELECT $a AS b' });
    expect(missing.status).toBe(400);
  });

  it('queues, answers 429 past the queue, and cancels a running query', async () => {
    const first = engine.post('/api/sql', { sql: LONG, queryId: 'long-1' });
    await new Promise((r) => setTimeout(r, 200));
    const second = engine.post('/api/sql', { sql: LONG, queryId: 'long-2' });
    await until(
      () => engine.get('/api/health'),
      (h) => h.body.sql?.running === 1 && h.body.sql?.queued === 1,
    );
    const third = await engine.post('/api/sql', { sql: 'SELECT 1' });
    expect(third.status).toBe(429);
    expect(third.body.error.code).toBe('busy');

    const t0 = performance.now();
    const cancel = await engine.post('/api/sql/long-1/cancel', {});
    expect(cancel.body).toEqual({ queryId: 'long-1', cancelled: true });
    const r1 = await first;
    expect(performance.now() - t0).toBeLessThan(1_500);
    expect(r1.status).toBe(409);
    expect(r1.body.error.code).toBe('cancelled');
    // The queued one got its turn; cancel it too.
    await new Promise((r) => setTimeout(r, 200));
    expect((await engine.post('/api/sql/long-2/cancel', {})).status).toBe(200);
    expect((await second).body.error.code).toBe('cancelled');
    expect((await engine.post('/api/sql/nope/cancel', {})).status).toBe(404);
    expect((await engine.post('/api/sql', { sql: 'SELECT 42 AS x' })).body.rows).toEqual([[42]]);
  });

  it('stops the query of a client that went away', async () => {
    const gone = new AbortController();
    const t0 = Date.now();
    const request = fetch(`${engine.url}/api/sql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      signal: gone.signal,
      body: JSON.stringify({ sql: `${LONG} -- walked away` }),
    }).catch(() => null);
    setTimeout(() => gone.abort(), 300);
    await request;
    const audit = await until(
      () =>
        engine.sql(
          "SELECT status FROM sql_audit WHERE sql LIKE '%walked away' AND who = 'anonymous' AND status <> 'ok'",
        ),
      (r) => r.length > 0,
      3_000,
    );
    expect(audit).toEqual([['cancelled']]);
    expect(Date.now() - t0).toBeLessThan(2_500);
  });
});
