// The MQTT connector against the shared source contract, on the real Mosquitto (MQTT 5) and on the embedded
// broker (MQTT 3.1.1), plus what is MQTT's own: the engine-side window that holds reading at the receive maximum.
import { randomUUID } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../sources/broker/index.ts';
import { MqttSource } from '../../sources/mqtt/index.ts';
import type { RawMessage } from '../../sources/source.ts';
import { freePort, mosquitto, requireOrSkip } from '../support/brokers.ts';
import { sleep, sourceContract, until, type ContractTarget } from './contract.ts';

function mqttTarget(url: string, protocolVersion: 4 | 5, teardown: () => Promise<void>): ContractTarget {
  return {
    durable: true,
    redeliveryMs: 0,
    async namespace() {
      const prefix = `test/${randomUUID()}`;
      const clientId = `ioc-test-${randomUUID().slice(0, 8)}`;
      let pub: MqttClient | undefined;
      return {
        make: () => new MqttSource({ url, clientId, topics: [`${prefix}/#`], protocolVersion }),
        async publish(family, device, payload) {
          pub ??= await mqtt.connectAsync(url, { clientId: `${clientId}-pub` });
          await pub.publishAsync(`${prefix}/${family}/${device}`, payload, { qos: 1 });
        },
        topic: (family, device) => `${prefix}/${family}/${device}`,
        dispose: async () => {
          await pub?.endAsync();
        },
      };
    },
    async unreachable() {
      const port = await freePort();
      return {
        source: new MqttSource({ url: `mqtt://127.0.0.1:${port}`, clientId: 'nobody', topics: ['x/#'] }),
        says: new RegExp(`127\\.0\\.0\\.1:${port}.*MQTT_URL`),
      };
    },
    teardown,
  };
}

sourceContract('MQTT on Mosquitto (MQTT 5)', async () => {
  const shared = await mosquitto();
  return requireOrSkip('mosquitto', shared, 'mosquitto') ? mqttTarget(shared!.url, 5, () => shared!.stop()) : undefined;
});

let embedded: EmbeddedBroker | undefined;
sourceContract('MQTT on the embedded broker (MQTT 3.1.1)', async () => {
  embedded = await startEmbeddedBroker({ port: await freePort(), host: '127.0.0.1' });
  return mqttTarget(embedded.url, 4, () => embedded!.close());
});

describe('MQTT source window on MQTT 3.1.1 (no receive maximum at the broker)', () => {
  it('holds reading at maxInFlightBytes of uncommitted payload too', async () => {
    const b = await startEmbeddedBroker({ port: await freePort(), host: '127.0.0.1' });
    try {
      const prefix = `test/${randomUUID()}`;
      const source = new MqttSource({
        url: b.url,
        clientId: `ioc-bytes-${randomUUID().slice(0, 8)}`,
        topics: [`${prefix}/#`],
        protocolVersion: 4,
        maxInFlightBytes: 50 * 1024,
      });
      const got: RawMessage[] = [];
      await source.start((m) => got.push(m));
      const pub = await mqtt.connectAsync(b.url, { clientId: `bytes-pub-${randomUUID().slice(0, 8)}` });
      const published = Array.from({ length: 40 }, (_, i) =>
        pub.publishAsync(`${prefix}/camera/c${i}`, 'x'.repeat(10 * 1024), { qos: 1 }),
      );
      await until(() => got.length >= 5, 10_000, '5 deliveries');
      await sleep(500);
      // 50 KiB of 10 KiB messages: the fifth fills the window, and nothing more is read.
      expect(got).toHaveLength(5);
      expect(source.stats().inFlightBytes).toBe(5 * 10 * 1024);
      let seen = 0;
      const drain = setInterval(() => {
        const now = got.splice(0);
        seen += now.length;
        for (const m of now) m.ack();
      }, 10);
      await Promise.all(published);
      await until(() => seen === 40, 10_000, 'all 40 delivered');
      clearInterval(drain);
      await source.stop();
      await pub.endAsync();
    } finally {
      await b.close();
    }
  });

  let broker: EmbeddedBroker | undefined;
  afterAll(async () => {
    await broker?.close();
  });

  it('stops reading at receiveMaximum unacknowledged messages and resumes as they are acknowledged', async () => {
    broker = await startEmbeddedBroker({ port: await freePort(), host: '127.0.0.1' });
    const prefix = `test/${randomUUID()}`;
    const source = new MqttSource({
      url: broker.url,
      clientId: `ioc-win-${randomUUID().slice(0, 8)}`,
      topics: [`${prefix}/#`],
      protocolVersion: 4,
      receiveMaximum: 100,
    });
    const got: RawMessage[] = [];
    let total = 0;
    let peak = 0;
    await source.start((m) => {
      got.push(m);
      total++;
      peak = Math.max(peak, source.stats().inFlight);
    });
    const pub = await mqtt.connectAsync(broker.url, { clientId: `win-pub-${randomUUID().slice(0, 8)}` });
    const published = Array.from({ length: 500 }, (_, i) =>
      pub.publishAsync(`${prefix}/camera/c${i}`, `w${i}`, { qos: 1 }),
    );
    await until(() => got.length >= 100, 10_000, '100 deliveries');
    await sleep(500);
    // The window is held, however much the broker has for us.
    expect(got.length).toBe(100);
    expect(source.stats().inFlight).toBe(100);
    // Acknowledging lets the rest in, never more than the window at a time.
    const drain = setInterval(() => {
      for (const m of got.splice(0)) m.ack();
    }, 20);
    await Promise.all(published);
    await until(() => total === 500 && source.stats().inFlight === 0, 10_000, 'all 500 delivered and acknowledged');
    clearInterval(drain);
    expect(peak).toBeLessThanOrEqual(100);
    await source.stop();
    await pub.endAsync();
  });
});
