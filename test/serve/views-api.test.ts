// POST/PUT/DELETE /api/views as a hostile or careless analyst would use them: every bad definition is a 400 naming its
// line and problem, every clash a 409, every SQL that reaches outside the city's tables a 403; and only analysts
// create views, only their author or an admin changes one.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveApp, type ServeApp } from './serve-app.ts';

const NOISE = readFileSync('views/noise/noise_laeq.sql', 'utf8').replace('-- name: noise_laeq', '-- name: my_noise');
/** A rolling view over a base that is not there. */
const ROLLING = [
  '-- name: my_roll',
  '-- title.vi: Thử',
  '-- title.en: Test',
  '-- unit: µg/m³',
  '-- window: 1m',
  '-- base: nowhere',
  '-- range: 3h',
  '-- theme: air',
].join('\n');
const text = (body: string) => ({ body, headers: { 'content-type': 'text/plain' } });

describe('POST /api/views refuses what the engine would not load', () => {
  let s: ServeApp;
  beforeAll(async () => {
    s = await serveApp();
  });
  afterAll(async () => {
    await s.close();
  });

  const cases: [what: string, view: string, status: number, message: RegExp, line?: number][] = [
    ['an unknown header key', NOISE.replace('-- keys: area', '-- colour: red'), 400, /unknown key colour/, 8],
    ['a window that does not divide the day', NOISE.replace('window: 1h', 'window: 7m'), 400, /window: must divide/, 5],
    ['a bad name', NOISE.replace('name: my_noise', 'name: My-Noise'), 400, /name: must be snake_case/, 1],
    [
      'a title that drives a terminal',
      NOISE.replace('title.en: Noise level', 'title.en: \u001b[2JNoise level'),
      400,
      /title\.en: must not contain control characters/,
      3,
    ],
    ['no source', NOISE.replace('-- source: sensor\n', ''), 400, /source: is required/],
    ['an unknown family', NOISE.replace('source: sensor', 'source: drone'), 400, /source:/, 6],
    ['no SELECT', NOISE.slice(0, NOISE.indexOf('SELECT')), 400, /no SELECT/],
    ['no $from/$to', NOISE.replace('ts >= $from AND ts < $to AND ', ''), 400, /bound event time with \$from and \$to/],
    ['a column that does not exist', NOISE.replace('laeq_db / 10', 'laeq_dbx / 10'), 400, /laeq_dbx/, 18],
    ['a missing output column', NOISE.replace('count(*) AS n,', ''), 400, /must return columns t, area, value, n/],
    ['a base that does not exist', ROLLING, 400, /base view "nowhere" does not exist/],
    ['a file view name', NOISE.replace('name: my_noise', 'name: pm25'), 409, /defined in views\/air\/pm25\.sql/],
    ['a table name', NOISE.replace('name: my_noise', 'name: camera_events'), 409, /camera_events.*table/],
    ['a second statement', `${NOISE};\nDROP TABLE camera_events`, 403, /2 statements/],
    [
      'a file read',
      NOISE.replace('FROM sensor_events', "FROM read_csv('/etc/passwd')"),
      403,
      /read_csv\(\) reads outside/,
    ],
    ['a glob', NOISE.replace('FROM sensor_events', "FROM glob('/*')"), 403, /glob\(\) reads outside/],
    ["others' queries", NOISE.replace('FROM sensor_events', 'FROM sensor_events, sql_audit'), 403, /sql_audit/],
    [
      'a setting',
      NOISE.replace('count(*) AS n,', "count(*) AS n, current_setting('memory_limit') AS x,"),
      403,
      /current_setting/,
    ],
    [
      'another database',
      NOISE.replace('FROM sensor_events', 'FROM system.main.sensor_events'),
      403,
      /without a schema/,
    ],
  ];

  for (const [what, view, status, message, line] of cases) {
    it(`refuses ${what}`, async () => {
      const res = await s.request('POST', '/api/views', text(view));
      expect(res.status, JSON.stringify(res.body)).toBe(status);
      expect(res.body.error.message).toMatch(message);
      if (line !== undefined) expect(res.body.error.line).toBe(line);
    });
  }

  it('takes every file view as a runtime view under another name (the examples analysts start from)', async () => {
    for (const v of s.ctx.views.filter((x) => !x.hidden && !x.file.startsWith('api:'))) {
      const copy = readFileSync(v.file, 'utf8').replace(`-- name: ${v.name}`, `-- name: copy_${v.name}`);
      await expect(s.ctx.liveViews!.check(copy), v.file).resolves.toBeTruthy();
    }
  });

  it("puts a view whose header says briefing: true among the briefing's headline indicators", async () => {
    const view = NOISE.replace('my_noise', 'briefed_noise').replace(
      '-- keys: area',
      '-- keys: area\n-- briefing: true',
    );
    expect((await s.request('POST', '/api/views', text(view))).status).toBe(201);
    const briefing = await s.request('GET', '/api/briefing?date=2026-12-01');
    expect(briefing.status).toBe(200);
    expect(briefing.body.kpis.map((k: { name: string }) => k.name)).toContain('briefed_noise');
    expect(briefing.body.kpis.map((k: { name: string }) => k.name)).not.toContain('my_noise');
  });

  it('refuses bodies that hold no view, as text or JSON', async () => {
    expect((await s.request('POST', '/api/views', text(''))).body.error.message).toMatch(/holds no view/);
    const noSource = await s.request('POST', '/api/views', { body: { sql: 'SELECT 1' } });
    expect(noSource.status).toBe(400);
    expect(noSource.body.error.message).toMatch(/field "source"/);
    const broken = await s.request('POST', '/api/views', { body: '{"source": ', headers: {} });
    expect(broken.body.error.message).toMatch(/not valid JSON/);
    expect((await s.request('POST', '/api/views', text(`${NOISE}\0`))).body.error.message).toMatch(/NUL/);
    const huge = await s.request('POST', '/api/views', text(`${NOISE}\n-- ${'x'.repeat(70_000)}`));
    expect(huge.status).toBe(413);
  });

  it('takes JSON {source}, refuses the same name twice, and previews the first windows', async () => {
    const created = await s.request('POST', '/api/views', { body: { source: NOISE } });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    expect(created.body).toMatchObject({ name: 'my_noise', origin: 'runtime', text: NOISE });
    const again = await s.request('POST', '/api/views', text(NOISE));
    expect(again.status).toBe(409);
    expect(again.body.error.message).toMatch(/PUT \/api\/views\/my_noise/);
    const renamed = await s.request('PUT', '/api/views/my_noise', text(NOISE.replace('name: my_noise', 'name: other')));
    expect(renamed.status).toBe(400);
    expect(renamed.body.error.message).toMatch(/keeps its name/);
    const file = await s.request('DELETE', '/api/views/pm25');
    expect(file.status).toBe(409);
    const preview = await s.request('POST', '/api/views/preview', text(NOISE.replace('my_noise', 'preview_only')));
    expect(preview.status, JSON.stringify(preview.body)).toBe(200);
    expect(preview.body.columns.map((c: { name: string }) => c.name)).toEqual([
      't',
      'area',
      'value',
      'n',
      'sources',
      'late',
    ]);
    expect((await s.request('GET', '/api/views/preview_only')).status).toBe(404);
    const list = (await s.request('GET', '/api/views')).body.views;
    expect(list.find((v: { name: string }) => v.name === 'pm25')).toMatchObject({ origin: 'file', status: 'live' });
    expect(list.find((v: { name: string }) => v.name === 'my_noise')).toMatchObject({ origin: 'runtime' });
  });

  it('answers a read that meets a view half deleted (its SQL view gone, the catalogue not yet told) with 404', async () => {
    const made = await s.request('POST', '/api/views', text(NOISE.replace(/my_noise/g, 'half_gone')));
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect((await s.request('GET', '/api/indicators/half_gone')).status).toBe(200);
    await s.ctx.reader.run('DROP VIEW half_gone');
    const read = await s.request('GET', '/api/indicators/half_gone');
    expect(read.status).toBe(404);
    expect(read.body.error.message).toMatch(/no indicator named "half_gone"/);
  });
});

describe('who may make and change views', () => {
  let s: ServeApp;
  let tokens: Record<string, string>;
  beforeAll(async () => {
    s = await serveApp({ auth: 'on' });
    tokens = {
      ana: s.tokens.create('ana', 'analyst'),
      bao: s.tokens.create('bao', 'analyst'),
      op: s.tokens.create('op', 'operator'),
      admin: s.tokens.create('root', 'admin'),
    };
  });
  afterAll(async () => {
    await s.close();
  });

  it('lets analysts create, their own author change, and an admin delete', async () => {
    expect((await s.request('POST', '/api/views', text(NOISE))).status).toBe(401);
    expect((await s.request('POST', '/api/views', { ...text(NOISE), token: tokens.op })).status).toBe(403);
    const made = await s.request('POST', '/api/views', { ...text(NOISE), token: tokens.ana });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body.createdBy).toBe('ana');
    expect((await s.request('GET', '/api/views/my_noise', { token: tokens.op })).status).toBe(200);
    const theirs = await s.request('DELETE', '/api/views/my_noise', { token: tokens.bao });
    expect(theirs.status).toBe(403);
    expect(theirs.body.error.message).toMatch(/created by ana/);
    expect((await s.request('PUT', '/api/views/my_noise', { ...text(NOISE), token: tokens.bao })).status).toBe(403);
    s.tokens.revoke('ana');
    expect((await s.request('DELETE', '/api/views/my_noise', { token: tokens.ana })).status).toBe(401);
    expect((await s.request('DELETE', '/api/views/my_noise', { token: tokens.admin })).status).toBe(200);
    expect((await s.request('GET', '/api/views/my_noise', { token: tokens.admin })).status).toBe(404);
  });
});

describe('a view too costly for the engine to run every tick', () => {
  let s: ServeApp;
  beforeAll(async () => {
    s = await serveApp({ sqlTimeoutMs: 300 });
    await s.ctx.reader.run(`INSERT INTO sensor_events (id, ts, sensor_id, kind, lat, lon, laeq_db, area, received_at)
      SELECT 'n' || i, now() - INTERVAL 1 HOUR, 'sen-noise-1', 'noise', 21.02, 105.84, 60 + i, 'hang_bo', now()
      FROM range(20) r(i)`);
  });
  afterAll(async () => {
    await s.close();
  });

  it('is refused after a trial over its last day in the sandbox, and so is a redefinition into one', async () => {
    // Cheap to check, costly to run: a cross join the sandbox's time limit stops.
    const heavy = NOISE.replace(
      'FROM sensor_events',
      'FROM sensor_events, range(100000000) a(i), range(100000) b(j)',
    ).replace('laeq_db IS NOT NULL', 'laeq_db IS NOT NULL OR a.i + b.j > 0');
    const slow = await s.request('POST', '/api/views', text(heavy));
    expect(slow.status, JSON.stringify(slow.body)).toBe(400);
    expect(slow.body.error.message).toMatch(/last day of events did not finish within an analyst's limits/);
    expect((await s.request('GET', '/api/views/my_noise')).status).toBe(404);
    // The same view without the cross join is taken.
    expect((await s.request('POST', '/api/views', text(NOISE))).status).toBe(201);
    expect((await s.request('PUT', '/api/views/my_noise', text(heavy))).status).toBe(400);
  });
});
