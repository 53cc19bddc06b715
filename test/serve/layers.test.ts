// GET /api/layers/devices (Arrow IPC) carries the same devices as GET /api/devices; a device's recent values by minute.
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/engine.ts';
import { camera, sensor } from '../support/events.ts';

let engine: TestEngine;
beforeAll(async () => {
  engine = await startTestEngine();
  const now = Date.now();
  await engine.post(
    '/api/ingest?family=camera',
    [0, 1, 2].map((i) => camera(i, { ts: new Date(now - 120_000 + i * 1000).toISOString(), avgSpeedKmh: 10 + i * 10 })),
  );
  await engine.post('/api/ingest?family=sensor', [sensor(1, 'air', { ts: now - 60_000, metrics: { pm25: 95 } })]);
  await engine.settle();
});
afterAll(async () => {
  await engine?.dispose();
});

describe('the wall layers', () => {
  it('serves the devices as an Arrow stream with the same positions, values and states as the JSON', async () => {
    const res = await fetch(`${engine.url}/api/layers/devices`);
    expect(res.headers.get('content-type')).toBe('application/vnd.apache.arrow.stream');
    const table = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
    const json = (await engine.get('/api/devices')).body.devices as {
      id: string;
      lon: number;
      lat: number;
      value: number | null;
      status: string;
      lastTs: string;
    }[];
    expect(table.numRows).toBe(json.length);
    const codes = ['ok', 'warn', 'alert', 'silent'];
    const rows = Array.from({ length: table.numRows }, (_, i) => ({
      id: table.getChild('id')!.get(i),
      lon: table.getChild('lon')!.get(i),
      lat: table.getChild('lat')!.get(i),
      value: table.getChild('value')!.get(i),
      status: codes[table.getChild('status')!.get(i)],
      lastTs: new Date(table.getChild('lastTs')!.get(i)).toISOString(),
    }));
    const sort = <T extends { id: string }>(a: T[]) => [...a].sort((x, y) => x.id.localeCompare(y.id));
    expect(sort(rows)).toEqual(
      sort(json.map((d) => ({ id: d.id, lon: d.lon, lat: d.lat, value: d.value, status: d.status, lastTs: d.lastTs }))),
    );
    expect(rows.find((r) => r.id === 'sen-air-1')?.status).toBe('alert');
  });

  it("answers one device's values per minute, and a JSON error for a bad id", async () => {
    const { status, body } = await engine.get('/api/devices/cam-1/series?minutes=30');
    expect(status).toBe(200);
    expect(body.points).toEqual([expect.objectContaining({ value: 20 })]);
    expect(await engine.get('/api/devices/a%20b/series')).toMatchObject({
      status: 400,
      body: { error: { code: 'bad_request' } },
    });
  });
});
