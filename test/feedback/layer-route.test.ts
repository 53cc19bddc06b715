// GET /api/layers/feedback: the wall's report cells over a time range, its access and its refusals.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthEngine, type AuthEngine } from '../access/auth-engine.ts';
import { until } from '../support/engine.ts';
import { feedback } from '../support/events.ts';

const H = 3_600_000;
let a: AuthEngine;
const now = Date.now();
const iso = (ms: number) => new Date(ms).toISOString();

beforeAll(async () => {
  a = await startAuthEngine();
  // Two reports from the same street corner by phone, one from the same corner resolved, one by the hotline naming
  // only its ward (drawn at the ward's centroid), one on the other side of the city, and one two days old.
  const at = { lat: 21.0285, lon: 105.8542 };
  const events = [
    feedback(1, { reportId: 'PA-1', ts: iso(now - 2 * H), ...at }),
    feedback(2, { reportId: 'PA-2', ts: iso(now - 3 * H), lat: 21.02855, lon: 105.85425 }),
    feedback(3, { reportId: 'PA-3', ts: iso(now - 4 * H), ...at }),
    feedback(4, { reportId: 'PA-3', ts: iso(now - H), ...at, status: 'resolved', unit: 'ubnd-hoan-kiem' }),
    feedback(5, {
      reportId: 'PA-4',
      ts: iso(now - 5 * H),
      lat: undefined,
      lon: undefined,
      area: 'tay_ho',
      channel: 'hotline',
    }),
    feedback(6, { reportId: 'PA-5', ts: iso(now - 6 * H), lat: 20.97, lon: 105.78, category: 'flooding' }),
    feedback(7, { reportId: 'PA-6', ts: iso(now - 48 * H), ...at }),
  ].map((e) => JSON.parse(JSON.stringify(e)) as Record<string, unknown>);
  const sent = await until(
    () => a.call('POST', '/api/ingest?family=feedback', a.token.device, events),
    (r) => r.status === 200,
  );
  expect(sent.body).toMatchObject({ stored: 7, rejected: [] });
  await until(
    () => a.call('GET', '/api/layers/feedback', a.token.operator),
    (r) => r.status === 200 && r.body.reports === 5,
  );
});
afterAll(async () => {
  await a?.engine.dispose();
});

interface Cell {
  lon: number;
  lat: number;
  reports: number;
  open: number;
}
const cells = async (query = '') => {
  const r = await a.call('GET', `/api/layers/feedback${query}`, a.token.operator);
  expect(r.status).toBe(200);
  return r.body as { from: string; to: string; cellDeg: number; reports: number; cells: Cell[] };
};

describe('the feedback layer', () => {
  it("counts the last day's reports per cell, with those still open, busiest first", async () => {
    const body = await cells();
    expect(Date.parse(body.to) - Date.parse(body.from)).toBe(24 * H);
    expect(body.cells.map((c) => [c.reports, c.open])).toEqual([
      [3, 2],
      [1, 1],
      [1, 1],
    ]);
    expect(body.cells[0]!.lon).toBeCloseTo(105.85422, 4);
    // The hotline's report stands at Tây Hồ's centroid, north of the centre.
    const sql = { sql: "SELECT centroid_lon, centroid_lat FROM areas WHERE code = 'tay_ho'" };
    const tayHo = ((await a.call('POST', '/api/sql', a.token.analyst, sql)).body as { rows: number[][] }).rows[0]!;
    expect(body.cells).toContainEqual({ lon: tayHo[0], lat: tayHo[1], reports: 1, open: 1 });
  });

  it('takes a range, a category and open reports only', async () => {
    const range = `?from=${encodeURIComponent(iso(now - 72 * H))}&to=${encodeURIComponent(iso(now))}`;
    expect((await cells(range)).reports).toBe(6);
    expect((await cells('?category=flooding')).cells).toEqual([
      { lon: expect.closeTo(105.78, 6), lat: expect.closeTo(20.97, 6), reports: 1, open: 1 },
    ]);
    expect((await cells('?status=open')).reports).toBe(4);
  });

  it('is for those who read the wall: 401 without a token, 403 for a device', async () => {
    expect(await a.call('GET', '/api/layers/feedback', undefined)).toMatchObject({
      status: 401,
      body: { error: { code: expect.any(String) } },
    });
    expect(await a.call('GET', '/api/layers/feedback', a.token.device)).toMatchObject({
      status: 403,
      body: { error: { code: expect.any(String) } },
    });
    for (const role of ['leader', 'analyst', 'admin'] as const)
      expect((await a.call('GET', '/api/layers/feedback', a.token[role])).status).toBe(200);
  });

  it('refuses bad parameters with a JSON error naming the field', async () => {
    const bad: [string, RegExp][] = [
      ['?from=yesterday', /field "from"/],
      ['?category=potholes', /field "category"/],
      ['?status=closed', /field "status"/],
      [`?from=${encodeURIComponent(iso(now))}&to=${encodeURIComponent(iso(now - H))}`, /"from" must be before "to"/],
      [`?from=${encodeURIComponent(iso(now - 40 * 24 * H))}`, /at most 31 days/],
    ];
    for (const [query, reason] of bad) {
      const r = await a.call('GET', `/api/layers/feedback${query}`, a.token.operator);
      expect(r, query).toMatchObject({
        status: 400,
        body: { error: { code: 'bad_request', message: expect.stringMatching(reason) } },
      });
    }
  });
});
