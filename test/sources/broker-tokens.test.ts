// The embedded broker with AUTH on, through real mqtt.js clients: no credentials or a wrong token are refused at
// CONNECT, a device token publishes but cannot read the device topics, readers are held to what their role may read,
// client ids past 128 characters are refused, a revoked token is cut off, and the engine itself still ingests.
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sensor } from '../support/events.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';
import { sleep, startAuthEngine, type AuthEngine } from '../access/auth-engine.ts';

let a: AuthEngine;
const clients: MqttClient[] = [];
const connect = async (opts: IClientOptions): Promise<MqttClient> => {
  const c = await mqtt.connectAsync(a.engine.mqttUrl, { reconnectPeriod: 0, connectTimeout: 5000, ...opts });
  clients.push(c);
  return c;
};
const asDevice = (tok: string, clientId = `dev-${Math.random().toString(36).slice(2, 8)}`): IClientOptions => ({
  clientId,
  username: 'gauge',
  password: tok,
});
const stored = async (id: string): Promise<number> =>
  (
    await a.engine.store.reader.objects<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM sensor_events WHERE id = '${id}'`,
    )
  )[0]!.n;
const reading = (id: string) => JSON.stringify(sensor(1, 'air', { id, ts: new Date().toISOString() }));

beforeAll(async () => {
  a = await startAuthEngine({ alertMqttTopic: 'ioc/alerts' });
});
afterAll(async () => {
  for (const c of clients) c.end(true);
  await a?.engine.dispose();
});

describe('the embedded broker with AUTH on', () => {
  it('refuses a client without credentials (not authorized) and one with a wrong or non-device secret (bad credentials)', async () => {
    await expect(connect({ clientId: 'nobody' })).rejects.toThrow(/Not authorized/i);
    await expect(connect({ clientId: 'guess', username: 'gauge', password: 'ioc_not-a-token' })).rejects.toThrow(
      /Bad username or password/i,
    );
  });

  it('a device token publishes, and the engine (on its own credentials) ingests it', async () => {
    // The token in the URL, as `ioc replay --to mqtt://gauge:$TOKEN@host:port` sends it.
    const url = new URL(a.engine.mqttUrl);
    url.username = 'gauge';
    url.password = a.token.device;
    const dev = await mqtt.connectAsync(url.href, { clientId: 'replay-like', reconnectPeriod: 0 });
    clients.push(dev);
    await dev.publishAsync('city/sensor/air-7', reading('mqtt-auth-1'), { qos: 1 });
    await until(
      () => stored('mqtt-auth-1'),
      (n) => n === 1,
    );
  });

  it('a device token may not subscribe to the device topics, nor publish outside them', async () => {
    const dev = await connect(asDevice(a.token.device));
    await expect(dev.subscribeAsync('city/#', { qos: 1 })).rejects.toThrow(/Subscribe error/);
    await expect(dev.subscribeAsync('city/sensor/air-7', { qos: 0 })).rejects.toThrow(/Subscribe error/);
    // Refused subscriptions leave it connected and publishing.
    await dev.publishAsync('city/sensor/air-7', reading('mqtt-auth-2'), { qos: 1 });
    await until(
      () => stored('mqtt-auth-2'),
      (n) => n === 1,
    );
    // A forged alert is not delivered: MQTT 3.1.1 cannot refuse one publish, so the client is disconnected.
    const closed = new Promise<void>((resolve) => dev.once('close', () => resolve()));
    dev.publish('ioc/alerts/critical/hoan_kiem', '{"type":"opened"}', { qos: 1 });
    await closed;
  });

  it('readers are held to what their role may read over HTTP: analysts the raw events, wall roles the alerts', async () => {
    const analyst = await connect(asDevice(a.token.analyst));
    const got: string[] = [];
    analyst.on('message', (topic) => got.push(topic));
    await analyst.subscribeAsync('city/sensor/#', { qos: 0 });
    // The security family's raw events are its readers' only, and a filter naming no family reaches them.
    await expect(analyst.subscribeAsync('city/security/#', { qos: 0 })).rejects.toThrow(/Subscribe error/);
    await expect(analyst.subscribeAsync('city/#', { qos: 0 })).rejects.toThrow(/Subscribe error/);
    await expect(analyst.subscribeAsync('#', { qos: 0 })).rejects.toThrow(/Subscribe error/);
    await expect(analyst.subscribeAsync('ioc/alerts/#', { qos: 0 })).rejects.toThrow(/Subscribe error/);

    const operator = await connect(asDevice(a.token.operator));
    await expect(operator.subscribeAsync('city/#', { qos: 0 })).rejects.toThrow(/Subscribe error/);
    await operator.subscribeAsync('ioc/alerts/#', { qos: 0 });
    await expect(operator.subscribeAsync('$SYS/#', { qos: 0 })).rejects.toThrow(/Subscribe error/);

    const dev = await connect(asDevice(a.token.device));
    await dev.publishAsync('city/sensor/air-8', reading('mqtt-auth-3'), { qos: 1 });
    await until(
      () => got,
      (g) => g.includes('city/sensor/air-8'),
    );
  });

  it('refuses a client id longer than 128 characters and accepts one of 128', async () => {
    await expect(connect({ ...asDevice(a.token.device), clientId: 'x'.repeat(129) })).rejects.toThrow(
      /Identifier rejected/i,
    );
    const ok = await connect({ ...asDevice(a.token.device), clientId: 'y'.repeat(128) });
    expect(ok.connected).toBe(true);
  });

  it('revoking a device token disconnects its MQTT clients within a second, and it cannot connect again', async () => {
    const tok = a.tokens.create('gauge-fleet-9', 'device');
    const dev = await connect(asDevice(tok));
    await sleep(300);
    const closed = new Promise<number>((resolve) => {
      const t0 = performance.now();
      dev.once('close', () => resolve(performance.now() - t0));
    });
    a.tokens.revoke('gauge-fleet-9');
    expect(await Promise.race([closed, sleep(1000).then(() => Infinity)])).toBeLessThan(1000);
    await expect(connect(asDevice(tok))).rejects.toThrow(/Bad username or password/i);
  });
});

describe('MQTT_USERNAME / MQTT_PASSWORD with AUTH on', () => {
  let e: TestEngine;
  beforeAll(async () => {
    e = await startTestEngine({ auth: 'on', mqttUsername: 'city-broker', mqttPassword: 's3cret-pass' });
  });
  afterAll(async () => {
    await e?.dispose();
  });

  it('still admit a client with every right, and the engine ingests on them', async () => {
    const c = await mqtt.connectAsync(e.mqttUrl, {
      clientId: 'legacy',
      username: 'city-broker',
      password: 's3cret-pass',
      reconnectPeriod: 0,
    });
    await c.subscribeAsync('#', { qos: 0 });
    await c.publishAsync('city/sensor/air-9', reading('mqtt-legacy-1'), { qos: 1 });
    await until(
      async () =>
        (
          await e.store.reader.objects<{ n: number }>(
            `SELECT count(*)::INTEGER AS n FROM sensor_events WHERE id = 'mqtt-legacy-1'`,
          )
        )[0]!.n,
      (n) => n === 1,
    );
    await c.endAsync();
    await expect(mqtt.connectAsync(e.mqttUrl, { clientId: 'stranger', reconnectPeriod: 0 })).rejects.toThrow(
      /Not authorized/i,
    );
  });
});
