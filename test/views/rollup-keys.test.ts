// Rollups carry no unique index (an out-of-memory error mid-write once left one corrupt); tables made with the old key are copied without it, history kept.
import { rmSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/engine.ts';

let engine: TestEngine | undefined;
let firstDir = '';
afterAll(async () => {
  await engine?.dispose();
  if (firstDir) rmSync(firstDir, { recursive: true, force: true });
});

const keyed = (e: TestEngine) =>
  e.store.reader.query(
    "SELECT count(*) FROM duckdb_constraints() WHERE constraint_type IN ('PRIMARY KEY', 'UNIQUE') AND table_name IN (SELECT name FROM view_state)",
  );

describe('rollup tables', () => {
  it('are made without a key, and an earlier release’s keyed tables lose the key but keep their rows', async () => {
    const first = await startTestEngine();
    expect((await keyed(first)).rows).toEqual([[0]]);
    // As the previous release made it: the same columns with PRIMARY KEY (t, area), holding a year-old row that no
    // raw event could rebuild.
    await first.store.writer
      .run(`CREATE OR REPLACE TABLE traffic_flow (t TIMESTAMPTZ NOT NULL, area VARCHAR NOT NULL, value DOUBLE, n BIGINT NOT NULL,
      weight DOUBLE, sources BIGINT, late BIGINT NOT NULL, updated_at TIMESTAMPTZ NOT NULL, PRIMARY KEY (t, area))`);
    await first.store.writer.run(
      "INSERT INTO traffic_flow VALUES (now() - INTERVAL 300 DAY, 'hoan_kiem', 42, 7, NULL, 3, 0, now() - INTERVAL 300 DAY)",
    );
    expect((await keyed(first)).rows).toEqual([[1]]);
    const dir = first.dir;
    firstDir = dir;
    await first.stop();
    engine = await startTestEngine({ dataDir: dir });
    expect((await keyed(engine)).rows).toEqual([[0]]);
    expect(
      (
        await engine.store.reader.query(
          "SELECT value, n FROM traffic_flow WHERE area = 'hoan_kiem' AND t < now() - INTERVAL 200 DAY",
        )
      ).rows,
    ).toEqual([[42, 7]]);
  });
});
