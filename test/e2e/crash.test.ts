// No data loss across kill -9: the engine acknowledges MQTT messages only after their batch is committed, so a
// crash at any moment leaves every event either stored or still queued at the broker, and the id dedup absorbs repeats;
// the rollups folded from new rows come back equal to their views recomputed from the stored events.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../engine/db.ts';
import { freePort, privateMosquitto, requireOrSkip, type BrokerHandle } from '../support/brokers.ts';
import { EngineProcess } from '../support/engine-process.ts';
import { camera } from '../support/events.ts';
import { loadAreas } from '../../engine/geo/index.ts';
import { levelsSql, loadViews, type ViewDef } from '../../engine/views/index.ts';
import { rollingSql } from '../../engine/views/view-sql.ts';

const views = loadViews();
/** The shipped wards: the oracle's district rows are the views over the events mapped to their districts. */
const wards = await loadAreas();

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
    // Every rollup the engine keeps by folding new rows into window states equals its view recomputed in one query
    // over the stored events: no partial aggregate was lost or counted twice across the kills.
    const folded = views.filter((v) => v.source === 'camera');
    // Merged views against their base merged in SQL, over the hops from before the stream to the present one (hops
    // that have not begun are not computed).
    const lo = Math.floor((base - 2 * 3_600_000) / 3_600_000) * 3_600_000;
    const oracle = (v: ViewDef) =>
      v.base
        ? rollingSql(v, lo, Math.floor(Date.now() / v.windowMs) * v.windowMs + v.windowMs)
        : levelsSql(v, Date.UTC(2000, 0, 1), Date.UTC(2100, 0, 1), wards.parents);
    const mismatches = async (): Promise<Record<string, number>> => {
      const out: Record<string, number> = {};
      for (const v of folded) {
        const res = await fetch(`http://127.0.0.1:${port}/api/sql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            sql: `SELECT count(*) FROM (${oracle(v)}) o
              FULL JOIN ${v.name} r ON r.t = o.t AND r.area = o.area
              WHERE r.t IS NULL OR o.t IS NULL OR r.n <> o.n OR abs(coalesce(r.value, -1) - coalesce(o.value, -1)) > 1e-6`,
          }),
        });
        out[v.name] = ((await res.json()) as { rows: number[][] }).rows[0]![0]!;
      }
      return out;
    };
    let differ = await mismatches();
    while (Date.now() < deadline + 30_000 && Object.values(differ).some((n) => n > 0)) {
      await new Promise((r) => setTimeout(r, 500));
      differ = await mismatches();
    }
    expect(folded.map((v) => v.name)).toEqual(expect.arrayContaining(['traffic_flow', 'traffic_flow_60m']));
    expect(differ).toEqual(Object.fromEntries(folded.map((v) => [v.name, 0])));
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
