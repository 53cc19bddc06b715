// No data loss across kill -9: the engine acknowledges MQTT messages only after their batch is committed, so a
// crash at any moment leaves every event either stored or still queued at the broker, and the id dedup absorbs repeats.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../engine/db.ts';
import { freePort, privateMosquitto, requireOrSkip, type BrokerHandle } from '../support/brokers.ts';
import { EngineProcess } from '../support/engine-process.ts';
import { camera } from '../support/events.ts';

const TOTAL = 20_000;
let broker: BrokerHandle | undefined;
let dir: string;

beforeAll(async () => {
  broker = await privateMosquitto();
  dir = mkdtempSync(join(tmpdir(), 'ioc-crash-'));
});
afterAll(async () => {
  await broker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('engine crash (SIGKILL) while streaming from Mosquitto at QoS 1', () => {
  it('stores every event exactly once after two kill -9 and restarts', async (ctx) => {
    if (!requireOrSkip('mosquitto', broker, 'mosquitto')) return ctx.skip();
    const port = await freePort();
    const engine = new EngineProcess({
      MQTT_URL: broker!.url,
      MQTT_CLIENT_ID: 'ioc-crash-test',
      SIMULATE: '0',
      PORT: String(port),
      DATA_DIR: dir,
      LOG_LEVEL: 'warn',
      BATCH_AGE_MS: '50',
      BATCH_ROWS: '2000',
      MQTT_SESSION_EXPIRY_S: '600',
    });
    await engine.start();
    const pub = await mqtt.connectAsync(broker!.url, { clientId: 'ioc-crash-publisher' });
    const base = Date.now() - 3_600_000;
    const kills = [Math.floor(TOTAL * (0.2 + 0.2 * Math.random())), Math.floor(TOTAL * (0.6 + 0.2 * Math.random()))];
    let inFlight: Promise<unknown>[] = [];
    for (let i = 0; i < TOTAL; i++) {
      inFlight.push(
        pub.publishAsync(
          `city/camera/c${i % 50}`,
          JSON.stringify(camera(i, { id: `crash-${i}`, ts: new Date(base + i * 100).toISOString() })),
          { qos: 1 },
        ),
      );
      if (inFlight.length >= 500) {
        await Promise.all(inFlight);
        inFlight = [];
      }
      if (kills.includes(i)) {
        await engine.kill9();
        // Keep publishing while the engine is dead for a moment: the broker queues for its session.
        await new Promise((r) => setTimeout(r, 300));
        await engine.start();
      }
    }
    await Promise.all(inFlight);
    await pub.endAsync();

    const deadline = Date.now() + 60_000;
    let stored: number | undefined;
    while (Date.now() < deadline) {
      const res = await fetch(`http://127.0.0.1:${port}/api/sql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ sql: "SELECT count(*) FROM camera_events WHERE id LIKE 'crash-%'" }),
      });
      stored = ((await res.json()) as { rows: number[][] }).rows[0]![0]!;
      if (stored >= TOTAL) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(await engine.stop()).toBe(0);

    // Read the file the engine left behind, as the next start would.
    const db = await Database.open(join(dir, 'ioc.duckdb'));
    const conn = await db.connect();
    const [row] = await conn.objects<{ n: number; distinct_ids: number; lo: number; hi: number }>(
      "SELECT count(*) AS n, count(DISTINCT id) AS distinct_ids, min(CAST(substr(id, 7) AS INTEGER)) AS lo, max(CAST(substr(id, 7) AS INTEGER)) AS hi FROM camera_events WHERE id LIKE 'crash-%'",
    );
    conn.close();
    db.close();
    expect(row).toEqual({ n: TOTAL, distinct_ids: TOTAL, lo: 0, hi: TOTAL - 1 });
  }, 180_000);
});
