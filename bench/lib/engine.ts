// Starts the engine under test in a child process with its own data folder and port; reads its counters; stops it.
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from '../../test/support/ports.ts';
import { Child } from './child.ts';
import type { EngineOut } from './engine-child.ts';

export type EngineStats = Extract<EngineOut, { type: 'stats' }>;

export class BenchEngine {
  private constructor(
    private readonly child: Child<EngineOut>,
    readonly url: string,
    readonly dataDir: string,
  ) {}

  /** `env`: settings on top of the benchmark's defaults (no simulator, warnings only, a private folder and port). */
  static async start(env: Record<string, string>): Promise<BenchEngine> {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ioc-bench-engine-'));
    const port = await freePort();
    const child = new Child<EngineOut>(
      './engine-child.ts',
      {},
      {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(port),
        DATA_DIR: dataDir,
        SIMULATE: 'off',
        LOG_LEVEL: 'warn',
        MQTT_CLIENT_ID: `bench-engine-${process.pid}-${port}`,
        MQTT_SESSION_EXPIRY_S: '0',
        PG_PORT: '0',
        ...env,
        // BENCH_PROFILE=<folder>: each engine writes a CPU profile there when it stops (open it in Chrome's DevTools).
      },
      process.env.BENCH_PROFILE ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROFILE}`] : [],
    );
    try {
      const ready = await child.next('ready', 60_000);
      return new BenchEngine(child, ready.url, dataDir);
    } catch (err) {
      await child.end();
      await rm(dataDir, { recursive: true, force: true });
      throw err;
    }
  }

  stats(): Promise<EngineStats> {
    this.child.send({ type: 'stats' });
    return this.child.next('stats', 30_000);
  }

  /** Stops the engine (it commits and checkpoints); returns the DuckDB file's size in bytes, then removes its folder. */
  async stop(dbPath: string): Promise<number> {
    await this.child.end(60_000);
    const size = await stat(dbPath).then(
      (s) => s.size,
      () => 0,
    );
    await rm(this.dataDir, { recursive: true, force: true });
    return size;
  }
}
