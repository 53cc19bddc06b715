// The embedded broker with credentials and a publish allow-list: strangers are refused at CONNECT, devices may
// publish only where they are allowed.
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmbeddedBroker, type EmbeddedBroker } from '../../sources/broker/index.ts';
import { topicMatches } from '../../sources/broker/aedes.ts';
import { freePort } from '../support/brokers.ts';
import { until } from '../support/engine.ts';

let broker: EmbeddedBroker;
beforeAll(async () => {
  broker = await startEmbeddedBroker({
    port: await freePort(),
    host: '127.0.0.1',
    username: 'device',
    password: 's3cret',
    publishTopics: ['city/#'],
  });
});
afterAll(async () => {
  await broker.close();
});

describe('embedded broker access', () => {
  it('refuses a client without the right credentials', async () => {
    await expect(mqtt.connectAsync(broker.url, { clientId: 'nobody', reconnectPeriod: 0 })).rejects.toThrow(
      /Bad username or password|Not authorized/i,
    );
    await expect(
      mqtt.connectAsync(broker.url, { clientId: 'wrong', username: 'device', password: 'guess', reconnectPeriod: 0 }),
    ).rejects.toThrow(/Bad username or password|Not authorized/i);
  });

  it('delivers what a device may publish and drops the rest', async () => {
    const sub = await mqtt.connectAsync(broker.url, { clientId: 'engine', username: 'device', password: 's3cret' });
    const got: string[] = [];
    sub.on('message', (topic) => got.push(topic));
    await sub.subscribeAsync('#', { qos: 0 });
    const dev = await mqtt.connectAsync(broker.url, {
      clientId: 'cam',
      username: 'device',
      password: 's3cret',
      reconnectPeriod: 0,
    });
    await dev.publishAsync('city/camera/cam-1', '{}', { qos: 0 });
    dev.publish('elsewhere/x', '{}', { qos: 0 });
    // The allowed one arrives however loaded the machine; the refused one, sent after it, would have by then too.
    await until(
      () => got.length,
      (n) => n >= 1,
      5_000,
    );
    await new Promise((r) => setTimeout(r, 300));
    expect(got).toEqual(['city/camera/cam-1']);
    await sub.endAsync();
    await dev.endAsync(true);
  });

  it('matches MQTT topic filters', () => {
    expect(topicMatches('city/#', 'city/camera/x')).toBe(true);
    expect(topicMatches('city/+/x', 'city/camera/x')).toBe(true);
    expect(topicMatches('city/+', 'city/camera/x')).toBe(false);
    expect(topicMatches('city/camera', 'city/camera')).toBe(true);
    expect(topicMatches('ioc/alerts/#', 'city/camera/x')).toBe(false);
  });
});
