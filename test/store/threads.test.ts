// The engine's own database runs on the threads DUCKDB_THREADS gives it (one by default): its statements are small,
// and the analysts' heavy ones have a replica of their own.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../engine/config.ts';
import { openStore } from '../../engine/store/index.ts';

async function threadsOf(opts: { duckdbThreads?: number }): Promise<number> {
  const store = await openStore({ dataDir: '.', dbFile: ':memory:', ...opts });
  try {
    const [row] = await store.reader.objects<{ n: number }>("SELECT current_setting('threads')::INTEGER AS n");
    return row!.n;
  } finally {
    await store.close();
  }
}

describe("the engine's DuckDB threads", () => {
  it('are one unless configured, and as many as DUCKDB_THREADS says', async () => {
    expect(await threadsOf({})).toBe(1);
    expect(await threadsOf({ duckdbThreads: loadConfig({ DUCKDB_THREADS: '2' }).duckdbThreads })).toBe(2);
    expect(await threadsOf({ duckdbThreads: loadConfig({}).duckdbThreads })).toBe(1);
  });
});
