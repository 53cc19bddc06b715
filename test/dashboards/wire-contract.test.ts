// The wire contract against a real engine: every REST answer and socket.io event the pages read parses with its schema.
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import {
  alertEventSchema,
  alertsSchema,
  areasSchema,
  briefingSchema,
  catalogueSchema,
  deviceSeriesSchema,
  devicesSchema,
  healthSchema,
  incidentsSchema,
  indicatorChangeSchema,
  seriesSchema,
  subscribeAckSchema,
  hanoiDate,
  type ClientToServerEvents,
  type ServerToClientEvents,
} from '../../dashboards/shared/wire/index.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';
import { camera, sensor, service } from '../support/events.ts';

let engine: TestEngine;
const loadedAt = Date.now();
const at = (k: number): string => new Date(loadedAt - (10 - k) * 60_000).toISOString();
/** The Hanoi day of the camera incident (k = 5), which the briefing must find even just after midnight. */
const day = hanoiDate(Date.parse(at(5)));
let socket: Socket<ServerToClientEvents, ClientToServerEvents>;
const received: { event: string; payload: unknown }[] = [];

/** The body of a GET that must succeed and match the schema (strictly: no key the schema does not know). */
async function answer<S extends z.ZodType>(path: string, schema: S): Promise<z.infer<S>> {
  const res = await engine.get(path);
  expect(res.status, `${path}: ${JSON.stringify(res.body).slice(0, 300)}`).toBe(200);
  const parsed = schema.safeParse(res.body);
  if (!parsed.success) throw new Error(`${path}: ${JSON.stringify(parsed.error.issues).slice(0, 1000)}`);
  // What the schema leaves out the pages never see: the engine must send nothing the contract does not name.
  expect(parsed.data, path).toEqual(res.body);
  return parsed.data;
}

beforeAll(async () => {
  engine = await startTestEngine();
  // A few minutes of every family, up to now: enough for each answer to carry rows, devices and an incident.
  const events = {
    camera: Array.from({ length: 10 }, (_, k) =>
      camera(k, {
        ts: at(k),
        area: 'dong_da',
        ...(k === 5 ? { incident: { type: 'accident', confidence: 0.8 } } : {}),
      }),
    ),
    sensor: Array.from({ length: 10 }, (_, k) =>
      sensor(k, 'air', {
        ts: at(k),
        area: 'dong_da',
        metrics: { pm25: 60 + k, pm10: 90 },
      }),
    ),
    service: Array.from({ length: 4 }, (_, k) => service(k, { ts: at(k) })),
  };
  for (const [family, batch] of Object.entries(events)) {
    const res = await engine.post(`/api/ingest?family=${family}`, batch);
    expect(res.body.rejected, family).toEqual([]);
  }
  await engine.settle();
  socket = io(engine.url, { transports: ['websocket'] });
  socket.onAny((event: string, payload: unknown) => received.push({ event, payload }));
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('connect_error', reject);
  });
});
afterAll(async () => {
  socket?.close();
  await engine?.dispose();
});

describe('REST answers', () => {
  it('health, catalogue, areas and devices', async () => {
    await answer('/api/health', healthSchema);
    const { indicators } = await answer('/api/indicators', catalogueSchema);
    expect(indicators.map((i) => i.name)).toContain('aqi');
    expect((await answer('/api/areas', areasSchema)).features.length).toBeGreaterThan(0);
    const { devices } = await answer('/api/devices', devicesSchema);
    expect(devices.length).toBeGreaterThan(0);
    await answer(`/api/devices/${encodeURIComponent(devices[0]!.id)}/series?minutes=60`, deviceSeriesSchema);
  });

  it('series, as stored and re-bucketed', async () => {
    const raw = await answer('/api/indicators/avg_speed', seriesSchema);
    expect(raw.rows.length).toBeGreaterThan(0);
    const hourly = await answer('/api/indicators/pm25?area=dong_da&bucket=1h', seriesSchema);
    expect(hourly.bucket).toBe('1h');
    expect(hourly.rows.length).toBeGreaterThan(0);
  });

  it('the briefing, in both languages', async () => {
    for (const lang of ['vi', 'en']) {
      const b = await answer(`/api/briefing?date=${day}&span=day&lang=${lang}`, briefingSchema);
      expect(b.hasData).toBe(true);
      expect(b.incidents.total).toBeGreaterThan(0);
    }
  });
});

describe('socket.io events and the alert actions', () => {
  it('subscribe is answered, then indicator, devices and alert events follow an ingest', async () => {
    const ack = await new Promise<unknown>((resolve) => {
      socket.emit('subscribe', { indicators: ['rainfall_max'] }, resolve);
    });
    expect(subscribeAckSchema.parse(ack)).toEqual({ indicators: ['rainfall_max'] });
    received.length = 0;
    const storm = sensor(1, 'weather', {
      id: 'wire-rain-1',
      ts: new Date().toISOString(),
      area: 'hoang_mai',
      metrics: { rainfallMm: 90 },
    });
    expect((await engine.post('/api/ingest?family=sensor', [storm])).status).toBe(200);
    const seen = (event: string) => received.filter((r) => r.event === event).map((r) => r.payload);
    const all = ['indicator', 'devices', 'alert'];
    await until(
      () => received.map((r) => r.event),
      (events) => all.every((e) => events.includes(e)),
    );
    for (const p of seen('indicator')) expect(indicatorChangeSchema.parse(p)).toEqual(p);
    for (const p of seen('devices')) expect(devicesSchema.parse(p)).toEqual(p);
    for (const p of seen('alert')) expect(alertEventSchema.parse(p)).toEqual(p);
  });

  it('alerts, incidents and acknowledging one', async () => {
    const { alerts } = await answer('/api/alerts?status=active', alertsSchema);
    const open = alerts.find((a) => a.rule === 'heavy_rain' && a.status === 'open');
    expect(open).toBeDefined();
    await answer('/api/incidents', incidentsSchema);
    const res = await engine.post(`/api/alerts/${open!.id}/ack`, {});
    expect(res.status).toBe(200);
    expect(alertEventSchema.parse(res.body)).toEqual(res.body);
  });
});
