// A table the analysts' replica copies whole (a folded register: dossiers, devices) goes through a temporary stage at
// every step it changed, and DuckDB frees none of a temporary table's deleted rows while it lives: the analysts'
// instance held every copy ever made, a whole register a second. Thirty copies of a 20,000-row table here, and the
// stage holds a few of them at most.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../engine/log.ts';
import { Replica } from '../../engine/query/replica/index.ts';
import { openStore, type Store } from '../../engine/store/index.ts';

let dir: string;
let store: Store;
let replica: Replica;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ioc-replica-scratch-'));
  store = await openStore({ dataDir: dir });
  await store.writer.run(
    `CREATE TABLE register_probe AS SELECT range::INTEGER AS k, 'row ' || range AS v FROM range(20000)`,
  );
  replica = await Replica.open(
    store.db,
    {
      path: join(dir, 'replica.duckdb'),
      memoryLimit: '1GB',
      threads: 1,
      tempDir: null,
      macros: [],
      rollups: [],
      committed: () => 0,
      syncMs: 3_600_000,
    },
    createLogger('silent'),
  );
});
afterAll(async () => {
  await replica.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Bytes the analysts' instance holds in temporary tables (its own tables are in its file once checkpointed). */
async function scratchBytes(): Promise<number> {
  const conn = await replica.db.connect();
  try {
    await conn.run('CHECKPOINT');
    const [row] = await conn.objects<{ b: number }>(
      `SELECT coalesce(sum(memory_usage_bytes), 0)::DOUBLE AS b FROM duckdb_memory() WHERE tag = 'IN_MEMORY_TABLE'`,
    );
    return row!.b;
  } finally {
    conn.close();
  }
}

async function changeAndStep(k: number): Promise<void> {
  await store.writer.run(`UPDATE register_probe SET v = 'changed ${k}' WHERE k = ${k}`);
  replica.touch(['register_probe']);
  await replica.sync();
}

describe("the analysts' replica", () => {
  it('copies a changed register whole at each step without holding the earlier copies', async () => {
    await changeAndStep(0);
    const one = await scratchBytes();
    expect(one).toBeGreaterThan(0);
    for (let k = 1; k < 30; k++) await changeAndStep(k);
    const conn = await replica.db.connect();
    const rows = await conn.objects<{ v: string }>('SELECT v FROM register_probe WHERE k = 29');
    conn.close();
    expect(rows).toEqual([{ v: 'changed 29' }]);
    // Thirty copies of 20,000 rows went through the stage; made anew past 100,000 rows, it holds six at most.
    expect(await scratchBytes()).toBeLessThan(4 * one);
  });
});
