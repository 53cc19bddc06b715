// No route of the portal reaches anything not published: path tricks, unknown, withdrawn and unpublished names, and
// query strings carrying SQL all end in a JSON 404 or 400, never in data. Plus the limit per address, and the rule that
// security incidents are never published.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ViewDef } from '../../engine/views/index.ts';
import { isPublishableFamily } from '../../engine/open/index.ts';
import { serveApp, type ServeApp } from '../serve/serve-app.ts';

let a: ServeApp;
let admin: string;
const WORDS = {
  title: { vi: 'Lưu lượng', en: 'Flow' },
  description: { vi: 'Xe mỗi phút.', en: 'Vehicles per minute.' },
  licence: 'CC0-1.0',
  frequency: 'continuous',
  keywords: [],
};

beforeAll(async () => {
  a = await serveApp({ auth: 'on', openRatePerMin: 100_000 });
  admin = a.tokens.create('t-admin', 'admin');
  for (const [name, view] of [
    ['traffic', 'traffic_flow'],
    ['gone', 'avg_speed'],
  ])
    expect((await a.request('PUT', `/api/open/${name}`, { token: admin, body: { view, ...WORDS } })).status).toBe(200);
  expect((await a.request('DELETE', '/api/open/gone', { token: admin })).status).toBe(200);
});
afterAll(async () => {
  await a?.close();
});

/** A path exactly as written, not normalised by a URL parser on the way. */
async function raw(path: string) {
  const res = await a.app.fetch(new Request(`http://localhost${path}`));
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text() };
}

describe('reaching past the publications', () => {
  const tricks = [
    '/open/api/datasets/gone.csv',
    '/open/api/datasets/avg_speed.csv',
    '/open/api/datasets/pm25.json',
    '/open/api/datasets/camera_events.csv',
    '/open/api/datasets/sql_audit.json',
    '/open/api/datasets/nothing.csv',
    '/open/api/datasets/traffic',
    '/open/api/datasets/traffic.',
    '/open/api/datasets/traffic.xml',
    '/open/api/datasets/traffic.csv.json',
    '/open/api/datasets/traffic.json.csv',
    '/open/api/datasets/traffic.CSV',
    '/open/api/datasets/TRAFFIC.csv',
    '/open/api/datasets/.csv',
    '/open/api/datasets/..csv',
    '/open/api/datasets/traffic%00.csv',
    '/open/api/datasets/traffic.csv%00',
    '/open/api/datasets/%2e%2e%2fapi%2fhealth.json',
    '/open/api/datasets/..%2f..%2fapi%2fsql.csv',
    '/open/api/datasets/%2e%2e/%2e%2e/api/health',
    '/open/api/datasets/../../../etc/passwd',
    '/open/api/datasets/traffic/..%2f..%2fcamera_events.csv',
    '/open/api/datasets/traffic.csv/extra',
    '/open/api/datasets/traffic%2fcsv',
    '/open/api/datasets/a.b.csv',
    `/open/api/datasets/${'x'.repeat(5000)}.csv`,
    `/open/api/datasets/t${'a'.repeat(64)}.csv`,
    '/open/api/datasets/traffic.csv?area=hoan_kiem%27%20OR%201%3D1--',
    "/open/api/datasets/traffic.csv?area=x'%3BDROP TABLE rollups",
    '/open/api/datasets/traffic.csv?from=1%20OR%201=1',
    '/open/api/datasets/traffic.csv?to=now()',
    '/open/api/datasets/traffic.csv?sql=SELECT%20*%20FROM%20camera_events',
    '/open/api/datasets/traffic.csv?area=atlantis',
    '/open/api/datasets/traffic.csv?area=hoan_kiem&area=dong_da',
    '/open/api/datasets/traffic.csv?from=',
    '/open/api/datasets/traffic.csv?from=2026-11-28T00:00:00Z&to=2026-11-27T00:00:00Z',
    '/open/api/datasets/traffic.csv?from=2020-01-01T00:00:00Z&to=2026-11-27T00:00:00Z',
    '/open/api/datasets/',
    '/open/api/datasets/%20.csv',
    '/open/api',
    '/open/api/sql',
    '/open/../api/sql',
    '/open/%2e%2e/api/catalog',
  ];
  for (const path of tricks)
    it(`answers ${path.length > 80 ? `${path.slice(0, 80)}…` : path} with a JSON refusal`, async () => {
      const res = await raw(path);
      // /open/../api/sql is /api/sql to every URL parser: it is refused like any other API path.
      expect([400, 401, 403, 404], res.text).toContain(res.status);
      expect(res.type).toMatch(/^application\/json/);
      expect(JSON.parse(res.text)).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
      expect(res.text).not.toMatch(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z,/);
    });

  it('a withdrawn dataset leaves the catalogue, and an unpublished view is not in it', async () => {
    const doc = (await a.request('GET', '/open/api/datasets')).body;
    expect(doc['dcat:dataset'].map((d: { 'dct:identifier': string }) => d['dct:identifier'])).toEqual(['traffic']);
    const page = await a.request('GET', '/open/');
    expect(page.body).not.toContain('gone.csv');
    expect((await a.request('DELETE', '/api/open/gone', { token: admin })).status).toBe(404);
  });

  it('the published dataset itself is served, without a token (an encoded dot is the same name)', async () => {
    for (const path of [
      '/open/api/datasets/traffic.csv?area=hoan_kiem',
      '/open/api/datasets/traffic%2ecsv?area=hoan_kiem',
    ]) {
      const res = await raw(path);
      expect(res.status).toBe(200);
      expect(res.text).toBe('t,area,value,n,suppressed\r\n');
    }
  });
});

describe('security incidents', () => {
  it('are never a publishable family', () => {
    expect(isPublishableFamily('security')).toBe(false);
    for (const f of ['camera', 'sensor', 'service', 'feedback']) expect(isPublishableFamily(f)).toBe(true);
  });

  it('a view whose source is security is refused, and leaves the portal if it became one', async () => {
    const base = a.ctx.views.find((v) => v.name === 'traffic_flow')!;
    const views = a.ctx.views as ViewDef[];
    const view: ViewDef = { ...base, name: 'turned_security' };
    views.push(view);
    try {
      const put = (name: string) =>
        a.request('PUT', `/api/open/${name}`, { token: admin, body: { view: 'turned_security', ...WORDS } });
      expect((await put('was-camera')).status).toBe(200);
      view.source = 'security' as ViewDef['source'];
      const res = await put('incidents');
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/security events, which are never published/);
      const doc = (await a.request('GET', '/open/api/datasets')).body;
      expect(doc['dcat:dataset'].map((d: { 'dct:identifier': string }) => d['dct:identifier'])).toEqual(['traffic']);
      expect((await a.request('GET', '/open/api/datasets/was-camera.json')).status).toBe(404);
    } finally {
      views.pop();
      await a.request('DELETE', '/api/open/was-camera', { token: admin });
    }
  });

  it('a view that reads security events under another source is refused too', async () => {
    const base = a.ctx.views.find((v) => v.name === 'traffic_flow')!;
    expect(base.sql).toMatch(/camera_events/);
    const views = a.ctx.views as ViewDef[];
    views.push({ ...base, name: 'sneaky', sql: base.sql.replaceAll('camera_events', 'security_events') });
    try {
      const res = await a.request('PUT', '/api/open/sneaky', { token: admin, body: { view: 'sneaky', ...WORDS } });
      expect(res.status).toBe(400);
      expect(res.body.error.message).toMatch(/"sneaky" reads security events, which are never published/);
      const sql = 'SELECT t, area, value, n FROM sneaky';
      expect((await a.request('PUT', '/api/queries/via_sneaky', { token: admin, body: { sql } })).status).toBe(200);
      const query = await a.request('PUT', '/api/open/via-sneaky', {
        token: admin,
        body: { query: 'via_sneaky', ...WORDS },
      });
      expect(query.status).toBe(400);
      expect(query.body.error.message).toMatch(/reads sneaky, which is not a publishable indicator/);
      // The incidents folded from those events are the same family's.
      views.push({ ...base, name: 'folded', sql: base.sql.replaceAll('camera_events', 'security_incidents') });
      const folded = await a.request('PUT', '/api/open/folded', { token: admin, body: { view: 'folded', ...WORDS } });
      expect(folded.status).toBe(400);
      expect(folded.body.error.message).toMatch(/"folded" reads security events, which are never published/);
      views.pop();
    } finally {
      views.pop();
    }
  });
});

describe('the limit per client address', () => {
  it('answers 429 with Retry-After past OPEN_RATE_PER_MIN', async () => {
    const own = await serveApp({ auth: 'on', openRatePerMin: 3 });
    try {
      for (let i = 0; i < 3; i++) expect((await own.request('GET', '/open/api/datasets')).status).toBe(200);
      const over = await own.request('GET', '/open/api/datasets/x.csv');
      expect(over.status).toBe(429);
      expect(over.body.error).toEqual({ code: 'rate_limited', message: expect.stringMatching(/OPEN_RATE_PER_MIN/) });
      expect(Number(over.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(Number(over.headers.get('retry-after'))).toBeLessThanOrEqual(20);
      // Token holders' API is not behind the portal's limit.
      const op = own.tokens.create('op', 'operator');
      expect((await own.request('GET', '/api/indicators', { token: op })).status).toBe(200);
    } finally {
      await own.close();
    }
  });
});
