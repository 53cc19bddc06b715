// One query, three surfaces: saved with parameters, run by name for the briefing, pushed live to the wall over /queries.
import mqtt, { type MqttClient } from 'mqtt';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { camera } from '../support/events.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';

let engine: TestEngine;
let pub: MqttClient;

const CARS_BY_AREA = {
  title: { vi: 'Ô tô theo quận', en: 'Cars by district' },
  sql: 'SELECT area, sum(car)::INTEGER AS cars FROM camera_events WHERE area = $area AND car >= $min GROUP BY area',
  params: [
    { name: 'area', type: 'text', default: 'hoan_kiem' },
    { name: 'min', type: 'number', default: 0 },
  ],
  unit: 'xe',
  wall: true,
  briefing: true,
};

async function put(name: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${engine.url}/api/queries/${name}`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
}

async function publish(n: number, area: string, from: number): Promise<void> {
  for (let i = from; i < from + n; i++) {
    const e = camera(i, { id: `saved-${i}`, ts: new Date(Date.now() - 60_000).toISOString(), area });
    await pub.publishAsync(`city/camera/${String(e['cameraId'])}`, JSON.stringify(e), { qos: 1 });
  }
}

beforeAll(async () => {
  engine = await startTestEngine();
  pub = await mqtt.connectAsync(engine.mqttUrl, { clientId: `saved-${process.pid}` });
  await publish(4, 'hoan_kiem', 0);
  await publish(2, 'ba_dinh', 100);
  await until(
    () => engine.sql('SELECT count(*) FROM camera_events'),
    (r) => r[0]![0] === 6,
  );
});
afterAll(async () => {
  await pub?.endAsync();
  await engine?.dispose();
});

describe('saved queries', () => {
  it('are saved by name, listed per surface, and refused when malformed', async () => {
    const saved = await put('cars_by_area', CARS_BY_AREA);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({
      name: 'cars_by_area',
      wall: true,
      briefing: true,
      author: 'anonymous',
      params: CARS_BY_AREA.params,
    });
    await put('plain', { sql: 'SELECT 1 AS one', title: { vi: 'Một', en: 'One' } });
    expect((await engine.get('/api/queries')).body.queries.map((q: { name: string }) => q.name)).toEqual([
      'cars_by_area',
      'plain',
    ]);
    expect((await engine.get('/api/queries?surface=wall')).body.queries.map((q: { name: string }) => q.name)).toEqual([
      'cars_by_area',
    ]);
    expect(
      (await engine.get('/api/queries?surface=briefing')).body.queries.map((q: { name: string }) => q.name),
    ).toEqual(['cars_by_area']);
    expect((await put('Bad Name', { sql: 'SELECT 1' })).status).toBe(400);
    expect((await put('nosql', { title: { vi: 'x', en: 'x' } })).status).toBe(400);
    // Saved in DuckDB: analysts can read the table itself.
    expect(await engine.sql('SELECT name, wall FROM saved_queries ORDER BY name')).toEqual([
      ['cars_by_area', true],
      ['plain', false],
    ]);
  });

  it('run by name with their defaults or the parameters given, in any format', async () => {
    expect((await engine.get('/api/queries/cars_by_area/run')).body.rows).toEqual([['hoan_kiem', 12]]);
    expect((await engine.get('/api/queries/cars_by_area/run?area=ba_dinh')).body.rows).toEqual([['ba_dinh', 6]]);
    expect((await engine.get('/api/queries/cars_by_area/run?area=ba_dinh&min=4')).body.rows).toEqual([]);
    expect((await engine.get('/api/queries/cars_by_area/run?min=abc')).status).toBe(400);
    expect((await engine.get('/api/queries/cars_by_area/run?nope=1')).status).toBe(400);
    expect((await engine.get('/api/queries/missing/run')).status).toBe(404);
    const csv = await fetch(`${engine.url}/api/queries/cars_by_area/run?format=csv&area=ba_dinh`);
    expect(csv.headers.get('content-disposition')).toMatch(/cars_by_area\.csv/);
    expect(await csv.text()).toBe('area,cars\r\nba_dinh,6\r\n');
    // A saved query is still analyst SQL: the sandbox's rules apply to it.
    await put('evil', { sql: 'DROP TABLE camera_events' });
    expect((await engine.get('/api/queries/evil/run')).status).toBe(403);
    expect((await fetch(`${engine.url}/api/queries/evil`, { method: 'DELETE' })).status).toBe(200);
    expect((await engine.get('/api/queries/evil')).status).toBe(404);
  });

  it('promoted to the wall are pushed on /queries at connect and again when their result changes', async () => {
    const socket: Socket = io(`${engine.url}/queries`, { transports: ['websocket'] });
    const results: { name: string; rows: unknown[][]; unit: string | null }[] = [];
    const lists: string[][] = [];
    socket.on('query', (r) => results.push(r));
    socket.on('queries', (l: { names: string[] }) => lists.push(l.names));
    try {
      await until(
        () => results.length,
        (n) => n > 0,
      );
      expect(results[0]).toMatchObject({ name: 'cars_by_area', unit: 'xe', rows: [['hoan_kiem', 12]], error: null });
      expect(lists.at(-1)).toEqual(['cars_by_area']);
      // New data: the next tick re-runs the query and pushes the new rows, and only then.
      const pushed = results.length;
      await new Promise((r) => setTimeout(r, 600));
      expect(results.length).toBe(pushed);
      await publish(3, 'hoan_kiem', 200);
      const fresh = await until(
        () => results.slice(pushed),
        (r) => r.some((x) => JSON.stringify(x.rows) === JSON.stringify([['hoan_kiem', 21]])),
      );
      expect(fresh.length).toBeGreaterThan(0);
      // Demoted: the walls are told it is gone.
      await put('cars_by_area', { ...CARS_BY_AREA, wall: false });
      await until(
        () => lists.at(-1),
        (l) => Array.isArray(l) && l.length === 0,
      );
      // Wall runs are the engine's, not an analyst's: not in the audit.
      expect(await engine.sql("SELECT count(*) FROM sql_audit WHERE who = 'wall'")).toEqual([[0]]);
    } finally {
      socket.close();
    }
  });
});
