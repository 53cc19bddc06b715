// GET /api/alerts and /api/incidents: each query parameter becomes a typed filter the store binds as a parameter, and
// a bad value is refused with a message naming its field.
import { Hono } from 'hono';
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
      1, 1, 'm', to_timestamp($at), to_timestamp($at), NULL, NULL, NULL, NULL, NULL, $incident, to_timestamp($at))`,
      { id, rule, severity, area, status, incident, at: 1_800_000_000 + i * 60 },
    );
  }
  for (const [id, status, at] of [
    ['i-1', 'acknowledged', 0],
    ['i-2', 'resolved', 60],
  ] as const) {
    await conn.run(
      `INSERT INTO incidents VALUES ($id, 'flooding', 'hoan_kiem', $status, to_timestamp($at),
      to_timestamp($at), NULL, NULL, '[]'::JSON, to_timestamp($at))`,
      { id, status, at: 1_800_000_000 + at },
    );
  }
  app = new Hono().onError(onError(log)).route(
    '/api',
    // Only reads here: an action reaching the command bus would be a mistake of the test.
    alertRoutes(
      engine,
      localBus(() => Promise.reject(new Error('no actions in this test'))),
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

  it('refuses an unknown status naming the field', async () => {
    expect(await get('/api/incidents?status=maybe')).toEqual({
      status: 400,
      body: {
        error: { code: 'bad_request', message: 'field "status": must be open, acknowledged, resolved or active' },
      },
    });
  });
});
