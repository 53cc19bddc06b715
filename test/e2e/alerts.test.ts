// Alerts through the running engine: a heavy-rain reading opens an alert on the next tick, pushed over socket.io,
// listed by the API, acknowledged and resolved by an operator, inside a flooding incident with its checklist.
import mqtt, { type MqttClient } from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sensor } from '../support/events.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';

let engine: TestEngine;
let pub: MqttClient;
let socket: Socket;
const pushed: { type: string; alert: { id: string; rule: string; status: string } }[] = [];
const incidentsHeard: { type: string; incident: { id: string; type: string; status: string; alerts: number } }[] = [];

beforeAll(async () => {
  engine = await startTestEngine();
  pub = await mqtt.connectAsync(engine.mqttUrl, { clientId: 'e2e-alerts' });
  socket = io(engine.url, { transports: ['websocket'] });
  socket.on('alert', (e) => pushed.push(e));
  socket.on('incident', (e) => incidentsHeard.push(e));
  await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
});
afterAll(async () => {
  socket?.close();
  await pub?.endAsync();
  await engine?.dispose();
});

describe('alerts end to end', () => {
  it('opens, pushes, lists, acknowledges and resolves an alert inside its incident', async () => {
    const reading = sensor(1, 'weather', {
      id: 'rain-1',
      ts: new Date().toISOString(),
      area: 'hoan_kiem',
      metrics: { rainfallMm: 72 },
    });
    await pub.publishAsync('city/sensor/rain-gauge-1', JSON.stringify(reading), { qos: 1 });
    const opened = await until(
      () => pushed,
      (p) => p.some((e) => e.type === 'opened' && e.alert.rule === 'heavy_rain'),
    );
    const id = opened.find((e) => e.alert.rule === 'heavy_rain')!.alert.id;
    // The incident the alert opened reaches the incident room live, as an incident of its own.
    const heard = await until(
      () => incidentsHeard,
      (h) => h.some((e) => e.type === 'opened' && e.incident.type === 'flooding'),
    );
    expect(heard.find((e) => e.incident.type === 'flooding')!.incident).toMatchObject({ status: 'open', alerts: 1 });

    const list = await engine.get('/api/alerts?status=active&area=hoan_kiem');
    expect(list.status).toBe(200);
    expect(list.body.alerts).toEqual([
      expect.objectContaining({
        id,
        rule: 'heavy_rain',
        status: 'open',
        area: 'hoan_kiem',
        value: 72,
        title: { vi: 'Mưa lớn', en: 'Heavy rain' },
      }),
    ]);

    expect(await engine.post(`/api/alerts/${id}/ack`, { by: 'operator.mai', comment: 'seen' })).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringMatching(/field "by"/) } },
    });
    expect(await engine.post('/api/alerts/a-nothing/ack', {})).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found' } },
    });
    expect(await engine.get('/api/alerts?status=maybe')).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringMatching(/field "status"/) } },
    });

    const ack = await engine.post(`/api/alerts/${id}/ack`, { comment: 'drainage team called' });
    expect(ack).toMatchObject({
      status: 200,
      body: {
        type: 'acknowledged',
        alert: { status: 'acknowledged', acknowledgedBy: 'anonymous' },
        incident: { type: 'flooding', status: 'acknowledged' },
      },
    });
    await until(
      () => pushed,
      (p) => p.some((e) => e.type === 'acknowledged' && e.alert.id === id),
    );

    const incidentId = ack.body.incident.id as string;
    await until(
      () => incidentsHeard,
      (h) =>
        h.some((e) => e.type === 'changed' && e.incident.id === incidentId && e.incident.status === 'acknowledged'),
    );
    const step = await engine.post(`/api/incidents/${incidentId}/checklist/1`, {});
    expect(step).toMatchObject({
      status: 200,
      body: {
        incident: {
          checklist: expect.arrayContaining([expect.objectContaining({ step: 1, done: true, by: 'anonymous' })]),
        },
      },
    });
    expect(await engine.post(`/api/incidents/${incidentId}/checklist/99`, {})).toMatchObject({ status: 400 });

    const resolved = await engine.post(`/api/alerts/${id}/resolve`, { comment: 'rain stopped' });
    expect(resolved).toMatchObject({
      status: 200,
      body: { alert: { status: 'resolved', resolvedBy: 'anonymous' }, incident: { status: 'resolved' } },
    });
    await until(
      () => incidentsHeard,
      (h) => h.some((e) => e.incident.id === incidentId && e.incident.status === 'resolved'),
    );
    const incidents = await engine.get('/api/incidents?status=resolved');
    expect(incidents.body.incidents.map((i: { id: string }) => i.id)).toContain(incidentId);
    const [[detect, resolve]] = (await engine.sql(
      `SELECT detect_met, resolve_met FROM incident_times WHERE id = '${incidentId}'`,
    )) as [[boolean, boolean]];
    expect([detect, resolve]).toEqual([true, true]);
  });
});
