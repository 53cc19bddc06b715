// The embedded broker's deliberate limits: long client ids accepted (as MQTT_CLIENT_ID allows), topics deeper
// than the wire contract needs refused, and the engine's persistent session kept across its reconnects.
import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../sources/broker/index.ts';
import { freePort } from '../support/brokers.ts';

let broker: EmbeddedBroker;
beforeAll(async () => {
  broker = await startEmbeddedBroker({ port: await freePort(), host: '127.0.0.1' });
});
afterAll(async () => {
  await broker?.close();
});

describe('embedded broker', () => {
  it('accepts a client id of up to 128 characters (MQTT 3.1.1 brokers often stop at 23)', async () => {
    const client = await mqtt.connectAsync(broker.url, { clientId: `ioc-${'x'.repeat(120)}`, reconnectPeriod: 0 });
    const got = new Promise<string>((resolve) => client.on('message', (_t, p) => resolve(p.toString())));
    await client.subscribeAsync('city/camera/long', { qos: 1 });
    await client.publishAsync('city/camera/long', 'hello', { qos: 1 });
    expect(await got).toBe('hello');
    await client.endAsync();
  });

  it('keeps QoS 1 messages for a persistent session while its client is away', async () => {
    const clientId = `ioc-away-${randomUUID().slice(0, 8)}`;
    const sub = await mqtt.connectAsync(broker.url, { clientId, clean: false, reconnectPeriod: 0 });
    await sub.subscribeAsync('city/sensor/#', { qos: 1 });
    await sub.endAsync();
    const pub = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    for (let i = 0; i < 5; i++) await pub.publishAsync(`city/sensor/s${i}`, `away${i}`, { qos: 1 });
    await pub.endAsync();
    const got: string[] = [];
    const back = mqtt.connect(broker.url, { clientId, clean: false, reconnectPeriod: 0 });
    back.on('message', (_t, p) => got.push(p.toString()));
    await new Promise<void>((resolve) => {
      const t = setInterval(() => {
        if (got.length === 5) {
          clearInterval(t);
          resolve();
        }
      }, 20);
    });
    expect(got.sort()).toEqual(['away0', 'away1', 'away2', 'away3', 'away4']);
    await back.endAsync();
  });

  it('refuses a topic deeper than 16 levels', async () => {
    const client = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 });
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    const deep = Array.from({ length: 20 }, (_, i) => `l${i}`).join('/');
    client.publish(deep, 'x', { qos: 1 });
    await closed;
    expect(client.connected).toBe(false);
    client.end(true);
  });
});
