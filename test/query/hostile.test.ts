// Hostile SQL against a running engine: every statement refused or stopped within its limit, data and settings intact, ingestion on.
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { camera } from '../support/events.ts';
import { HOSTILE } from '../support/hostile-sql.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';

const TIMEOUT_MS = 1_500;
/** The answer may come up to the stop grace (1 s) after the limit; the rest is slack for a busy 2-core machine. */
const ANSWER_WITHIN_MS = TIMEOUT_MS + 1_000 + 1_500;

let engine: TestEngine;
let pub: MqttClient;
let published = 0;
let settingsBefore: unknown[][];
let tablesBefore: string[];
const SETTINGS = `SELECT name, value FROM duckdb_settings() WHERE name IN ('threads', 'memory_limit', 'enable_external_access',
  'lock_configuration', 'enable_profiling', 'autoload_known_extensions', 'autoinstall_known_extensions', 'TimeZone', 'allowed_directories') ORDER BY name`;

async function publishCameras(from: number, n: number): Promise<void> {
  const ts = new Date().toISOString();
  await Promise.all(
    Array.from({ length: n }, (_, k) => {
      const e = camera(from + k, { id: `hostile-${from + k}`, ts });
      return pub.publishAsync(`city/camera/${String(e['cameraId'])}`, JSON.stringify(e), { qos: 1 });
    }),
  );
  published += n;
}

const stored = async (): Promise<number> =>
  (await engine.sql("SELECT count(*) FROM camera_events WHERE id LIKE 'hostile-%'"))[0]![0] as number;

beforeAll(async () => {
  engine = await startTestEngine({ sqlTimeoutMs: TIMEOUT_MS });
  pub = await mqtt.connectAsync(engine.mqttUrl, { clientId: `hostile-${process.pid}` });
  await publishCameras(0, 200);
  await until(stored, (n) => n === 200);
  settingsBefore = (await engine.store.reader.query(SETTINGS)).rows;
  tablesBefore = ((await engine.get('/api/catalog')).body as { tables: { name: string }[] }).tables.map((t) => t.name);
});

afterAll(async () => {
  await pub?.endAsync();
  await engine?.dispose();
});

describe('hostile SQL on /api/sql', () => {
  it(`refuses or stops all ${HOSTILE.length} statements within the limit while ingestion goes on`, async () => {
    expect(HOSTILE.length).toBeGreaterThanOrEqual(40);
    // Devices keep publishing the whole time.
    let publishing = true;
    const publisher = (async () => {
      while (publishing) {
        await publishCameras(published, 25);
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    const outcomes: string[] = [];
    for (const [sql, expected, what] of HOSTILE) {
      const t0 = performance.now();
      const res = await engine.post('/api/sql', { sql });
      const ms = performance.now() - t0;
      const code = (res.body as { error?: { code?: string } }).error?.code;
      const ok =
        expected === 'refused'
          ? [400, 403].includes(res.status) && ['forbidden_sql', 'sql_error', 'bad_request'].includes(code ?? '')
          : (res.status === 408 && code === 'timeout') || (res.status === 413 && code === 'too_large');
      outcomes.push(
        `${ok && ms < ANSWER_WITHIN_MS ? 'ok ' : 'BAD'} ${what}: ${res.status} ${code} in ${Math.round(ms)} ms (${JSON.stringify(res.body).slice(0, 160)})`,
      );
    }
    publishing = false;
    await publisher;
    expect(
      outcomes.filter((o) => o.startsWith('BAD')),
      outcomes.join('\n'),
    ).toEqual([]);
    // Every event published during the attack is stored, once.
    await until(stored, (n) => n === published, 15_000);
    expect(published).toBeGreaterThan(300);
    // 82 statements, each allowed up to its time limit: on a busy machine more than the default minute.
  }, 150_000);

  it('leaves tables, settings and the file system as they were', async () => {
    expect((await engine.store.reader.query(SETTINGS)).rows).toEqual(settingsBefore);
    expect((await engine.store.reader.query('SELECT vn_aqi_category(10)')).rows).toEqual([['Tốt']]);
    expect(
      (
        await engine.store.reader.query(
          "SELECT count(*) > 0 FROM duckdb_views() WHERE view_name = 'data_quality' AND sql ILIKE '%camera%'",
        )
      ).rows,
    ).toEqual([[true]]);
    expect(
      ((await engine.get('/api/catalog')).body as { tables: { name: string }[] }).tables.map((t) => t.name),
    ).toEqual(tablesBefore);
    expect(await engine.sql("SELECT count(*) FROM camera_events WHERE id = 'evil'")).toEqual([[0]]);
    const { existsSync } = await import('node:fs');
    for (const f of [
      '/tmp/ioc-hostile.csv',
      '/tmp/ioc-hostile.parquet',
      '/tmp/ioc-hostile-export',
      '/tmp/ioc-hostile.duckdb',
    ])
      expect(existsSync(f), f).toBe(false);
  });

  it('still answers ordinary reads, keeps ingesting, and audited every attempt', async () => {
    const before = published;
    await publishCameras(published, 50);
    await until(stored, (n) => n === before + 50);
    const res = await engine.post('/api/sql', {
      sql: "SELECT count(*) AS n FROM camera_events WHERE id LIKE 'hostile-%'",
    });
    expect(res.status).toBe(200);
    expect(res.body.rows).toEqual([[before + 50]]);
    // Audit rows are written after the answer: wait until they show.
    const audit = await until(
      () => engine.sql(`SELECT status, count(*) FROM sql_audit WHERE who = 'anonymous' GROUP BY ALL ORDER BY ALL`),
      (rows) => rows.reduce((n, r) => n + (r[1] as number), 0) >= HOSTILE.length + 2,
    );
    const byStatus = Object.fromEntries(audit.map((r) => [r[0], r[1]]));
    expect(((byStatus['timeout'] as number) ?? 0) + ((byStatus['too_large'] as number) ?? 0)).toBe(
      HOSTILE.filter((h) => h[1] === 'stopped').length,
    );
    expect(
      (byStatus['forbidden_sql'] as number) +
        ((byStatus['sql_error'] as number) ?? 0) +
        ((byStatus['bad_request'] as number) ?? 0),
    ).toBe(HOSTILE.filter((h) => h[1] === 'refused').length);
    const [last] = await engine.sql(
      "SELECT sql, error, duration_ms >= 0, rows FROM sql_audit WHERE sql LIKE '%/etc/passwd%' ORDER BY started_at LIMIT 1",
    );
    expect(last).toEqual(["SELECT * FROM read_csv('/etc/passwd')", expect.stringMatching(/Permission/), true, null]);
  });
});
