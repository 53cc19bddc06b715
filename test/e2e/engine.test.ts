// End to end on the embedded broker: MQTT messages in, rows in DuckDB, answers over HTTP, indicator updates over socket.io.
import mqtt, { type MqttClient } from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { camera, sensor, service } from '../support/events.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';

let engine: TestEngine;
let pub: MqttClient;
let socket: Socket;
const updates: { name: string; rows: { t: string; area: string; value: number | null; n: number }[] }[] = [];
const now = Date.now();
const at = (minutesAgo: number, i = 0) => new Date(now - minutesAgo * 60_000 + i).toISOString();

beforeAll(async () => {
  engine = await startTestEngine();
  pub = await mqtt.connectAsync(engine.mqttUrl, { clientId: 'e2e-device' });
  socket = io(engine.url, { transports: ['websocket'] });
  socket.on('indicator', (u) => updates.push(u));
  await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
  await new Promise((resolve) => socket.emit('subscribe', { indicators: ['traffic_flow', 'pm25'] }, resolve));
});
afterAll(async () => {
  socket?.close();
  await pub?.endAsync();
  await engine?.dispose();
});

describe('engine end to end (embedded broker)', () => {
  it('stores single events and arrays, once each, and dead-letters what is malformed', async () => {
    const cams = Array.from({ length: 40 }, (_, i) => camera(i, { ts: at(3, i * 1000), area: 'hoan_kiem' }));
    for (const c of cams.slice(0, 20))
      await pub.publishAsync(`city/camera/${c.cameraId}`, JSON.stringify(c), { qos: 1 });
    await pub.publishAsync('city/camera/batch', JSON.stringify(cams.slice(20)), { qos: 1 });
    // Redelivered duplicates and a late event from two hours ago.
    await pub.publishAsync('city/camera/batch', JSON.stringify(cams.slice(0, 10)), { qos: 1 });
    await pub.publishAsync('city/camera/late', JSON.stringify(camera(999, { ts: at(120), area: 'ba_dinh' })), {
      qos: 1,
    });
    await pub.publishAsync(
      'city/sensor/air-1',
      JSON.stringify([sensor(1, 'air', { ts: at(2) }), sensor(2, 'air', { ts: at(2) })]),
      { qos: 1 },
    );
    await pub.publishAsync('city/service/ubnd', JSON.stringify(service(1, { ts: at(1) })), { qos: 1 });
    // Malformed: not JSON, binary, missing field, negative count, bad coordinates, unknown enum.
    await pub.publishAsync('city/camera/bad', 'not json at all', { qos: 1 });
    await pub.publishAsync('city/camera/bad', Buffer.from([0, 159, 146, 150, 255]), { qos: 1 });
    await pub.publishAsync('city/camera/bad', JSON.stringify({ ...camera(500, { ts: at(1) }), counts: undefined }), {
      qos: 1,
    });
    await pub.publishAsync(
      'city/camera/bad',
      JSON.stringify(
        camera(501, { ts: at(1), counts: { car: -3, motorbike: 0, bus: 0, truck: 0, bicycle: 0, pedestrian: 0 } }),
      ),
      { qos: 1 },
    );
    await pub.publishAsync('city/sensor/bad', JSON.stringify(sensor(502, 'air', { ts: at(1), lat: 191 })), { qos: 1 });
    await pub.publishAsync('city/service/bad', JSON.stringify(service(503, { ts: at(1), channel: 'pigeon' })), {
      qos: 1,
    });

    await until(
      () => engine.sql('SELECT (SELECT count(*) FROM camera_events), (SELECT count(*) FROM dead_letters)'),
      (r) => r[0]![0] === 41 && r[0]![1] === 6,
    );
    expect(await engine.sql('SELECT count(DISTINCT id), count(*) FROM camera_events')).toEqual([[41, 41]]);
    expect(await engine.sql('SELECT count(*) FROM sensor_events')).toEqual([[2]]);
    expect(await engine.sql('SELECT count(*) FROM service_events')).toEqual([[1]]);
    const reasons = (await engine.sql('SELECT reason FROM dead_letters ORDER BY received_at')).map(
      (r) => r[0] as string,
    );
    expect(reasons).toEqual([
      expect.stringMatching(/not valid JSON/),
      expect.stringMatching(/not valid UTF-8/),
      expect.stringMatching(/field "counts" is required/),
      expect.stringMatching(/field "counts.car"/),
      expect.stringMatching(/field "lat"/),
      expect.stringMatching(/field "channel"/),
    ]);
    const [garbage] = await engine.sql(`SELECT payload FROM dead_letters WHERE reason LIKE '%UTF-8%'`);
    expect(Buffer.from(garbage![0] as string, 'base64')).toEqual(Buffer.from([0, 159, 146, 150, 255]));
  });

  it('serves health, the indicator catalogue and series that include the late event', async () => {
    const health = await engine.get('/api/health');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      status: 'ok',
      simulated: false,
      rows: { camera_events: 41, sensor_events: 2, service_events: 1 },
      deadLetters: 6,
      sources: { mqtt: { type: 'connected' } },
    });
    const cat = await engine.get('/api/indicators');
    expect(cat.body.indicators.map((i: { name: string }) => i.name)).toEqual(
      expect.arrayContaining(['traffic_flow', 'avg_speed', 'pm25', 'water_level_max', 'service_on_time_rate']),
    );
    expect(cat.body.indicators.find((i: { name: string }) => i.name === 'pm25')).toMatchObject({
      title: { vi: expect.any(String), en: 'PM2.5 (hourly mean)' },
      unit: 'µg/m³',
      window: '1h',
    });

    const [[raw]] = (await engine.sql('SELECT sum(car + motorbike + bus + truck + bicycle) FROM camera_events')) as [
      [number],
    ];
    // The late event's window may be refreshed a tick after the others: wait until the series holds every vehicle.
    const sum = (rows: { value: number }[] | undefined): number => (rows ?? []).reduce((s, r) => s + r.value, 0);
    const flow = await until(
      () => engine.get(`/api/indicators/traffic_flow?area=hanoi&from=${encodeURIComponent(at(180))}`),
      (r) => sum(r.body.rows) === raw,
    );
    expect(flow.body.rows.length).toBeGreaterThanOrEqual(2);
    expect(flow.body.rows.every((r: { area: string }) => r.area === 'hanoi')).toBe(true);
  });

  it('pushes indicator updates over socket.io, only for the subscribed indicators', async () => {
    await until(
      () => updates,
      (u) => u.some((x) => x.name === 'traffic_flow') && u.some((x) => x.name === 'pm25'),
    );
    expect(new Set(updates.map((u) => u.name))).toEqual(new Set(['traffic_flow', 'pm25']));
    const before = updates.length;
    await pub.publishAsync('city/camera/live', JSON.stringify(camera(7777, { ts: at(0), area: 'tay_ho' })), { qos: 1 });
    const fresh = await until(
      () => updates.slice(before),
      (u) => u.some((x) => x.name === 'traffic_flow' && x.rows.some((r) => r.area === 'tay_ho')),
    );
    const row = fresh.flatMap((u) => u.rows).find((r) => r.area === 'tay_ho')!;
    expect(row.value).toBe(26);
  });

  it("answers analysts' SELECTs and refuses anything else with a JSON error naming the problem", async () => {
    const ok = await engine.post('/api/sql', {
      sql: 'SELECT area, count(*) AS n FROM camera_events GROUP BY area ORDER BY area',
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      columns: [
        { name: 'area', type: 'VARCHAR' },
        { name: 'n', type: 'BIGINT' },
      ],
      rowCount: 3,
      truncated: false,
    });
    expect(ok.body.rows).toEqual([
      ['ba_dinh', 1],
      ['hoan_kiem', 40],
      ['tay_ho', 1],
    ]);

    const refused = [
      await engine.post('/api/sql', { sql: 'DELETE FROM camera_events' }),
      await engine.post('/api/sql', { sql: 'SELECT 1; DROP TABLE camera_events' }),
      await engine.post('/api/sql', { sql: "COPY camera_events TO '/tmp/x.csv'" }),
      await engine.post('/api/sql', { sql: "SELECT * FROM read_csv('/etc/passwd')" }),
    ];
    expect(refused.map((r) => r.status)).toEqual([403, 403, expect.any(Number), expect.any(Number)]);
    for (const r of refused.slice(2)) expect([400, 403]).toContain(r.status);
    expect(refused[3]!.body.error.message).toMatch(/Permission|disabled|file|not allowed/i);
    for (const r of refused)
      expect(r.body).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    expect(refused[0]!.body.error.message).toMatch(/only read statements/);
    expect(refused[1]!.body.error.message).toMatch(/one statement per request/);
    expect(await engine.sql('SELECT count(*) FROM camera_events')).toEqual([[42]]);

    expect(await engine.post('/api/sql', { query: 'SELECT 1' })).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringMatching(/field "sql"/) } },
    });
    expect(await engine.post('/api/sql', '{not json')).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringMatching(/not valid JSON/) } },
    });
    expect(await engine.post('/api/sql', { sql: 'SELECT * FROM nowhere' })).toMatchObject({
      status: 400,
      body: { error: { code: 'sql_error', message: expect.stringMatching(/nowhere/) } },
    });
  });

  it('answers HTTP errors as JSON with the field or the problem named', async () => {
    expect(await engine.get('/api/indicators/nope')).toMatchObject({
      status: 404,
      body: { error: { code: 'not_found', message: expect.stringMatching(/no indicator named "nope"/) } },
    });
    expect(await engine.get('/api/indicators/pm25?from=yesterday')).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringMatching(/field "from"/) } },
    });
    expect(await engine.get('/api/indicators/pm25?area=x%27%3B--')).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringMatching(/field "area"/) } },
    });
    expect(await engine.get('/api/nothing')).toMatchObject({ status: 404, body: { error: { code: 'not_found' } } });
  });

  it('serves the areas of each level and the devices seen in the last hour', async () => {
    const areas = await engine.get('/api/areas');
    expect(areas.body.type).toBe('FeatureCollection');
    expect(areas.body.features.length).toBe(126 + 30);
    expect(areas.body.attribution).toMatch(/MIT License, Copyright \(c\) 2021 Thang Le Quoc/);
    const wards = await engine.get('/api/areas?level=ward');
    expect(wards.body.features).toHaveLength(126);
    expect(wards.body.features[0].properties).toMatchObject({
      level: 'ward',
      parent: expect.stringMatching(/^former_/),
    });
    expect((await engine.get('/api/areas?level=district')).body.features).toHaveLength(30);
    expect(await engine.get('/api/areas?level=province')).toMatchObject({
      status: 400,
      body: { error: { message: expect.stringMatching(/field "level"/) } },
    });
    const devices = await engine.get('/api/devices');
    const cam = devices.body.devices.find((d: { id: string }) => d.id === 'cam-1');
    expect(cam).toMatchObject({
      family: 'camera',
      kind: 'camera',
      area: 'hoan_kiem',
      status: expect.stringMatching(/ok|warn|alert/),
    });
  });
});
