// Every view's rows live in one keyless rollup table (a tick writes all its views in one statement; an out-of-memory
// error mid-write once left a unique index corrupt); the per-view tables of earlier releases move into it, history kept.
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { sortRollups } from '../../engine/views/index.ts';
import { startTestEngine, type TestEngine } from '../support/engine.ts';

let engine: TestEngine | undefined;
let firstDir = '';
afterAll(async () => {
  await engine?.dispose();
  if (firstDir) rmSync(firstDir, { recursive: true, force: true });
});

const keys = (e: TestEngine) =>
  e.store.reader.query(
    "SELECT count(*) FROM duckdb_constraints() WHERE constraint_type IN ('PRIMARY KEY', 'UNIQUE') AND table_name = 'rollups'",
  );
const kind = async (e: TestEngine, name: string) =>
  (
    await e.store.reader.query(
      `SELECT 'table' FROM duckdb_tables() WHERE table_name = '${name}' UNION ALL SELECT 'view' FROM duckdb_views() WHERE view_name = '${name}'`,
    )
  ).rows.flat();

describe('the rollup store', () => {
  it('holds every view in one keyless table, and moves an earlier release’s per-view tables into it with their rows', async () => {
    const first = await startTestEngine();
    expect((await keys(first)).rows).toEqual([[0]]);
    expect(await kind(first, 'traffic_flow')).toEqual(['view']);
    // As earlier releases made them: a table per view, one with PRIMARY KEY (t, area), one without, each holding a
    // year-old row that no raw event could rebuild.
    const old = (name: string, key: string) =>
      first.store.writer
        .run(`DROP VIEW ${name}; CREATE TABLE ${name} (t TIMESTAMPTZ NOT NULL, area VARCHAR NOT NULL, value DOUBLE,
        n BIGINT NOT NULL, weight DOUBLE, sources BIGINT, late BIGINT NOT NULL, updated_at TIMESTAMPTZ NOT NULL${key});
        INSERT INTO ${name} VALUES (now() - INTERVAL 300 DAY, 'hoan_kiem', 42, 7, NULL, 3, 0, now() - INTERVAL 300 DAY)`);
    await old('traffic_flow', ', PRIMARY KEY (t, area)');
    await old('avg_speed', '');
    const dir = first.dir;
    firstDir = dir;
    await first.stop();
    engine = await startTestEngine({ dataDir: dir });
    expect((await keys(engine)).rows).toEqual([[0]]);
    for (const name of ['traffic_flow', 'avg_speed']) {
      expect(await kind(engine, name)).toEqual(['view']);
      const kept = await engine.store.reader.query(
        `SELECT value, n FROM ${name} WHERE area = 'hoan_kiem' AND t < now() - INTERVAL 200 DAY`,
      );
      expect(kept.rows).toEqual([[42, 7]]);
    }
    const stored = await engine.store.reader.query(
      'SELECT view FROM rollups WHERE t < now() - INTERVAL 200 DAY ORDER BY view',
    );
    expect(stored.rows).toEqual([['avg_speed'], ['traffic_flow']]);
  });

  it('rewrites a history written view by view in time order, every row kept', async () => {
    const e = engine!;
    // As a history is rolled up: each view's hours together, one view after another.
    await e.store.writer.run(`DELETE FROM rollups WHERE view LIKE 'sorted_%';
      INSERT INTO rollups SELECT 'sorted_' || v, TIMESTAMPTZ '2026-01-01 00:00:00+07' + INTERVAL (h) HOUR, 'hanoi',
        v * 1000 + h, 1, NULL, NULL, 0, now()
      FROM range(3) r(v), range(48) s(h) ORDER BY v, h`);
    const rows = "SELECT view, t, value FROM rollups WHERE view LIKE 'sorted_%' ORDER BY view, t";
    const before = (await e.store.reader.query(rows)).rows;
    const descents = `SELECT count(*) FILTER (WHERE t < before)
      FROM (SELECT t, lag(t) OVER (ORDER BY rowid) AS before FROM rollups WHERE view LIKE 'sorted_%')`;
    expect((await e.store.reader.query(descents)).rows).toEqual([[2]]);
    await sortRollups(e.store.writer);
    expect((await e.store.reader.query(descents)).rows).toEqual([[0]]);
    expect((await e.store.reader.query(rows)).rows).toEqual(before);
    expect(before).toHaveLength(144);
  });
});
