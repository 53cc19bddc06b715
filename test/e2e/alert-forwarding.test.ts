// Alert changes reach other city systems: an MQTT topic on the engine's broker and a webhook.
import { createServer, type Server } from 'node:http';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/brokers.ts';
import { sensor } from '../support/events.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';

let engine: TestEngine;
let hook: Server;
let sub: MqttClient;
const posted: { type: string; alert: { rule: string } }[] = [];
const published: { topic: string; body: { type: string; alert: { rule: string } } }[] = [];

beforeAll(async () => {
  const port = await freePort();
  hook = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      posted.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  }).listen(port, '127.0.0.1');
  engine = await startTestEngine({ alertMqttTopic: 'ioc/alerts', alertWebhookUrl: `http://127.0.0.1:${port}/hook` });
  sub = await mqtt.connectAsync(engine.mqttUrl, { clientId: 'city-system' });
  await sub.subscribeAsync('ioc/alerts/#', { qos: 1 });
  sub.on('message', (topic, payload) => published.push({ topic, body: JSON.parse(payload.toString()) }));
});
afterAll(async () => {
  await sub?.endAsync();
  await engine?.dispose();
  hook?.close();
});

describe('alert forwarding', () => {
  it('publishes each alert change to <prefix>/<severity>/<area> and POSTs it to the webhook', async () => {
    const reading = sensor(1, 'weather', {
      id: 'fw-rain',
      ts: new Date().toISOString(),
      area: 'tay_ho',
      metrics: { rainfallMm: 90 },
    });
    await sub.publishAsync('city/sensor/gauge-9', JSON.stringify(reading), { qos: 1 });
    const mq = await until(
      () => published,
      (p) => p.some((m) => m.body.alert.rule === 'heavy_rain'),
    );
    expect(mq.find((m) => m.body.alert.rule === 'heavy_rain')).toMatchObject({
      topic: 'ioc/alerts/warning/tay_ho',
      body: { type: 'opened' },
    });
    await until(
      () => posted,
      (p) => p.some((m) => m.alert.rule === 'heavy_rain' && m.type === 'opened'),
    );
    const id = (await engine.get('/api/alerts?rule=heavy_rain')).body.alerts[0].id as string;
    await engine.post(`/api/alerts/${id}/ack`, {});
    await until(
      () => posted,
      (p) => p.some((m) => m.type === 'acknowledged'),
    );
  });
});
