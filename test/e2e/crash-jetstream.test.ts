// No loss and no repeat across kill -9 while streaming from JetStream: 100,000 events published while the engine
// process (`ioc start`) consumes them, killed with SIGKILL three times at random points and started again. Each
// message is acknowledged only once it and every message before it in the stream is committed, so what a dead
// engine held comes again (after the ack wait) and the id dedup absorbs what was committed twice.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../engine/db.ts';
import { freePort, privateNats, requireOrSkip, type BrokerHandle } from '../support/brokers.ts';
import { EngineProcess } from '../support/engine-process.ts';
import { camera } from '../support/events.ts';

const TOTAL = 100_000;
let broker: BrokerHandle | undefined;
let dir: string;

beforeAll(async () => {
  broker = await privateNats();
  dir = mkdtempSync(join(tmpdir(), 'ioc-crash-js-'));
});
afterAll(async () => {
  await broker?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function storedSoFar(port: number): Promise<number | null> {
  try {
    const res = await fetch(`http://127.0.0.1:${port}/api/sql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sql: "SELECT count(*) FROM camera_events WHERE id LIKE 'jsc-%'" }),
      signal: AbortSignal.timeout(5000),
    });
    return res.ok ? ((await res.json()) as { rows: number[][] }).rows[0]![0]! : null;
  } catch {
    return null; // down, or starting
  }
}

describe('engine crash (SIGKILL) while streaming from JetStream', () => {
  it('stores every one of 100,000 events exactly once after three kill -9 and restarts', async (ctx) => {
    if (!requireOrSkip('nats-server', broker, 'nats-server')) return ctx.skip();
    const port = await freePort();
    const engine = new EngineProcess({
      NATS_URL: broker!.url,
      NATS_ACK_WAIT_MS: '2000',
      MQTT_PORT: String(await freePort()),
      SIMULATE: '0',
      PORT: String(port),
      DATA_DIR: dir,
      LOG_LEVEL: 'warn',
      BATCH_ROWS: '5000',
      BATCH_AGE_MS: '100',
    });
    await engine.start();

    const nc = await connect({ servers: broker!.url });
    const js = jetstream(nc);
    const base = Date.now() - 6 * 3_600_000;
    // Publishing runs on its own, as devices would; the kills follow the engine's progress.
    const publishing = (async () => {
      let pending: Promise<unknown>[] = [];
      for (let i = 0; i < TOTAL; i++) {
        pending.push(
          js.publish(
            `city.camera.c${i % 64}`,
            JSON.stringify(camera(i, { id: `jsc-${i}`, ts: new Date(base + i * 50).toISOString() })),
          ),
        );
        if (pending.length >= 1000) {
          await Promise.all(pending);
          pending = [];
        }
      }
      await Promise.all(pending);
    })();

    const targets = [0.1 + 0.2 * Math.random(), 0.4 + 0.2 * Math.random(), 0.7 + 0.2 * Math.random()].map((f) =>
      Math.floor(f * TOTAL),
    );
    const kills: { at: number; stored: number }[] = [];
    for (const target of targets) {
      for (;;) {
        const n = await storedSoFar(port);
        if (n !== null && n >= target) {
          kills.push({ at: target, stored: n });
          break;
        }
        await new Promise((r) => setTimeout(r, 50));
      }
      await engine.kill9();
      await new Promise((r) => setTimeout(r, 200 + 500 * Math.random()));
      await engine.start();
    }
    await publishing;

    let stored = 0;
    for (const end = Date.now() + 90_000; Date.now() < end && stored < TOTAL;) {
      stored = (await storedSoFar(port)) ?? stored;
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(await engine.stop()).toBe(0);
    const info = await (await jetstreamManager(nc)).consumers.info('CITY', 'ioc-engine');
    await nc.close();
    console.log(
      `kill -9 at stored counts ${kills.map((k) => k.stored).join(', ')}; ack floor ${info.ack_floor.stream_seq}`,
    );

    // The file the engine left behind, read as the next start would.
    const db = await Database.open(join(dir, 'ioc.duckdb'));
    const conn = await db.connect();
    const [row] = await conn.objects<{ n: number; distinct_ids: number; lo: number; hi: number }>(
      "SELECT count(*)::INTEGER AS n, count(DISTINCT id)::INTEGER AS distinct_ids, min(CAST(substr(id, 5) AS INTEGER)) AS lo, max(CAST(substr(id, 5) AS INTEGER)) AS hi FROM camera_events WHERE id LIKE 'jsc-%'",
    );
    conn.close();
    db.close();
    expect(kills).toHaveLength(3);
    expect(row).toEqual({ n: TOTAL, distinct_ids: TOTAL, lo: 0, hi: TOTAL - 1 });
    // After the graceful stop, everything stored is acknowledged.
    expect(info.ack_floor.stream_seq).toBe(TOTAL);
    expect(info.num_ack_pending).toBe(0);
  }, 240_000);
});
