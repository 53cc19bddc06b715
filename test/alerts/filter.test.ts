// GET /api/alerts and /api/incidents: each query parameter becomes a typed filter the store binds as a parameter, and
// a bad value is refused with a message naming its field.
import { Hono } from 'hono';
import { DEFAULT_AREAS_FILE, loadAreas } from '../../engine/geo/index.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AlertEngine } from '../../engine/alerts/index.ts';
import { localBus } from '../../engine/cluster/index.ts';
import { Database, type Connection } from '../../engine/db.ts';
import { createLogger } from '../../engine/log.ts';
import { alertRoutes } from '../../engine/serve/alerts.ts';
import { onError } from '../../engine/serve/errors.ts';

const log = createLogger('silent');
let db: Database;
let conn: Connection;
let engine: AlertEngine;
let app: Hono;

/** id, rule, severity, area, status, incident: opened a minute apart, a-1 first. */
const ROWS = [
  ['a-1', 'heavy_rain', 'warning', 'hoan_kiem', 'open', 'i-1'],
  ['a-2', 'water_high', 'critical', 'hoan_kiem', 'acknowledged', 'i-1'],
  ['a-3', 'heavy_rain', 'warning', 'tay_ho', 'resolved', 'i-2'],
  ['a-4', 'air_bad', 'info', "o'hare", 'open', null],
] as const;

beforeAll(async () => {
  db = await Database.open(':memory:');
  conn = await db.connect();
  engine = new AlertEngine(conn, [], [], log);
  await engine.init();
  for (const [i, [id, rule, severity, area, status, incident]] of ROWS.entries()) {
    await conn.run(
      `INSERT INTO alerts VALUES ($id, $rule, 'threshold', $severity, $area, $rule, 'vi', 'en', $status,
      1, 1, 'm', to_timestamp($at), to_timestamp($at), NULL, NULL, NULL, NULL, NULL, $incident, to_timestamp($at), NULL)`,
      { id, rule, severity, area, status, incident, at: 1_800_000_000 + i * 60 },
    );
  }
  // a-3 lived from its opening (120 s) to 210 s: what a replayed day asks about.
  await conn.run(`UPDATE alerts SET resolved_at = to_timestamp(1800000210) WHERE id = 'a-3'`);
  for (const [id, status, at] of [
    ['i-1', 'acknowledged', 0],
    ['i-2', 'resolved', 60],
  ] as const) {
    await conn.run(
      `INSERT INTO incidents (id, type, area, status, evidence_since, detected_at, acknowledged_at, resolved_at, checklist,
        updated_at) VALUES ($id, 'flooding', 'hoan_kiem', $status, to_timestamp($at), to_timestamp($at), NULL, NULL,
        '[]'::JSON, to_timestamp($at))`,
      { id, status, at: 1_800_000_000 + at },
    );
  }
  app = new Hono().onError(onError(log)).route(
    '/api',
    // Only reads here: an action reaching the command bus would be a mistake of the test.
    alertRoutes(
      engine,
      localBus(() => Promise.reject(new Error('no actions in this test'))),
      await loadAreas(DEFAULT_AREAS_FILE),
    ),
  );
});
afterAll(() => {
  conn?.close();
  db?.close();
});

interface Answer {
  alerts: { id: string }[];
  incidents: { id: string }[];
  error: { code: string; message: string };
}
async function get(path: string): Promise<{ status: number; body: Answer }> {
  const res = await app.request(path);
  return { status: res.status, body: (await res.json()) as Answer };
}
const ids = async (query: string): Promise<string[]> => {
  const { status, body } = await get(`/api/alerts${query}`);
  expect(status, query).toBe(200);
  return body.alerts.map((a) => a.id);
};

describe('the alert filter', () => {
  it('without parameters: every alert, newest first', async () => {
    expect(await ids('')).toEqual(['a-4', 'a-3', 'a-2', 'a-1']);
  });

  it.each([
    ['?status=open', ['a-4', 'a-1']],
    ['?status=acknowledged', ['a-2']],
    ['?status=resolved', ['a-3']],
    ['?status=active', ['a-4', 'a-2', 'a-1']],
    ['?area=hoan_kiem', ['a-2', 'a-1']],
    ['?rule=heavy_rain', ['a-3', 'a-1']],
    ['?severity=critical', ['a-2']],
    ['?incident=i-1', ['a-2', 'a-1']],
    ['?limit=2', ['a-4', 'a-3']],
    ['?rule=heavy_rain&status=active&area=hoan_kiem', ['a-1']],
    ['?area=nowhere', []],
    // Only the engine looks alerts up by id: as a query parameter it is ignored, like any unknown one.
    ['?id=a-1&colour=red', ['a-4', 'a-3', 'a-2', 'a-1']],
  ])('%s', async (query, expected) => {
    expect(await ids(query)).toEqual(expected);
  });

  const at = (s: number): string => new Date((1_800_000_000 + s) * 1000).toISOString();
  it.each([
    ['still living at the start, or opened since', `from=${at(200)}&to=${at(230)}`, ['a-4', 'a-3', 'a-2', 'a-1']],
    ['not one resolved before the start', `from=${at(215)}`, ['a-4', 'a-2', 'a-1']],
    ['not one opened at the end or after', `to=${at(120)}`, ['a-2', 'a-1']],
    ['a span in the middle', `from=${at(61)}&to=${at(150)}`, ['a-3', 'a-2', 'a-1']],
    ['with the other filters', `from=${at(0)}&to=${at(300)}&status=open&area=hoan_kiem`, ['a-1']],
    ['an offset other than UTC', `from=${encodeURIComponent('2027-01-15T15:03:35+07:00')}`, ['a-4', 'a-2', 'a-1']],
  ])('?from=&to=: the alerts whose life overlaps the span, %s', async (_why, query, expected) => {
    expect(await ids(`?${query}`)).toEqual(expected);
  });

  it.each([
    ['status=maybe', 'status', /^field "status": Invalid option/],
    ['area=ba%20dinh', 'area', /^field "area": must be a code such as ba_dinh$/],
    ["area=o'hare", 'area', /^field "area": must be a code such as ba_dinh$/],
    ['rule=a;b', 'rule', /^field "rule": must be a code/],
    ['severity=loud', 'severity', /^field "severity": Invalid option/],
    [`incident=${'i'.repeat(65)}`, 'incident', /^field "incident": /],
    ['limit=0', 'limit', /^field "limit": /],
    ['limit=10001', 'limit', /^field "limit": /],
    ['limit=many', 'limit', /^field "limit": /],
    ['limit=1.5', 'limit', /^field "limit": /],
    ['from=yesterday', 'from', /^field "from": must be an RFC 3339 time with an offset/],
    ['to=2027-01-15', 'to', /^field "to": must be an RFC 3339 time/],
  ])('refuses %s naming the field %s', async (query, _field, message) => {
    const { status, body } = await get(`/api/alerts?${query}`);
    expect(status).toBe(400);
    expect(body.error).toMatchObject({ code: 'bad_request', message: expect.stringMatching(message) });
  });

  it('binds values: a quote in a value is a character to match, not SQL', async () => {
    expect((await engine.list({ area: "o'hare" })).map((a) => a.id)).toEqual(['a-4']);
    expect(await engine.list({ area: "x' OR '1'='1" })).toEqual([]);
    expect((await engine.list({ id: 'a-2' })).map((a) => a.rule)).toEqual(['water_high']);
  });
});

describe('the incident filter', () => {
  const incidentIds = async (query: string): Promise<string[]> => {
    const { status, body } = await get(`/api/incidents${query}`);
    expect(status, query).toBe(200);
    return body.incidents.map((i) => i.id);
  };

  it('by status, active for any not yet resolved; an empty one is no filter', async () => {
    expect(await incidentIds('')).toEqual(['i-2', 'i-1']);
    expect(await incidentIds('?status=')).toEqual(['i-2', 'i-1']);
    expect(await incidentIds('?status=active')).toEqual(['i-1']);
    expect(await incidentIds('?status=resolved')).toEqual(['i-2']);
    expect(await incidentIds('?status=open')).toEqual([]);
    expect((await engine.incidents({ id: 'i-1' }))[0]).toMatchObject({ id: 'i-1', alerts: 2 });
  });

  it('?from=&to=: the incidents whose life overlaps the span, from detection to resolution', async () => {
    // i-1 detected at 0 and still acknowledged; i-2 detected at 60, resolved at 90.
    await conn.run(`UPDATE incidents SET resolved_at = to_timestamp(1800000090) WHERE id = 'i-2'`);
    const at = (s: number): string => encodeURIComponent(new Date((1_800_000_000 + s) * 1000).toISOString());
    expect(await incidentIds(`?from=${at(70)}&to=${at(80)}`)).toEqual(['i-2', 'i-1']);
    expect(await incidentIds(`?from=${at(91)}&to=${at(300)}`)).toEqual(['i-1']);
    expect(await incidentIds(`?from=${at(0)}&to=${at(60)}`)).toEqual(['i-1']);
    expect(await incidentIds(`?to=${at(0)}`)).toEqual([]);
    expect(await incidentIds(`?from=${at(50)}&to=${at(100)}&status=resolved`)).toEqual(['i-2']);
    for (const [query, field] of [
      ['from=yesterday', 'from'],
      ['to=2027-01-15', 'to'],
    ] as const) {
      const { status, body } = await get(`/api/incidents?${query}`);
      expect(status).toBe(400);
      expect(body.error.message).toMatch(new RegExp(`^field "${field}": must be an RFC 3339 time`));
    }
  });

  it('refuses an unknown status naming the field', async () => {
    expect(await get('/api/incidents?status=maybe')).toEqual({
      status: 400,
      body: {
        error: { code: 'bad_request', message: 'field "status": must be open, acknowledged, resolved or active' },
      },
    });
  });
});
