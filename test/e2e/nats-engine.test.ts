// The engine on NATS (a private nats-server): JetStream and core events stored once, its stream and consumer made
// at start, health and metrics naming the source; a SIGTERM mid-stream exits 0 with every commit acknowledged;
// an unreachable NATS_URL stops start-up with a message naming it.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { jetstream, jetstreamManager, type JetStreamClient, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database } from '../../engine/db.ts';
import { freePort, privateNats, requireOrSkip, type BrokerHandle } from '../support/brokers.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';
import { EngineProcess } from '../support/engine-process.ts';
import { camera, sensor, service } from '../support/events.ts';

let broker: BrokerHandle | undefined;
let nc: NatsConnection;
let js: JetStreamClient;
let jsm: JetStreamManager;

beforeAll(async () => {
  broker = await privateNats();
  if (!broker) return;
  nc = await connect({ servers: broker.url });
  js = jetstream(nc);
  jsm = await jetstreamManager(nc);
});
afterAll(async () => {
  await nc?.close();
  await broker?.stop();
});

// One origin for the whole file: a repeat must carry the same time as its original (the dedup looks for it there).
const T0 = Date.now() - 120_000;
const recent = (i: number) => new Date(T0 + i).toISOString();

describe('engine on NATS JetStream (in process)', () => {
  let engine: TestEngine;
  afterAll(async () => {
    await engine?.dispose();
  });

  it('creates its stream and consumer, stores events and arrays once, and reports the source', async (ctx) => {
    if (!requireOrSkip('nats-server', broker, 'nats-server')) return ctx.skip();
    engine = await startTestEngine({ natsUrl: broker!.url, natsStream: 'CITY', natsConsumer: 'ioc-e2e' });
    expect((await jsm.streams.info('CITY')).config.subjects).toEqual(['city.>']);
    expect((await jsm.consumers.info('CITY', 'ioc-e2e')).config.ack_policy).toBe('all');

    for (let i = 0; i < 20; i++)
      await js.publish(`city.camera.cam-${i % 3}`, JSON.stringify(camera(i, { id: `js-cam-${i}`, ts: recent(i) })));
    await js.publish(
      'city.sensor.air-1',
      JSON.stringify([
        sensor(1, 'air', { id: 'js-sen-1', ts: recent(1) }),
        sensor(2, 'air', { id: 'js-sen-2', ts: recent(2) }),
      ]),
    );
    await js.publish('city.service.ubnd-ba-dinh', JSON.stringify(service(1, { id: 'js-svc-1', ts: recent(3) })));
    await js.publish('city.camera.cam-1', JSON.stringify(camera(5, { id: 'js-cam-5', ts: recent(5) }))); // a repeat
    await js.publish('city.camera.bad', '{"id": 1}');
    await until(
      () =>
        engine.sql(
          "SELECT (SELECT count(*) FROM camera_events WHERE id LIKE 'js-%'), (SELECT count(*) FROM sensor_events WHERE id LIKE 'js-%'), (SELECT count(*) FROM service_events WHERE id LIKE 'js-%'), (SELECT count(*) FROM dead_letters WHERE source = 'nats')",
        ),
      (r) => JSON.stringify(r) === '[[20,2,1,1]]',
    );
    expect(await engine.sql("SELECT topic FROM dead_letters WHERE source = 'nats'")).toEqual([['city.camera.bad']]);
    await until(
      async () => (await jsm.consumers.info('CITY', 'ioc-e2e')).ack_floor.stream_seq,
      (n) => n === 24,
    );

    const health = await engine.get('/api/health');
    expect(health.body.sources.nats).toMatchObject({ type: 'connected', url: broker!.url });
    await until(
      async () => (await fetch(`${engine.url}/metrics`)).text(),
      (t) => t.includes('ioc_source_lag_messages{source="nats"} 0'),
    );
    const metrics = await (await fetch(`${engine.url}/metrics`)).text();
    expect(metrics).toContain('ioc_events_received_total{family="camera",source="nats"} 21');
    expect(metrics).toContain('ioc_source_connected{source="nats"} 1');
  });
});

describe('engine on core NATS (in process)', () => {
  it('stores what it receives on city.<family>.> subscriptions', async (ctx) => {
    if (!requireOrSkip('nats-server', broker, 'nats-server')) return ctx.skip();
    const engine = await startTestEngine({ natsUrl: broker!.url, natsMode: 'core' });
    try {
      for (let i = 0; i < 10; i++)
        nc.publish(`city.sensor.noise-${i}`, JSON.stringify(sensor(i, 'noise', { id: `core-${i}`, ts: recent(i) })));
      await nc.flush();
      await until(
        () => engine.sql("SELECT count(*) FROM sensor_events WHERE id LIKE 'core-%'"),
        (r) => r[0]![0] === 10,
      );
    } finally {
      await engine.dispose();
    }
  });
});

describe('engine process on NATS JetStream', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'ioc-nats-stop-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('on SIGTERM mid-stream stops pulling, commits, acknowledges what it committed and exits 0', async (ctx) => {
    if (!requireOrSkip('nats-server', broker, 'nats-server')) return ctx.skip();
    const TOTAL = 20_000;
    const port = await freePort();
    const env = {
      NATS_URL: broker!.url,
      NATS_STREAM: 'STOP',
      NATS_CONSUMER: 'ioc-stop',
      MQTT_PORT: String(await freePort()),
      SIMULATE: '0',
      PG_PORT: '0',
      PORT: String(port),
      DATA_DIR: dir,
      LOG_LEVEL: 'warn',
      BATCH_AGE_MS: '50',
      BATCH_ROWS: '2000',
    };
    await jsm.streams.add({ name: 'STOP', subjects: ['city.>'] }).catch(async () => {
      // The in-process tests made CITY on city.>: this test's own stream replaces it.
      await jsm.streams.delete('CITY');
      await jsm.streams.add({ name: 'STOP', subjects: ['city.>'] });
    });
    const engine = new EngineProcess(env);
    await engine.start();
    const base = Date.now() - 3_600_000;
    let stopped: Promise<number | null> | null = null;
    let pending: Promise<unknown>[] = [];
    for (let i = 0; i < TOTAL; i++) {
      pending.push(
        js.publish(
          `city.camera.c${i % 40}`,
          JSON.stringify(camera(i, { id: `stop-${i}`, ts: new Date(base + i * 100).toISOString() })),
        ),
      );
      if (pending.length >= 500) {
        await Promise.all(pending);
        pending = [];
      }
      if (i === TOTAL / 2) {
        stopped = engine.stop();
        // The rest goes out once the engine has begun to stop: of it, the engine may store only what a pull had
        // already asked for. Published at once, a slow machine's engine had taken all of it before the signal.
        await until(
          () => engine.log,
          (log) => /SIGTERM: stopping/.test(log),
          10_000,
        );
      }
    }
    await Promise.all(pending);
    expect(await stopped).toBe(0);
    expect(engine.log).toMatch(/SIGTERM: stopping/);

    // Everything the engine committed is acknowledged, and nothing it did not commit.
    const info = await jsm.consumers.info('STOP', 'ioc-stop');
    expect(info.num_ack_pending).toBe(0);
    const stored = await countStored(dir);
    expect(stored).toBeGreaterThan(0);
    expect(stored).toBeLessThan(TOTAL);
    expect(info.ack_floor.stream_seq).toBe(stored);

    // The next run takes up exactly where this one stopped.
    await engine.start();
    await until(
      async () => {
        const res = await fetch(`http://127.0.0.1:${port}/api/sql`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ sql: "SELECT count(*) FROM camera_events WHERE id LIKE 'stop-%'" }),
        });
        return ((await res.json()) as { rows: number[][] }).rows[0]![0]!;
      },
      (n) => n === TOTAL,
      60_000,
    );
    expect(await engine.stop()).toBe(0);
    expect((await jsm.consumers.info('STOP', 'ioc-stop')).num_redelivered).toBe(0);
    expect(await countStored(dir)).toBe(TOTAL);
  }, 120_000);

  it('refuses to start when NATS_URL cannot be reached, naming it', async (ctx) => {
    if (!requireOrSkip('nats-server', broker, 'nats-server')) return ctx.skip();
    const dead = await freePort();
    const ioc = fileURLToPath(new URL('../../bin/ioc.mjs', import.meta.url));
    const run = promisify(execFile)(process.execPath, [ioc, 'start'], {
      env: {
        ...process.env,
        NATS_URL: `nats://127.0.0.1:${dead}`,
        MQTT_PORT: String(await freePort()),
        PORT: '0',
        PG_PORT: '0',
        SIMULATE: '0',
        DATA_DIR: dir,
        LOG_LEVEL: 'silent',
      },
      timeout: 30_000,
    });
    const failed = await run.then(
      () => null,
      (err: { code: number; stderr: string }) => err,
    );
    expect(failed?.code).toBe(1);
    expect(failed?.stderr).toMatch(
      new RegExp(`cannot reach the NATS server at nats://127\\.0\\.0\\.1:${dead}.*NATS_URL`),
    );
  }, 40_000);
});

async function countStored(dir: string): Promise<number> {
  const db = await Database.open(join(dir, 'ioc.duckdb'));
  const conn = await db.connect();
  try {
    const [row] = await conn.objects<{ n: number; d: number }>(
      "SELECT count(*)::INTEGER AS n, count(DISTINCT id)::INTEGER AS d FROM camera_events WHERE id LIKE 'stop-%'",
    );
    expect(row!.n).toBe(row!.d);
    return row!.n;
  } finally {
    conn.close();
    db.close();
  }
}
