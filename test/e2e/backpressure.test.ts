// Back-pressure: with commits slowed down, the engine's buffers stay within the sources' windows (MQTT 5 receive
// maximum on Mosquitto, NATS_MAX_IN_FLIGHT on JetStream) while the backlog waits at the brokers; once the store
// keeps up again, everything is stored once.
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateMosquitto, privateNats, requireOrSkip, type BrokerHandle } from '../support/brokers.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';
import { camera, sensor } from '../support/events.ts';

const PER_SOURCE = 20_000;
const WINDOW = 1000;
let mosq: BrokerHandle | undefined;
let nats: BrokerHandle | undefined;
let engine: TestEngine | undefined;

beforeAll(async () => {
  [mosq, nats] = await Promise.all([privateMosquitto(), privateNats()]);
});
afterAll(async () => {
  await engine?.dispose();
  await mosq?.stop();
  await nats?.stop();
});

describe('a store that falls behind', () => {
  it('slows consumption instead of growing the buffers, then catches up with nothing lost', async (ctx) => {
    if (!requireOrSkip('mosquitto', mosq, 'mosquitto') || !requireOrSkip('nats-server', nats, 'nats-server'))
      return ctx.skip();
    engine = await startTestEngine({
      mqttUrl: mosq!.url,
      mqttClientId: 'ioc-backpressure',
      mqttReceiveMax: WINDOW,
      natsUrl: nats!.url,
      natsMaxInFlight: WINDOW,
      batchRows: 500,
      batchAgeMs: 20,
    });
    const e = engine;
    // Every commit now takes 300 ms: about 1,700 rows a second get through, far below what is published.
    const writer = e.store.writer;
    const commit = writer.transaction.bind(writer);
    let throttled = true;
    writer.transaction = (async (work: () => Promise<unknown>) => {
      if (throttled) await new Promise((r) => setTimeout(r, 300));
      return commit(work);
    }) as typeof writer.transaction;

    const peak = { pendingRows: 0, mqtt: 0, nats: 0 };
    const sample = setInterval(() => {
      peak.pendingRows = Math.max(peak.pendingRows, e.batcher.pendingRows);
      for (const s of ['mqtt', 'nats'] as const) {
        const stats = sourceStats(e, s);
        if (stats) peak[s] = Math.max(peak[s], stats.inFlight);
      }
    }, 5);

    const base = Date.now() - 3_600_000;
    const nc = await connect({ servers: nats!.url });
    const js = jetstream(nc);
    const pub = await mqtt.connectAsync(mosq!.url, { clientId: 'ioc-backpressure-pub' });
    const publishNats = (async () => {
      let pending: Promise<unknown>[] = [];
      for (let i = 0; i < PER_SOURCE; i++) {
        pending.push(
          js.publish(
            `city.sensor.s${i % 20}`,
            JSON.stringify(sensor(i, 'air', { id: `bp-n-${i}`, ts: new Date(base + i).toISOString() })),
          ),
        );
        if (pending.length >= 500) {
          await Promise.all(pending);
          pending = [];
        }
      }
      await Promise.all(pending);
    })();
    const publishMqtt = (async () => {
      let pending: Promise<unknown>[] = [];
      for (let i = 0; i < PER_SOURCE; i++) {
        pending.push(
          pub.publishAsync(
            `city/camera/c${i % 20}`,
            JSON.stringify(camera(i, { id: `bp-m-${i}`, ts: new Date(base + i).toISOString() })),
            { qos: 1 },
          ),
        );
        if (pending.length >= 500) {
          await Promise.all(pending);
          pending = [];
        }
      }
      await Promise.all(pending);
    })();
    await Promise.all([publishNats, publishMqtt]);

    // Everything is published; the store has taken only a part of it. The rest waits at the brokers.
    const jsm = await jetstreamManager(nc);
    const backlog = (await jsm.consumers.info('CITY', 'ioc-engine')).num_pending;
    const storedWhileSlow = (
      await e.sql(
        "SELECT (SELECT count(*) FROM camera_events WHERE id LIKE 'bp-%') + (SELECT count(*) FROM sensor_events WHERE id LIKE 'bp-%')",
      )
    )[0]![0] as number;
    expect(storedWhileSlow).toBeLessThan(2 * PER_SOURCE * 0.8);
    expect(backlog).toBeGreaterThan(PER_SOURCE / 4);
    await new Promise((r) => setTimeout(r, 1000));
    // Never more than the windows in the engine: delivered and uncommitted, per source and in the batcher.
    console.log(
      `back-pressure: published ${2 * PER_SOURCE}, stored while slow ${storedWhileSlow}, JetStream backlog ${backlog}, peaks ${JSON.stringify(peak)}`,
    );
    // The windows were filled (the store really was the bottleneck) and never exceeded.
    expect(peak.mqtt).toBeGreaterThan(WINDOW / 2);
    expect(peak.nats).toBeGreaterThan(WINDOW / 2);
    expect(peak.mqtt).toBeLessThanOrEqual(WINDOW);
    expect(peak.nats).toBeLessThanOrEqual(WINDOW);
    expect(peak.pendingRows).toBeLessThanOrEqual(2 * WINDOW);

    throttled = false;
    await until(
      () =>
        e.sql(
          "SELECT (SELECT count(DISTINCT id) FROM camera_events WHERE id LIKE 'bp-m-%'), (SELECT count(DISTINCT id) FROM sensor_events WHERE id LIKE 'bp-n-%')",
        ),
      (r) => r[0]![0] === PER_SOURCE && r[0]![1] === PER_SOURCE,
      60_000,
    );
    clearInterval(sample);
    expect(
      await e.sql(
        "SELECT (SELECT count(*) FROM camera_events WHERE id LIKE 'bp-m-%'), (SELECT count(*) FROM sensor_events WHERE id LIKE 'bp-n-%')",
      ),
    ).toEqual([[PER_SOURCE, PER_SOURCE]]);
    await pub.endAsync();
    await nc.close();
  }, 120_000);
});

function sourceStats(e: TestEngine, name: 'mqtt' | 'nats'): { inFlight: number } | undefined {
  return e.sources.find((s) => s.name === name)?.stats?.();
}
