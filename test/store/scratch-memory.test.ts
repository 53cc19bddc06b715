// The temporary tables a commit stages its rows in are emptied after every commit, and DuckDB frees none of a
// temporary table's deleted rows while the table lives: an engine that ran for a week held every row it ever staged.
// Here a few hundred thousand rows go through the staging tables, and what they hold afterwards is a few batches' worth.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeMessage } from '../../engine/decode.ts';
import { Batcher } from '../../engine/ingest/index.ts';
import { createLogger } from '../../engine/log.ts';
import { openStore, type Store } from '../../engine/store/index.ts';
import { bytes, camera, T0 } from '../support/events.ts';

const BATCH = 15_000;
let dir: string;
let store: Store;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ioc-scratch-'));
  store = await openStore({ dataDir: dir });
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Bytes held by the database's temporary tables (its file's tables are not in memory this way). */
async function scratchBytes(): Promise<number> {
  // The rows just committed are in memory until a checkpoint writes them to the file.
  await store.writer.run('CHECKPOINT');
  const [row] = await store.reader.objects<{ b: number }>(
    `SELECT coalesce(sum(memory_usage_bytes), 0)::DOUBLE AS b FROM duckdb_memory() WHERE tag = 'IN_MEMORY_TABLE'`,
  );
  return row!.b;
}

describe('staging tables', () => {
  it('hold a few batches of rows at most, however many went through them', async () => {
    const batcher = new Batcher(
      store.writer,
      { batchRows: 1_000_000, batchAgeMs: 60_000 },
      () => undefined,
      createLogger('silent'),
    );
    const opts = { maxPayloadBytes: 1 << 26, maxFutureMs: 3_600_000, locate: () => 'hoan_kiem' };
    const commit = async (k: number) => {
      const payload = bytes(
        Array.from({ length: BATCH }, (_, i) =>
          camera(k * BATCH + i, { ts: new Date(T0 + k * BATCH + i).toISOString() }),
        ),
      );
      batcher.push(
        { source: 'test', topic: 'city/camera/x', payload, receivedAt: T0, ack: () => undefined },
        decodeMessage('camera', payload, T0, opts),
      );
      await batcher.flush();
    };
    await commit(0);
    const one = await scratchBytes();
    expect(one).toBeGreaterThan(0);
    for (let k = 1; k < 20; k++) await commit(k);
    const [{ n }] = (await store.reader.objects<{ n: number }>('SELECT count(*)::DOUBLE AS n FROM camera_events')) as [
      { n: number },
    ];
    expect(n).toBe(20 * BATCH);
    // 300,000 rows staged: kept, they took eight times what the first batch took (measured), made anew past 100,000
    // rows about three times.
    expect(await scratchBytes()).toBeLessThan(5 * one);
    await batcher.close();
  });
});
