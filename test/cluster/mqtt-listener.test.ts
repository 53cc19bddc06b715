// Devices keep speaking MQTT to a 3-node NATS cluster: a `mosquitto_pub -q 1` to any node's MQTT listener lands in the
// replicated CITY stream on city.<family>.<id>, and every engine replica consuming that stream stores the event.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import { jetstreamManager, type JetStreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';
import { camera } from '../support/events.ts';
import { startNatsCluster, type NatsCluster } from '../support/nats-cluster.ts';

const MOSQUITTO_PUB = '/usr/bin/mosquitto_pub';
const run = randomUUID().slice(0, 8);
let cluster: NatsCluster | undefined;
let nc: NatsConnection;
let jsm: JetStreamManager;
const engines: TestEngine[] = [];

beforeAll(async () => {
  cluster = await startNatsCluster({ nodes: 3, mqtt: true });
  if (!cluster) return;
  await cluster.ready();
  nc = await connect({ servers: cluster.urls.split(',') });
  jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: 'CITY', subjects: ['city.>'], num_replicas: 3 });
});
afterAll(async () => {
  await Promise.all(engines.map((e) => e.dispose()));
  await nc?.close();
  await cluster?.stop();
});

// As in the brokers' harness: under CI a missing tool fails the run rather than turning it green.
const inCI = () => !['', '0', 'false'].includes((process.env.CI ?? '').toLowerCase());

function haveCluster(): boolean {
  if (cluster) return true;
  if (inCI()) throw new Error('nats-server is missing: apt-get install -y nats-server');
  console.warn('skipped: nats-server is not installed (apt-get install -y nats-server)');
  return false;
}

function havePub(): boolean {
  if (existsSync(MOSQUITTO_PUB)) return true;
  if (inCI()) throw new Error('mosquitto_pub is missing: apt-get install -y mosquitto-clients');
  return false;
}

function mosquittoPub(port: number, topic: string, event: unknown): void {
  const sent = spawnSync(
    MOSQUITTO_PUB,
    ['-h', '127.0.0.1', '-p', String(port), '-q', '1', '-t', topic, '-m', JSON.stringify(event)],
    { encoding: 'utf8', timeout: 15_000 },
  );
  if (sent.status !== 0) throw new Error(`mosquitto_pub to port ${port} failed (${sent.status}): ${sent.stderr}`);
}

const recent = () => new Date(Date.now() - 60_000).toISOString();

describe('MQTT listener of a 3-node NATS cluster', () => {
  it('puts a QoS 1 publish on city/camera/<id> into the R3 stream as city.camera.<id>', async (ctx) => {
    if (!haveCluster() || !havePub()) return ctx.skip();
    const event = camera(1, { id: `mqtt-${run}-1`, cameraId: 'cam-1', ts: recent() });
    mosquittoPub(cluster!.mqttPorts[0]!, 'city/camera/cam-1', event);

    const info = await until(
      () => jsm.streams.info('CITY'),
      (i) => i.state.messages === 1,
    );
    expect(info.config.num_replicas).toBe(3);
    expect(1 + (info.cluster?.replicas?.length ?? 0)).toBe(3);
    const stored = await jsm.streams.getMessage('CITY', { seq: info.state.last_seq });
    expect(stored?.subject).toBe('city.camera.cam-1');
    expect(stored?.json()).toEqual(event);
  });

  it('reaches every engine replica consuming the stream, whichever node the device publishes to', async (ctx) => {
    if (!haveCluster() || !havePub()) return ctx.skip();
    for (const replica of ['a', 'b'])
      engines.push(await startTestEngine({ natsUrl: cluster!.urls, natsStream: 'CITY', natsReplicas: 3, replica }));
    // A new replica starts from the head of the stream's retention: the first test's event comes too.
    const event = camera(2, { id: `mqtt-${run}-2`, cameraId: 'cam-2', ts: recent() });
    mosquittoPub(cluster!.mqttPorts[2]!, 'city/camera/cam-2', event);

    for (const engine of engines) {
      const rows = await until(
        () => engine.sql(`SELECT id, camera_id FROM camera_events WHERE id LIKE 'mqtt-${run}-%' ORDER BY id`),
        (r) => r.length === 2,
        15_000,
      );
      expect(rows).toEqual([
        [`mqtt-${run}-1`, 'cam-1'],
        [`mqtt-${run}-2`, 'cam-2'],
      ]);
    }
    // Each replica reads with a durable consumer of its own, so neither takes the other's messages.
    const consumers = (await jsm.consumers.list('CITY').next()).map((c) => c.name).sort();
    expect(consumers).toEqual(['ioc-a', 'ioc-b']);
  });
});
