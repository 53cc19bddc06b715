// The MQTT connector's contract, on the real Mosquitto (MQTT 5) and on the embedded broker (MQTT 3.1.1):
// messages arrive, PUBACKs wait for ack(), and what was never acknowledged comes again after a restart.
import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../sources/broker/index.ts';
import { MqttSource } from '../../sources/mqtt/index.ts';
import type { RawMessage } from '../../sources/source.ts';
import { freePort, mosquitto, requireOrSkip, type BrokerHandle } from '../support/brokers.ts';

const until = async (cond: () => boolean, ms = 5000): Promise<void> => {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
};

function contract(name: string, setup: () => Promise<{ url: string; protocolVersion: 4 | 5 } | undefined>, teardown: () => Promise<void>) {
  describe(`MqttSource on ${name}`, () => {
    let target: { url: string; protocolVersion: 4 | 5 } | undefined;
    beforeAll(async () => { target = await setup(); });
    afterAll(teardown);

    it('holds each PUBACK until ack(): unacknowledged messages are redelivered to the same session', async (ctx) => {
      if (!target) return ctx.skip();
      const prefix = `test/${randomUUID()}`;
      const clientId = `ioc-test-${randomUUID().slice(0, 8)}`;
      const make = () => new MqttSource({ url: target!.url, clientId, topics: [`${prefix}/#`], protocolVersion: target!.protocolVersion });
      const got: RawMessage[] = [];
      let source = make();
      await source.start((m) => got.push(m));
      expect(source.status()).toMatchObject({ type: 'connected' });

      const pub = await mqtt.connectAsync(target.url, { clientId: `${clientId}-pub` });
      for (let i = 0; i < 50; i++) await pub.publishAsync(`${prefix}/camera/c${i}`, `m${i}`, { qos: 1 });
      await until(() => got.length === 50);
      // All 50 arrived although none was acknowledged: the stream is not throttled by held PUBACKs.
      for (const m of got.slice(0, 20)) m.ack();
      await new Promise((r) => setTimeout(r, 200));
      await source.stop();

      const again: RawMessage[] = [];
      source = make();
      await source.start((m) => again.push(m));
      await until(() => again.length === 30);
      expect(again.map((m) => new TextDecoder().decode(m.payload)).sort()).toEqual(got.slice(20).map((m) => new TextDecoder().decode(m.payload)).sort());
      for (const m of again) m.ack();
      await new Promise((r) => setTimeout(r, 200));
      await source.stop();

      const third: RawMessage[] = [];
      source = make();
      await source.start((m) => third.push(m));
      await new Promise((r) => setTimeout(r, 500));
      expect(third).toEqual([]);
      await source.stop();
      await pub.endAsync();
    });

    it('messages published while the engine is away are delivered when it comes back', async (ctx) => {
      if (!target) return ctx.skip();
      const prefix = `test/${randomUUID()}`;
      const clientId = `ioc-test-${randomUUID().slice(0, 8)}`;
      const make = () => new MqttSource({ url: target!.url, clientId, topics: [`${prefix}/#`], protocolVersion: target!.protocolVersion });
      let source = make();
      await source.start(() => undefined);
      await source.stop();
      const pub = await mqtt.connectAsync(target.url, { clientId: `${clientId}-pub` });
      for (let i = 0; i < 10; i++) await pub.publishAsync(`${prefix}/sensor/s${i}`, `away${i}`, { qos: 1 });
      const got: RawMessage[] = [];
      source = make();
      await source.start((m) => { got.push(m); m.ack(); });
      await until(() => got.length === 10);
      expect(got[0]).toMatchObject({ source: 'mqtt', topic: expect.stringMatching(/\/sensor\/s\d$/) });
      await source.stop();
      await pub.endAsync();
    });

    it('fails to start with an error that names the URL when the broker is unreachable', async () => {
      const port = await freePort();
      const source = new MqttSource({ url: `mqtt://127.0.0.1:${port}`, clientId: 'nobody', topics: ['x/#'] });
      const started = Date.now();
      await expect(source.start(() => undefined)).rejects.toThrow(new RegExp(`127\\.0\\.0\\.1:${port}.*MQTT_URL`));
      expect(Date.now() - started).toBeLessThan(12_000);
    }, 15_000);
  });
}

let shared: BrokerHandle | undefined;
contract('Mosquitto (MQTT 5)', async () => {
  shared = await mosquitto();
  return requireOrSkip('mosquitto', shared, 'mosquitto') ? { url: shared!.url, protocolVersion: 5 } : undefined;
}, async () => { await shared?.stop(); });

let embedded: EmbeddedBroker | undefined;
contract('the embedded broker (MQTT 3.1.1)', async () => {
  embedded = await startEmbeddedBroker({ port: await freePort(), host: '127.0.0.1' });
  return { url: embedded.url, protocolVersion: 4 };
}, async () => { await embedded?.close(); });
