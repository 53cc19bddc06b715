// An analyst's time limit covers the wait for the analysts' copy to catch up: behind a query DuckDB has not stopped
// yet, that wait once took seconds past the limit before the limit's clock started; during a flood, a copy still
// copying thousands of dead letters made every query time out. After half the limit the copy is read as it stands,
// and the answer says as of when.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../engine/db.ts';
import { Cursor } from '../../engine/pg/cursor.ts';
import { Sandbox } from '../../engine/query/sandbox.ts';

let db: Database;
let s: Sandbox;
/** What the sandbox awaits before each query (one sandbox a database: opening it locks the configuration). */
let fresh: () => Promise<void> = async () => undefined;
/** When the copy's data was taken, as the replica reports it. */
const AS_OF = Date.parse('2026-12-07T08:00:00Z');

beforeAll(async () => {
  db = await Database.open(':memory:');
  const conn = await db.connect();
  await Sandbox.createTables(conn);
  conn.close();
  s = await Sandbox.open(db, {
    timeoutMs: 400,
    exportTimeoutMs: 400,
    maxRows: 10,
    fresh: () => fresh(),
    asOf: () => AS_OF,
  });
});
afterAll(async () => {
  await s?.close();
  db?.close();
});

describe('the wait for fresh data', () => {
  it('waits at most half the time limit, then reads the copy as it stands and says as of when', async () => {
    fresh = () => new Promise<void>(() => undefined);
    const t0 = performance.now();
    const answer = await s.run('SELECT 1 AS a');
    const ms = performance.now() - t0;
    expect(answer.rows).toEqual([[1]]);
    expect(answer.staleAsOf).toBe('2026-12-07T08:00:00.000Z');
    expect(ms).toBeGreaterThanOrEqual(190);
    expect(ms).toBeLessThan(400);
    // A download says it in its result too (the routes send it as the x-stale-as-of header).
    const streamed = await s.stream('SELECT 2 AS b', {}, 'csv', async (result) => ({
      result: result.staleAsOf,
      rows: 0,
    }));
    expect(streamed).toBe(AS_OF);
  });

  it("is told the PostgreSQL door's statements, which send it as a notice", async () => {
    fresh = () => new Promise<void>(() => undefined);
    const cursor = new Cursor(s, 'SELECT 3 AS c', {}, 10, (cells) => Buffer.from(cells.join(',')));
    const written: Buffer[] = [];
    const fetched = await cursor.fetch(0, async (rows) => void written.push(...rows));
    expect(fetched).toMatchObject({ rows: 1, done: true });
    expect(written.map(String)).toEqual(['3']);
    expect(cursor.staleAsOf).toBe(AS_OF);
    await cursor.close();
  });

  it('runs the query once the copy has caught up within the limit', async () => {
    fresh = () => new Promise<void>((resolve) => setTimeout(resolve, 100));
    const answer = await s.run('SELECT 1 AS a');
    expect(answer.rows).toEqual([[1]]);
    expect(answer).not.toHaveProperty('staleAsOf');
  });
});
