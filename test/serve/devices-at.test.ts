// GET /api/devices?at= and /api/layers/devices?at=: each device as it stood at a past instant, by the live rules,
// and nothing (said so) before the raw events still kept.
import { tableFromIPC } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/engine.ts';
import { camera, sensor } from '../support/events.ts';

const MIN = 60_000;
let engine: TestEngine;
/** Two days ago: cam-5 reported twice (slow, then fast) and sen-air-1 once; neither since. */
const past = Math.floor(Date.now() / MIN) * MIN - 2 * 86_400_000;

type Answer = { devices: { id: string; status: string; value: number | null; lastTs: string }[]; unknown?: unknown };
const at = (ms: number): string => encodeURIComponent(new Date(ms).toISOString());
async function devices(query: string): Promise<Answer> {
  const { status, body } = await engine.get(`/api/devices${query}`);
  expect(status, query).toBe(200);
  return body as Answer;
}

beforeAll(async () => {
  engine = await startTestEngine();
  await engine.post('/api/ingest?family=camera', [
    camera(5, { id: 'past-1', ts: new Date(past).toISOString(), avgSpeedKmh: 3 }),
    camera(5, { id: 'past-2', ts: new Date(past + 20 * MIN).toISOString(), avgSpeedKmh: 40 }),
    camera(1, { ts: new Date(Date.now() - MIN).toISOString(), avgSpeedKmh: 30 }),
  ]);
  await engine.post('/api/ingest?family=sensor', [sensor(4, 'air', { ts: past + 5 * MIN, metrics: { pm25: 95 } })]);
  await engine.settle();
});
afterAll(async () => {
  await engine?.dispose();
});

describe('devices at a past instant', () => {
  it('shows a device that reported then and not since; live, it is not there', async () => {
    const live = await devices('');
    expect(live.devices.map((d) => d.id)).not.toContain('cam-5');
    const then = await devices(`?at=${at(past + 6 * MIN)}`);
    expect(then.unknown).toBeNull();
    const byId = new Map(then.devices.map((d) => [d.id, d]));
    expect([...byId.keys()].sort()).toEqual(['cam-5', 'sen-air-1']);
    // Its last event at or before the instant, not the later one; the status by the live rule with `at` as now.
    const later = (await devices(`?at=${at(past + 25 * MIN)}`)).devices.find((d) => d.id === 'cam-5');
    expect(byId.get('cam-5')).toMatchObject({ value: 3, lastTs: new Date(past).toISOString() });
    expect(later).toMatchObject({ value: 40, status: 'ok' });
    expect(byId.get('sen-air-1')).toMatchObject({ value: 95, status: 'alert' });
  });

  it('a device quiet for more than ten minutes before the instant is silent; an hour, gone', async () => {
    const quiet = await devices(`?at=${at(past + 17 * MIN)}`);
    expect(quiet.devices.find((d) => d.id === 'cam-5')).toMatchObject({ value: 3, status: 'silent' });
    expect((await devices(`?at=${at(past + 90 * MIN)}`)).devices).toEqual([]);
    expect((await devices(`?at=${at(past - MIN)}`)).devices).toEqual([]);
  });

  it('the Arrow layer answers the same devices at the instant', async () => {
    const res = await fetch(`${engine.url}/api/layers/devices?at=${at(past + 6 * MIN)}`);
    expect(res.status).toBe(200);
    const table = tableFromIPC(new Uint8Array(await res.arrayBuffer()));
    const ids = Array.from({ length: table.numRows }, (_, i) => table.getChild('id')!.get(i) as string);
    expect(ids.sort()).toEqual(['cam-5', 'sen-air-1']);
    expect(res.headers.get('x-devices-unknown')).toBeNull();
  });

  it('before the raw events kept (RETAIN_RAW_DAYS): no device, and why', async () => {
    const old = Date.now() - 30 * 86_400_000;
    const answer = await devices(`?at=${at(old)}`);
    expect(answer.devices).toEqual([]);
    expect(answer.unknown).toMatch(/RETAIN_RAW_DAYS=7/);
    const res = await fetch(`${engine.url}/api/layers/devices?at=${at(old)}`);
    expect(res.headers.get('x-row-count')).toBe('0');
    expect(res.headers.get('x-devices-unknown')).toMatch(/no longer kept/);
  });

  it.each(['/api/devices', '/api/layers/devices'])('%s refuses a bad at naming the field', async (path) => {
    for (const bad of ['yesterday', '2026-11-27', '2026-11-27T08:00:00'])
      expect(await engine.get(`${path}?at=${bad}`)).toMatchObject({
        status: 400,
        body: { error: { code: 'bad_request', message: expect.stringMatching(/^field "at": must be an RFC 3339/) } },
      });
  });
});
