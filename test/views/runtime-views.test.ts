// Views created over HTTP on a running engine: while ingestion runs, their rows (after the backfill, and after late
// and duplicated events) equal those of the same views loaded from files at start-up; they survive a restart, reach
// the catalogue, the live feed and the briefing, and go away with their rows.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { io } from 'socket.io-client';
import { mulberry32 } from '../../sources/simulate/prng.ts';
import { bytes, camera, sensor, service } from '../support/events.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';

/** Each file view, and the name its copy is created under. */
const COPIES: [file: string, original: string, copy: string][] = [
  ['views/noise/noise_laeq.sql', 'noise_laeq', 'rt_noise'],
  ['views/air/pm25_1m.sql', 'pm25_1m', 'rt_pm25_1m'],
  ['views/air/pm25_60m.sql', 'pm25_60m', 'rt_pm25_60m'],
  ['views/air/aqi.sql', 'aqi', 'rt_aqi'],
  ['views/traffic/avg_speed.sql', 'avg_speed', 'rt_avg_speed'],
  ['views/services/service_received.sql', 'service_received', 'rt_service_received'],
];

/** A file view's text under another name (and, for a merged one, over the copy of its base). */
function copyOf(file: string, original: string, copy: string): string {
  return readFileSync(file, 'utf8')
    .replace(`-- name: ${original}`, `-- name: ${copy}`)
    .replace('-- base: pm25_1m', '-- base: rt_pm25_1m');
}

const HOUR = 3_600_000;
const START = Date.now() - 5 * HOUR;

/** Events over the last five hours across central wards: some arriving hours late, some sent twice. */
function events(seed: number, count: number): { topic: string; payload: Uint8Array; receivedAt: number }[] {
  const r = mulberry32(seed);
  const out: { topic: string; payload: Uint8Array; receivedAt: number }[] = [];
  for (let i = 0; i < count; i++) {
    const ts = START + Math.floor(r() * 5 * HOUR);
    const place = { lat: 21.0 + r() * 0.06, lon: 105.8 + r() * 0.07 };
    const id = `${seed}-${i}`;
    const pick = r();
    const e =
      pick < 0.3
        ? camera(i, { ...place, id: `c${id}`, ts: new Date(ts).toISOString(), avgSpeedKmh: 5 + r() * 50 })
        : pick < 0.8
          ? sensor(i, ['air', 'noise', 'air'][i % 3]!, {
              ...place,
              id: `s${id}`,
              ts,
              metrics: i % 3 === 1 ? { laeqDb: 45 + r() * 40 } : { pm25: r() * 150, pm10: 60 },
            })
          : service(i, { id: `v${id}`, ts: new Date(ts).toISOString(), status: r() < 0.5 ? 'received' : 'completed' });
    const family = pick < 0.3 ? 'camera' : pick < 0.8 ? 'sensor' : 'service';
    const late = r() < 0.1;
    const msg = { topic: `city/${family}/x`, payload: bytes(e), receivedAt: late ? ts + 3 * HOUR : ts + 2000 };
    out.push(msg);
    if (r() < 0.05) out.push({ ...msg, receivedAt: msg.receivedAt + 60_000 });
  }
  return out;
}

function feed(engine: TestEngine, msgs: ReturnType<typeof events>): void {
  for (const m of msgs) engine.ingest({ source: 'test', ...m, ack: () => undefined });
}

/** Rows of the copy not in the original, and the other way round, with the row counts. */
async function differences(engine: TestEngine, original: string, copy: string) {
  const row = (view: string) =>
    `SELECT t, area, round(value, 6) AS value, n, sources, late FROM rollups WHERE view = '${view}'`;
  const [r] = await engine.store.reader.objects<{ extra: number; missing: number; a: number; b: number }>(`
    SELECT (SELECT count(*) FROM (${row(copy)} EXCEPT ALL ${row(original)}))::INTEGER AS extra,
           (SELECT count(*) FROM (${row(original)} EXCEPT ALL ${row(copy)}))::INTEGER AS missing,
           (SELECT count(*) FROM rollups WHERE view = '${original}')::INTEGER AS a,
           (SELECT count(*) FROM rollups WHERE view = '${copy}')::INTEGER AS b`);
  return r!;
}

async function createView(engine: TestEngine, text: string): Promise<{ status: number; body: any }> {
  return engine.post('/api/views', text, { 'content-type': 'text/plain' });
}

describe('views created at run time', () => {
  let engine: TestEngine;
  let dir: string;

  beforeAll(async () => {
    engine = await startTestEngine();
    dir = engine.dir;
    feed(engine, events(1, 4000));
    await engine.settle();
  }, 60_000);

  afterAll(async () => {
    await engine?.dispose();
  });

  it('backfills while ingestion runs and then equals the same views loaded from files', async () => {
    const heard: { name: string; change: string; status: string }[] = [];
    const socket = io(engine.url, { transports: ['websocket'] });
    socket.on('view', (e: { name: string; change: string; status: string }) => heard.push(e));
    await new Promise<void>((resolve) => socket.on('connect', () => resolve()));
    socket.emit('subscribe', {});
    const indicators: string[] = [];
    socket.on('indicator', (c: { name: string }) => indicators.push(c.name));

    let seed = 100;
    const running = setInterval(() => feed(engine, events(seed++, 100)), 100);
    try {
      for (const [file, original, copy] of COPIES) {
        const res = await createView(engine, copyOf(file, original, copy));
        expect(res.status, JSON.stringify(res.body)).toBe(201);
        expect(res.body).toMatchObject({ name: copy, origin: 'runtime', createdBy: 'anonymous' });
        expect(['backfilling', 'live']).toContain(res.body.status);
      }
      for (const [, , copy] of COPIES)
        await until(
          () => engine.get(`/api/views/${copy}`),
          (r) => r.body.status === 'live',
          60_000,
        );
    } finally {
      clearInterval(running);
    }
    await engine.settle();
    await engine.settle();
    for (const [, original, copy] of COPIES) {
      const d = await differences(engine, original, copy);
      expect(d.a, original).toBeGreaterThan(0);
      expect({ copy, ...d }).toEqual({ copy, extra: 0, missing: 0, a: d.a, b: d.a });
    }
    // Late and duplicated events after the backfill: both kept the same way.
    feed(engine, events(9, 1500));
    await engine.settle();
    await engine.settle();
    for (const [, original, copy] of COPIES)
      expect({ copy, ...(await differences(engine, original, copy)) }).toMatchObject({ extra: 0, missing: 0 });

    const described = (await engine.get('/api/views/rt_noise')).body;
    expect(described).toMatchObject({ status: 'live', progress: 1, origin: 'runtime' });
    expect(described.rows).toBeGreaterThan(0);
    const catalogue = (await engine.get('/api/indicators')).body.indicators.map((i: { name: string }) => i.name);
    expect(catalogue).toEqual(expect.arrayContaining(COPIES.map((c) => c[2])));
    expect(heard.filter((e) => e.change === 'created').map((e) => e.name)).toEqual(COPIES.map((c) => c[2]));
    expect(heard.some((e) => e.change === 'live' && e.name === 'rt_noise')).toBe(true);
    // A socket that asked for every indicator hears the new ones too.
    expect(indicators).toContain('rt_noise');
    socket.close();
    // The analysts read it by name.
    expect((await engine.sql('SELECT count(*) FROM rt_noise'))[0]![0]).toBe(described.rows);
  }, 180_000);

  it('keeps its views across a restart, and deletes one with its rows', async () => {
    const before = await differences(engine, 'noise_laeq', 'rt_noise');
    await engine.stop();
    engine = await startTestEngine({ dataDir: dir });
    const after = await engine.get('/api/views/rt_noise');
    expect(after.body).toMatchObject({ status: 'live', origin: 'runtime', rows: before.b });
    expect(await differences(engine, 'noise_laeq', 'rt_noise')).toMatchObject({ extra: 0, missing: 0 });

    // A base keeps its merged views: refused while they exist.
    const inUse = await fetch(`${engine.url}/api/views/rt_pm25_1m`, { method: 'DELETE' });
    expect(inUse.status).toBe(409);
    expect(((await inUse.json()) as any).error.message).toMatch(/base of rt_pm25_60m/);

    const gone = await fetch(`${engine.url}/api/views/rt_noise`, { method: 'DELETE' });
    expect(gone.status).toBe(200);
    expect((await engine.get('/api/views/rt_noise')).status).toBe(404);
    const [left] = await engine.store.reader.objects<{ n: number }>(
      "SELECT count(*)::INTEGER AS n FROM rollups WHERE view = 'rt_noise'",
    );
    expect(left!.n).toBe(0);
    const audit = await engine.store.reader.objects<{ action: string; who: string }>(
      "SELECT action, who FROM definition_changes WHERE name = 'rt_noise' ORDER BY changed_at",
    );
    expect(audit).toEqual([
      { action: 'create', who: 'anonymous' },
      { action: 'delete', who: 'anonymous' },
    ]);
  }, 120_000);

  it('redefines a view and rebuilds its rows', async () => {
    const text = copyOf('views/noise/noise_laeq.sql', 'noise_laeq', 'rt_loud').replace(
      'laeq_db IS NOT NULL',
      'laeq_db > 70',
    );
    expect((await createView(engine, text)).status).toBe(201);
    await until(
      () => engine.get('/api/views/rt_loud'),
      (r) => r.body.status === 'live',
      30_000,
    );
    const res = await fetch(`${engine.url}/api/views/rt_loud`, {
      method: 'PUT',
      body: text.replace('laeq_db > 70', 'laeq_db IS NOT NULL'),
      headers: { 'content-type': 'text/plain' },
    });
    expect(res.status).toBe(200);
    await until(
      () => engine.get('/api/views/rt_loud'),
      (r) => r.body.status === 'live',
      30_000,
    );
    await engine.settle();
    expect(await differences(engine, 'noise_laeq', 'rt_loud')).toMatchObject({ extra: 0, missing: 0 });
  }, 120_000);
});
