// The analysts' pool on its own: turns, and giving way to ingestion while it is behind, for a bounded time.
import { describe, expect, it } from 'vitest';
import type { Connection } from '../../engine/db.ts';
import { Pool } from '../../engine/query/pool.ts';

const fakeConn = (): Connection => ({ interrupt() {}, close() {} }) as unknown as Connection;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Pool', () => {
  it('starts at once while ingestion keeps up', async () => {
    const pool = new Pool([fakeConn(), fakeConn()], { concurrency: 1, queue: 4, behind: () => false, deferMs: 2_000 });
    const t0 = Date.now();
    expect(await pool.run(1_000, async () => 'done')).toBe('done');
    expect(Date.now() - t0).toBeLessThan(50);
    expect(pool.deferred).toBe(0);
    await pool.close();
  });

  it('waits while ingestion is behind and starts as soon as it has caught up', async () => {
    let behind = true;
    const pool = new Pool([fakeConn(), fakeConn()], { concurrency: 1, queue: 4, behind: () => behind, deferMs: 5_000 });
    const t0 = Date.now();
    let startedAt = 0;
    const run = pool.run(10_000, async () => {
      startedAt = Date.now();
    });
    await sleep(300);
    expect(startedAt).toBe(0);
    behind = false;
    await run;
    expect(startedAt - t0).toBeGreaterThanOrEqual(300);
    expect(startedAt - t0).toBeLessThan(500);
    expect(pool.deferred).toBe(1);
    await pool.close();
  });

  it('gives way for deferMs at most, so analysts are never starved', async () => {
    const pool = new Pool([fakeConn(), fakeConn()], { concurrency: 1, queue: 4, behind: () => true, deferMs: 400 });
    const t0 = Date.now();
    await pool.run(10_000, async () => undefined);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(400);
    expect(Date.now() - t0).toBeLessThan(700);
    await pool.close();
  });

  it('answers busy past the queue and times out a query that never got a turn', async () => {
    const pool = new Pool([fakeConn(), fakeConn(), fakeConn()], { concurrency: 1, queue: 1 });
    let release!: () => void;
    const first = pool.run(
      5_000,
      () =>
        new Promise<void>((r) => {
          release = r;
        }),
    );
    const second = pool.run(300, async () => 'late');
    await expect(pool.run(1_000, async () => 'x')).rejects.toMatchObject({ code: 'busy' });
    await expect(second).rejects.toMatchObject({ code: 'busy' });
    release();
    await first;
    await pool.close();
  });
});
