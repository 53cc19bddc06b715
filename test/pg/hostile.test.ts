// The sandbox's hostile statements sent over the PostgreSQL door: each refused or stopped with its SQLSTATE, the
// connection usable after each, the data intact, and ingestion going on meanwhile.
import { describe, expect, it } from 'vitest';
import { camera } from '../support/events.ts';
import { HOSTILE } from '../support/hostile-sql.ts';
import { until } from '../support/engine.ts';
import { BASE, doorEngineForTests } from './door.ts';

const ctx = doorEngineForTests({ sqlTimeoutMs: 1_500, sqlExportTimeoutMs: 1_500 }, 50, true);

/** Refusals come as access (42501), syntax or name errors (class 42), unsupported (0A000) or bad values (class 22). */
const REFUSED = /^(42|0A|22)/;
/** Stopped by the time limit (57014) or the memory limit (53200), or a size refused (54000). */
const STOPPED = /^(57014|53200|54000)$/;

const stored = async (): Promise<number> =>
  Number(
    (await ctx.engine.store.reader.query("SELECT count(*) FROM camera_events WHERE id LIKE 'pg-hostile-%'"))
      .rows[0]![0],
  );

describe('hostile SQL over the PostgreSQL door', () => {
  it('refuses or stops every statement, and the connection answers after each', async () => {
    let sent = 0;
    let ingesting = true;
    const ingest = (async () => {
      while (ingesting) {
        const events = Array.from({ length: 20 }, (_, k) =>
          camera(sent + k, {
            id: `pg-hostile-${sent + k}`,
            ts: new Date(BASE.getTime() + (sent + k) * 10).toISOString(),
          }),
        );
        const res = await ctx.engine.post('/api/ingest?family=camera', events);
        if (res.status === 200) sent += events.length;
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const bad: string[] = [];
    for (const [sql, expected, what] of HOSTILE) {
      let code: string;
      try {
        const res = await ctx.client.query(sql);
        code = `ran: ${res.command}`;
      } catch (err) {
        code = String((err as { code?: string }).code);
      }
      // The door takes BEGIN as the no-op clients expect; a NUL ends a protocol string, so only "SELECT 1" arrives.
      const allowed =
        (what === 'transaction' && code === 'ran: BEGIN') ||
        (sql.includes('\0') && code === 'ran: SELECT') ||
        (expected === 'refused' ? REFUSED.test(code) : STOPPED.test(code));
      if (!allowed) bad.push(`${what}: ${code} (${sql.slice(0, 80)})`);
      const after = await ctx.client.query('SELECT 1 AS ok');
      if (after.rows[0]?.ok !== 1) bad.push(`${what}: the connection did not answer after it`);
    }
    await ctx.client.query('ROLLBACK');
    ingesting = false;
    await ingest;
    expect(bad).toEqual([]);
    expect(sent).toBeGreaterThan(100);
    await until(
      async () => {
        await ctx.engine.settle();
        return stored();
      },
      (n) => n === sent,
      15_000,
    );
  }, 240_000);

  it('left the tables as they were', async () => {
    expect(
      Number((await ctx.engine.store.reader.query('SELECT count(*) FROM camera_events')).rows[0]![0]),
    ).toBeGreaterThan(50);
    expect((await ctx.engine.store.reader.query("SELECT count(*) FROM camera_events WHERE id = 'evil'")).rows).toEqual([
      [0],
    ]);
  });
});
