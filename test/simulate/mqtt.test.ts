// The simulator on a broker: devices publish on their topics at QoS 1; stop() ends publishing and the connection.
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../sources/broker/index.ts';
import { startMqttSimulator, type SimArea } from '../../sources/simulate/index.ts';
import { freePort } from '../support/brokers.ts';

/** A square area round a point, 0.02° a side. */
function box(code: string, lon: number, lat: number, urban: boolean): SimArea {
  const randomPoint = (rng: () => number): [number, number] => [lon - 0.01 + 0.02 * rng(), lat - 0.01 + 0.02 * rng()];
  return {
    code,
    name: code,
    centroid: [lon, lat],
    urban,
    people: urban ? 50_000 : 10_000,
    district: null,
    randomPoint,
  };
}
const AREAS = [box('inner', 105.85, 21.03, true), box('outer', 105.7, 21.1, false)];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let broker: EmbeddedBroker;
beforeAll(async () => {
  broker = await startEmbeddedBroker({ port: await freePort(), host: '127.0.0.1' });
});
afterAll(async () => {
  await broker.close();
});

describe('the simulator on MQTT', () => {
  it("publishes its devices' events at QoS 1 until stopped, then leaves the broker", async () => {
    const seen: { topic: string; qos: number; event: Record<string, unknown> }[] = [];
    const sub = await mqtt.connectAsync(broker.url, { clientId: 'sim-test-sub' });
    sub.on('message', (topic, payload, packet) => {
      seen.push({ topic, qos: packet.qos, event: JSON.parse(payload.toString('utf8')) });
    });
    await sub.subscribeAsync('city/#', { qos: 1 });
    try {
      const sim = await startMqttSimulator({
        url: broker.url,
        areas: AREAS,
        rate: 200,
        seed: 7,
        cameras: 5,
        sensors: 5,
        agencies: 2,
      });
      expect(sim.devices.length).toBe(12);
      const topics = new Set(sim.devices.map((d) => d.topic));
      for (let waited = 0; seen.length < 50 && waited < 5000; waited += 50) await sleep(50);
      sim.stop();
      expect(seen.length).toBeGreaterThanOrEqual(50);
      for (const m of seen) {
        // Citizens' reports come over the feedback channels, which are no devices.
        expect(topics.has(m.topic) || m.topic.startsWith('city/feedback/'), m.topic).toBe(true);
        expect(m.qos).toBe(1);
        expect(typeof m.event.id).toBe('string');
      }
      for (let waited = 0; broker.broker.connectedClients > 1 && waited < 5000; waited += 50) await sleep(50);
      expect(broker.broker.connectedClients).toBe(1);
      const total = seen.length;
      await sleep(300);
      expect(seen.length).toBe(total);
    } finally {
      await sub.endAsync();
    }
  });

  it('says where it could not connect', async () => {
    const port = await freePort();
    const start = startMqttSimulator({ url: `mqtt://127.0.0.1:${port}`, areas: AREAS, rate: 10, seed: 1 });
    await expect(start).rejects.toThrow(new RegExp(`ECONNREFUSED 127\\.0\\.0\\.1:${port}`));
  });
});
