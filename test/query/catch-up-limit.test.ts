// An analyst's time limit covers the wait for the analysts' copy to catch up: behind a query DuckDB has not stopped
// yet, that wait once took seconds past the limit before the limit's clock started.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../engine/db.ts';
import { EngineError } from '../../engine/errors.ts';
import { Sandbox } from '../../engine/query/sandbox.ts';

let db: Database;
let s: Sandbox;
/** What the sandbox awaits before each query (one sandbox a database: opening it locks the configuration). */
let fresh: () => Promise<void> = async () => undefined;

beforeAll(async () => {
  db = await Database.open(':memory:');
  const conn = await db.connect();
  await Sandbox.createTables(conn);
  conn.close();
  s = await Sandbox.open(db, { timeoutMs: 400, maxRows: 10, fresh: () => fresh() });
});
afterAll(async () => {
  await s?.close();
  db?.close();
});

describe('the wait for fresh data', () => {
  it('counts within the time limit: a copy that never catches up answers a timeout at the limit', async () => {
    fresh = () => new Promise<void>(() => undefined);
    const t0 = performance.now();
    const err = await s.run('SELECT 1 AS a').catch((e: unknown) => e);
    const ms = performance.now() - t0;
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).code).toBe('timeout');
    expect((err as EngineError).message).toMatch(/time limit of 400 ms .*catch up/);
    expect(ms).toBeGreaterThanOrEqual(390);
  });

  it('runs the query once the copy has caught up within the limit', async () => {
    fresh = () => new Promise<void>((resolve) => setTimeout(resolve, 100));
    const answer = await s.run('SELECT 1 AS a');
    expect(answer.rows).toEqual([[1]]);
  });
});
