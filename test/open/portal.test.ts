// The open-data portal on a real engine with AUTH on: an admin publishes an indicator view and a saved query; anyone,
// without a token, reads the catalogue page, its DCAT-AP document and each format, with small cells withheld; nothing
// unpublished is reachable, and everything else still asks for a token.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startAuthEngine, type AuthEngine } from '../access/auth-engine.ts';
import { sensor } from '../support/events.ts';

let s: AuthEngine;
/** The start of the hour the seeded readings fall in (three hours ago, so its window is final). */
const HOUR = Math.floor((Date.now() - 3 * 3_600_000) / 3_600_000) * 3_600_000;
const FROM = new Date(HOUR - 3_600_000).toISOString();
const TO = new Date(HOUR + 2 * 3_600_000).toISOString();
const WORDS = {
  title: { vi: 'Tiếng ồn theo phường', en: 'Noise by ward' },
  description: { vi: 'LAeq giờ theo phường.', en: 'Hourly LAeq by ward.' },
  licence: 'CC-BY-4.0',
  frequency: 'hourly',
  keywords: ['noise', 'tiếng ồn'],
};
const BY_AREA = `SELECT t, area, max(value) AS value, sum(n) AS n FROM noise_laeq
WHERE area IN ('hoan_kiem', 'dong_da') GROUP BY t, area ORDER BY t, area`;

/** A GET without a token, as anyone on the internet would make it. */
async function anyone(path: string, headers: Record<string, string> = {}) {
  const res = await fetch(s.engine.url + path, { headers });
  const bytes = new Uint8Array(await res.arrayBuffer());
  return { status: res.status, headers: res.headers, text: new TextDecoder().decode(bytes), bytes };
}

beforeAll(async () => {
  s = await startAuthEngine({ openRatePerMin: 10_000 });
  // hoan_kiem hears 3 readings in the hour (under the minimum of 5), dong_da 6.
  const readings = [
    ...Array.from({ length: 3 }, (_, i) =>
      sensor(i, 'noise', { id: `hk-${i}`, ts: HOUR + 60_000 * (i + 1), area: 'hoan_kiem', metrics: { laeqDb: 71 } }),
    ),
    ...Array.from({ length: 6 }, (_, i) =>
      sensor(i, 'noise', { id: `dd-${i}`, ts: HOUR + 60_000 * (i + 1), area: 'dong_da', metrics: { laeqDb: 60 } }),
    ),
  ];
  const ingested = await s.call('POST', '/api/ingest?family=sensor', s.token.device, readings);
  expect(ingested.status, JSON.stringify(ingested.body)).toBe(200);
  await s.engine.settle();
  const saved = await s.call('PUT', '/api/queries/noise_two_wards', s.token.analyst, { sql: BY_AREA });
  expect(saved.status, JSON.stringify(saved.body)).toBe(200);
  const view = await s.call('PUT', '/api/open/noise', s.token.admin, { view: 'noise_laeq', ...WORDS });
  expect(view.status, JSON.stringify(view.body)).toBe(200);
  const query = await s.call('PUT', '/api/open/noise-two-wards', s.token.admin, {
    query: 'noise_two_wards',
    ...WORDS,
    licence: 'https://data.hanoi.gov.vn/licence',
    frequency: 'continuous',
  });
  expect(query.status, JSON.stringify(query.body)).toBe(200);
}, 120_000);

afterAll(async () => {
  await s?.engine.dispose();
});

describe('publishing', () => {
  it('records who published and when, from the token', async () => {
    const list = await s.call('GET', '/api/open', s.token.admin);
    expect(list.status).toBe(200);
    const noise = list.body.datasets.find((d: { name: string }) => d.name === 'noise');
    expect(noise).toMatchObject({
      name: 'noise',
      source: { kind: 'view', view: 'noise_laeq' },
      createdBy: 't-admin',
      updatedBy: 't-admin',
      licence: 'CC-BY-4.0',
      frequency: 'hourly',
      available: true,
    });
    const audit = await s.call('POST', '/api/sql', s.token.admin, {
      sql: 'SELECT who, action, name FROM open_changes ORDER BY changed_at, name',
    });
    expect(audit.body.rows).toEqual(
      expect.arrayContaining([
        ['t-admin', 'create', 'noise'],
        ['t-admin', 'create', 'noise-two-wards'],
      ]),
    );
  });

  it('is for admins only: no token 401, other roles 403, a revoked admin 401', async () => {
    s.tokens.create('t-gone', 'admin');
    const gone = s.tokens.create('t-gone-2', 'admin');
    s.tokens.revoke('t-gone-2');
    const body = { view: 'noise_laeq', ...WORDS };
    for (const [method, path, b] of [
      ['GET', '/api/open', undefined],
      ['PUT', '/api/open/x1', body],
      ['DELETE', '/api/open/noise', undefined],
    ] as const) {
      expect((await s.call(method, path, undefined, b)).status).toBe(401);
      expect((await s.call(method, path, gone, b)).status).toBe(401);
      for (const role of ['operator', 'analyst', 'leader', 'device'] as const)
        expect((await s.call(method, path, s.token[role], b)).status, role).toBe(403);
    }
  });

  it('refuses a body that is not a publication, naming the field', async () => {
    const put = (b: unknown) => s.call('PUT', '/api/open/bad', s.token.admin, b);
    const cases: [unknown, RegExp][] = [
      [{ ...WORDS }, /field "view": give exactly one/],
      [{ view: 'noise_laeq', query: 'noise_two_wards', ...WORDS }, /field "view": give exactly one/],
      [{ view: 'noise_laeq', ...WORDS, licence: 'mine' }, /field "licence": must be one of CC-BY-4.0/],
      [{ view: 'noise_laeq', ...WORDS, frequency: 'sometimes' }, /field "frequency"/],
      [
        { view: 'noise_laeq', ...WORDS, title: { vi: 'a\u001b[2J', en: 'b' } },
        /field "title.vi": must not contain control/,
      ],
      [{ view: 'noise_laeq', ...WORDS, description: { vi: 'x'.repeat(2001), en: 'y' } }, /field "description.vi"/],
      [{ view: 'noise_laeq', ...WORDS, keywords: ['a\nb'] }, /field "keywords.0"/],
      [{ view: 'noise_laeq', ...WORDS, extra: 1 }, /extra/],
      [{ view: 'nowhere', ...WORDS }, /field "view": no indicator named "nowhere"/],
      [{ query: 'nothing_saved', ...WORDS }, /field "query": no saved query named "nothing_saved"/],
    ];
    for (const [b, message] of cases) {
      const res = await put(b);
      expect([400, 404], JSON.stringify(res.body)).toContain(res.status);
      expect(res.body.error.message).toMatch(message);
    }
    expect((await s.call('PUT', '/api/open/Bad.Name', s.token.admin, { view: 'noise_laeq', ...WORDS })).status).toBe(
      400,
    );
  });

  it('refuses a saved query that reads anything but indicators, or counts nothing', async () => {
    const refused: [string, RegExp][] = [
      ['SELECT area, count(*) AS n FROM sensor_events GROUP BY area', /reads sensor_events/],
      ['SELECT agency AS area, count(*) AS n FROM service_events GROUP BY ALL', /reads service_events/],
      ['SELECT camera_id AS area, count(*) AS n FROM camera_events GROUP BY ALL', /reads camera_events/],
      ['SELECT count(*) AS n FROM dead_letters', /reads dead_letters/],
      ['SELECT count(*) AS n FROM sql_audit', /reads sql_audit/],
      ['SELECT view AS area, count(*) AS n FROM rollups GROUP BY ALL', /reads rollups/],
      ['SELECT code AS area, 1 AS n FROM areas', /reads areas/],
      [
        'SELECT t, area, value, n FROM noise_laeq UNION ALL SELECT ts, area, laeq_db, 1 FROM sensor_events',
        /sensor_events/,
      ],
      ['SELECT t, area, value, n FROM noise_laeq WHERE n > (SELECT count(*) FROM saved_queries)', /saved_queries/],
      ['WITH x AS (SELECT * FROM sensor_events) SELECT ts AS t, area, 1 AS n FROM x', /sensor_events/],
      ['WITH sensor_events AS (SELECT * FROM noise_laeq) SELECT * FROM sensor_events', /shadows/],
      ['SELECT * FROM main.noise_laeq', /without a schema/],
      ["SELECT * FROM read_csv('/etc/passwd')", /read_csv\(\)/],
      ['SELECT t, area, value FROM noise_laeq', /no column "n"/],
    ];
    for (const [sql, why] of refused) {
      const saved = await s.call('PUT', '/api/queries/try_me', s.token.admin, { sql });
      expect(saved.status, `${sql}: ${JSON.stringify(saved.body)}`).toBe(200);
      const res = await s.call('PUT', '/api/open/try-me', s.token.admin, { query: 'try_me', ...WORDS });
      expect([400, 403], `${sql}: ${JSON.stringify(res.body)}`).toContain(res.status);
      expect(res.body.error.message, sql).toMatch(why);
    }
    expect((await anyone('/open/api/datasets/try-me.csv')).status).toBe(404);
  });

  it('publishes what the saved query said when published, not a later edit', async () => {
    const edit = await s.call('PUT', '/api/queries/noise_two_wards', s.token.analyst, {
      sql: 'SELECT ts AS t, area, laeq_db AS value, 1 AS n FROM sensor_events',
    });
    expect(edit.status).toBe(200);
    const res = await anyone(`/open/api/datasets/noise-two-wards.json?from=${encodeURIComponent(FROM)}`);
    expect(res.status, res.text).toBe(200);
    expect(JSON.parse(res.text).columns).toEqual(['t', 'area', 'value', 'n', 'suppressed']);
    await s.call('PUT', '/api/queries/noise_two_wards', s.token.analyst, { sql: BY_AREA });
  });
});

describe('the portal, without a token', () => {
  it('serves the catalogue page, escaped, in both languages', async () => {
    const res = await anyone('/open/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'self'/);
    expect(res.text).toContain('Tiếng ồn theo phường');
    expect(res.text).toContain('Noise by ward');
    expect(res.text).toContain('/open/api/datasets/noise.csv');
    expect(res.text).toContain('/open/api/datasets/noise.parquet');
    expect(res.text).toMatch(/fewer than 5 events/);
    expect(res.text).not.toMatch(/<script/i);
  });

  it('serves the DCAT-AP document with both datasets and absolute links', async () => {
    const res = await anyone('/open/api/datasets');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/ld\+json/);
    const doc = JSON.parse(res.text);
    expect(doc['@type']).toBe('dcat:Catalog');
    const ids = doc['dcat:dataset'].map((d: { 'dct:identifier': string }) => d['dct:identifier']);
    expect(ids).toEqual(['noise', 'noise-two-wards']);
    expect(doc['dcat:dataset'][0]['dcat:distribution'][0]['dcat:downloadURL']['@id']).toBe(
      `${s.engine.url}/open/api/datasets/noise.csv`,
    );
  });

  it('serves each format of a view, small cells withheld', async () => {
    const q = `?from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}`;
    const json = await anyone(`/open/api/datasets/noise.json${q}`);
    expect(json.status, json.text).toBe(200);
    expect(json.headers.get('x-min-count')).toBe('5');
    expect(json.headers.get('content-disposition')).toBe('attachment; filename="noise.json"');
    const rows = JSON.parse(json.text).rows as {
      t: string;
      area: string;
      value: number | null;
      n: number | null;
      suppressed: boolean;
    }[];
    const at = new Date(HOUR).toISOString();
    expect(rows.find((r) => r.area === 'hoan_kiem' && r.t === at)).toEqual({
      t: at,
      area: 'hoan_kiem',
      value: null,
      n: null,
      suppressed: true,
    });
    const dd = rows.find((r) => r.area === 'dong_da' && r.t === at)!;
    expect(dd).toMatchObject({ n: 6, suppressed: false });
    expect(dd.value).toBeCloseTo(60, 9);
    expect(rows.find((r) => r.area === 'hanoi' && r.t === at)).toMatchObject({ n: 9, suppressed: false });

    const csv = await anyone(`/open/api/datasets/noise.csv${q}&area=hoan_kiem`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = csv.text.trim().split('\r\n');
    expect(lines[0]).toBe('t,area,value,n,suppressed');
    expect(lines.slice(1)).toEqual([`${at},hoan_kiem,,,true`]);

    const parquet = await anyone(`/open/api/datasets/noise.parquet${q}&area=dong_da`);
    expect(parquet.status).toBe(200);
    expect(new TextDecoder().decode(parquet.bytes.slice(0, 4))).toBe('PAR1');
    expect(parquet.headers.get('x-row-count')).toBe('1');
  });

  it('serves a published query with the same rule', async () => {
    const res = await anyone(`/open/api/datasets/noise-two-wards.csv?from=${encodeURIComponent(FROM)}`);
    expect(res.status, res.text).toBe(200);
    const lines = res.text.trim().split('\r\n');
    expect(lines[0]).toBe('t,area,value,n,suppressed');
    const at = new Date(HOUR).toISOString();
    expect(lines).toContain(`${at},hoan_kiem,,,true`);
    expect(lines).toContain(`${at},dong_da,60,6,false`);
  });

  it('answers 304 to a client that has the same version', async () => {
    const path = `/open/api/datasets/noise.csv?from=${encodeURIComponent(FROM)}&to=${encodeURIComponent(TO)}`;
    const first = await anyone(path);
    const etag = first.headers.get('etag')!;
    const modified = first.headers.get('last-modified')!;
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(new Date(modified).getTime()).toBeGreaterThan(0);
    expect((await anyone(path, { 'if-none-match': etag })).status).toBe(304);
    expect((await anyone(path, { 'if-none-match': `"other", ${etag}` })).status).toBe(304);
    expect((await anyone(path, { 'if-modified-since': modified })).status).toBe(304);
    expect((await anyone(path, { 'if-none-match': '"other"' })).status).toBe(200);
    expect((await anyone(`${path}&area=dong_da`, { 'if-none-match': etag })).status).toBe(200);
  });

  it('counts downloads in GET /api/open and /metrics', async () => {
    const before = (await s.call('GET', '/api/open', s.token.admin)).body.datasets.find(
      (d: { name: string }) => d.name === 'noise',
    ).downloads as number;
    const first = await anyone('/open/api/datasets/noise.json');
    expect(first.status).toBe(200);
    // Neither a 304 nor a HEAD is a download.
    expect(
      (await anyone('/open/api/datasets/noise.json', { 'if-none-match': first.headers.get('etag')! })).status,
    ).toBe(304);
    const head = await fetch(`${s.engine.url}/open/api/datasets/noise.json`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('etag')).toBe(first.headers.get('etag'));
    const after = (await s.call('GET', '/api/open', s.token.admin)).body.datasets.find(
      (d: { name: string }) => d.name === 'noise',
    ).downloads as number;
    expect(after).toBe(before + 1);
    const metrics = await s.call('GET', '/metrics', s.token.operator);
    expect(metrics.body).toMatch(new RegExp(`ioc_open_downloads_total\\{dataset="noise"\\} ${after}`));
    expect((await anyone('/open/')).text).toMatch(/Lượt tải \/ Downloads<\/dt><dd>\d+/);
  });

  it('leaves every other route closed', async () => {
    for (const path of [
      '/api/open',
      '/api/indicators',
      '/api/indicators/noise_laeq',
      '/api/queries/noise_two_wards/run',
    ])
      expect((await anyone(path)).status, path).toBe(401);
    const sql = await fetch(`${s.engine.url}/api/sql`, { method: 'POST', body: JSON.stringify({ sql: 'SELECT 1' }) });
    expect(sql.status).toBe(401);
  });
});
