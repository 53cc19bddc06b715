// Starts a real engine for a test: its own temp DuckDB file, a free HTTP port, quiet logs.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ConfigInput } from '../../engine/config.ts';
import type { Logger } from '../../engine/log.ts';
import { startEngine, type Engine } from '../../engine/main.ts';

export interface TestEngine extends Omit<Engine, 'mqttUrl'> {
  /** The MQTT broker it listens to; reading it on a replica without one is a mistake in the test. */
  mqttUrl: string;
  dir: string;
  get(path: string): Promise<{ status: number; body: any }>;
  post(path: string, body: unknown, headers?: Record<string, string>): Promise<{ status: number; body: any }>;
  sql(sql: string): Promise<any[][]>;
  dispose(): Promise<void>;
}

/** `log` replaces the engine's logger, e.g. to capture what it records. */
export async function startTestEngine(
  overrides: Partial<ConfigInput> = {},
  options: { log?: Logger } = {},
): Promise<TestEngine> {
  const dir = mkdtempSync(join(tmpdir(), 'ioc-test-'));
  const engine = await startEngine(
    {
      dataDir: dir,
      port: 0,
      // The embedded broker picks its own port and reports it in mqttUrl: no port can be taken between pick and bind.
      mqttPort: 0,
      // The PostgreSQL door listens on a fixed port by default; tests that use it give it a free one.
      pgPort: 0,
      simulate: false,
      logLevel: 'warn',
      tickMs: 200,
      recomputeMs: 200,
      // Tests wait for what they send: no quiet-city savings between a publish and its commit or recompute.
      recomputeBudgetPct: 0,
      batchAgeMs: 50,
      batchQuietRows: 0,
      mqttSessionExpiryS: 120,
      ...overrides,
    },
    {},
    options.log,
  );
  const send = async (path: string, init?: RequestInit): Promise<Response> => {
    try {
      return await fetch(engine.url + path, init);
    } catch (err) {
      // A kept-alive connection whose idle timers raced (the client's fired late on a starved runner) is reset as it
      // is reused; a read is idempotent, so a GET is sent once more on a fresh one. Anything else is the test's failure.
      const code = (err as { cause?: { code?: string } }).cause?.code;
      if ((init?.method ?? 'GET') !== 'GET' || code !== 'ECONNRESET') throw err;
      return fetch(engine.url + path, init);
    }
  };
  const call = async (path: string, init?: RequestInit) => {
    const res = await send(path, init);
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      /* not JSON: keep the text */
    }
    return { status: res.status, body };
  };
  const mqttUrl = engine.mqttUrl;
  const test = Object.assign(engine, {
    dir,
    get: (path: string) => call(path),
    post: (path: string, body: unknown, headers: Record<string, string> = {}) =>
      call(path, {
        method: 'POST',
        body: typeof body === 'string' ? body : JSON.stringify(body),
        headers: { 'content-type': 'application/json', ...headers },
      }),
    async sql(sql: string) {
      const r = await call('/api/sql', {
        method: 'POST',
        body: JSON.stringify({ sql }),
        headers: { 'content-type': 'application/json' },
      });
      if (r.status !== 200) throw new Error(`SQL failed (${r.status}): ${JSON.stringify(r.body)}`);
      return (r.body as { rows: any[][] }).rows;
    },
    async dispose() {
      await engine.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  });
  return Object.defineProperty(test, 'mqttUrl', {
    get(): string {
      if (mqttUrl === null) throw new Error('this engine listens to no MQTT broker (a replica without MQTT_URL)');
      return mqttUrl;
    },
  }) as TestEngine;
}

/**
 * Probes until `ok`, every `everyMs` after the last probe ended: a probe that costs the machine something (a
 * screenshot of a WebGL page) takes a longer pause, so that waiting does not slow what it waits for.
 */
export async function until<T>(
  probe: () => Promise<T> | T,
  ok: (v: T) => boolean,
  ms = 10_000,
  everyMs = 50,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await probe();
    if (ok(v)) return v;
    if (Date.now() > end)
      throw new Error(`condition not met within ${ms} ms; last value: ${JSON.stringify(v)?.slice(0, 500)}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
