// Broker restarts mid-stream: the private Mosquitto (recommended settings, persistence on) and the private nats-server
// (JetStream on file) are stopped and started again while the engine consumes from both; the engine reconnects by
// itself, and every event, published before the restart or after the broker is back, is stored once.
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { privateMosquitto, privateNats, requireOrSkip, type BrokerHandle } from '../support/brokers.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';
import { camera, sensor } from '../support/events.ts';

const PER_PHASE = 5000;
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

const base = Date.now() - 3_600_000;

async function publishMqtt(url: string, phase: string): Promise<void> {
  const pub = await mqtt.connectAsync(url, { clientId: `restart-pub-${phase}`, reconnectPeriod: 0 });
  let pending: Promise<unknown>[] = [];
  for (let i = 0; i < PER_PHASE; i++) {
    pending.push(
      pub.publishAsync(
        `city/camera/c${i % 10}`,
        JSON.stringify(camera(i, { id: `rs-m-${phase}-${i}`, ts: new Date(base + i).toISOString() })),
        { qos: 1 },
      ),
    );
    if (pending.length >= 500) {
      await Promise.all(pending);
      pending = [];
    }
  }
  await Promise.all(pending);
  await pub.endAsync();
}

async function publishNats(url: string, phase: string): Promise<void> {
  const nc = await connect({ servers: url });
  const js = jetstream(nc);
  let pending: Promise<unknown>[] = [];
  for (let i = 0; i < PER_PHASE; i++) {
    pending.push(
      js.publish(
        `city.sensor.s${i % 10}`,
        JSON.stringify(sensor(i, 'noise', { id: `rs-n-${phase}-${i}`, ts: new Date(base + i).toISOString() })),
        // The server confirms each of 500 at once while the engine drains the stream: on a loaded runner that took
        // more than the client's default 5 s once.
        { timeout: 30_000 },
      ),
    );
    if (pending.length >= 500) {
      await Promise.all(pending);
      pending = [];
    }
  }
  await Promise.all(pending);
  await nc.close();
}

describe('broker restarts while the engine streams', () => {
  it('reconnects to Mosquitto and NATS by itself and stores everything published before and after', async (ctx) => {
    if (!requireOrSkip('mosquitto', mosq, 'mosquitto') || !requireOrSkip('nats-server', nats, 'nats-server'))
      return ctx.skip();
    engine = await startTestEngine({
      mqttUrl: mosq!.url,
      mqttClientId: 'ioc-restart',
      natsUrl: nats!.url,
      natsAckWaitMs: 4000,
      batchRows: 2000,
    });
    const e = engine;
    const count = async (phase: string) =>
      (
        await e.sql(
          `SELECT (SELECT count(*) FROM camera_events WHERE id LIKE 'rs-m-${phase}-%'), (SELECT count(*) FROM sensor_events WHERE id LIKE 'rs-n-${phase}-%')`,
        )
      )[0]!;

    // Commits are slowed for a while, so the engine is still working through the first events when the brokers go.
    const writer = e.store.writer;
    const commit = writer.transaction.bind(writer);
    let slow = true;
    writer.transaction = (async (work: () => Promise<unknown>) => {
      if (slow) await new Promise((r) => setTimeout(r, 250));
      return commit(work);
    }) as typeof writer.transaction;

    // Before: published and confirmed by the brokers.
    await Promise.all([publishMqtt(mosq!.url, 'before'), publishNats(nats!.url, 'before')]);
    const atRestart = await count('before');
    expect(atRestart[0]! + atRestart[1]!).toBeLessThan(2 * PER_PHASE);
    await Promise.all([mosq!.restart!(), nats!.restart!()]);
    slow = false;
    const sources = async () => (await e.get('/api/health')).body.sources as Record<string, { type: string }>;
    // After: published once the brokers are back, whether or not the engine has reconnected yet.
    await Promise.all([publishMqtt(mosq!.url, 'after'), publishNats(nats!.url, 'after')]);
    await until(sources, (s) => s.mqtt?.type === 'connected' && s.nats?.type === 'connected', 30_000);

    await until(
      () => count('after'),
      (r) => r[0] === PER_PHASE && r[1] === PER_PHASE,
      60_000,
    );
    await until(
      () => count('before'),
      (r) => r[0] === PER_PHASE && r[1] === PER_PHASE,
      60_000,
    );
    console.log(`broker restart: stored before it ${JSON.stringify(atRestart)} of ${PER_PHASE} each (MQTT, NATS)`);
    expect(await e.sql("SELECT count(*) - count(DISTINCT id) FROM camera_events WHERE id LIKE 'rs-%'")).toEqual([[0]]);
  }, 150_000);
});
