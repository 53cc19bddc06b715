// Alert rules made over HTTP on a running engine: checked like the files' rules, judged from the next tick on (over a
// view made at run time too), kept across a restart, and their open alerts resolved when they are deleted.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytes, sensor } from '../support/events.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';

const LOUD = [
  '-- name: loud_now',
  '-- title.vi: Ồn',
  '-- title.en: Loud',
  '-- kind: threshold',
  '-- indicator: rt_loud',
  '-- above: 60',
  '-- clear: 50',
  '-- severity: warning',
].join('\n');

const VIEW = [
  '-- name: rt_loud',
  '-- title.vi: Ồn',
  '-- title.en: Loud',
  '-- unit: dB(A)',
  '-- window: 5m',
  '-- source: sensor',
  '-- theme: noise',
  'SELECT $bucket AS t, $area AS area, max(laeq_db) AS value, count(*) AS n FROM sensor_events',
  "WHERE ts >= $from AND ts < $to AND kind = 'noise' GROUP BY $group",
].join('\n');

const plain = { 'content-type': 'text/plain' };

function noise(engine: TestEngine, db: number, n: number): void {
  for (let i = 0; i < n; i++) {
    const e = sensor(i, 'noise', { id: `n-${db}-${Date.now()}-${i}`, ts: Date.now() - 1000, metrics: { laeqDb: db } });
    engine.ingest({
      source: 'test',
      topic: 'city/sensor/x',
      payload: bytes(e),
      receivedAt: Date.now(),
      ack: () => undefined,
    });
  }
}

describe('alert rules made at run time', () => {
  let engine: TestEngine;
  beforeAll(async () => {
    engine = await startTestEngine();
  }, 60_000);
  afterAll(async () => {
    await engine?.dispose();
  });

  it('refuses what the engine would not load', async () => {
    const unknown = await engine.post('/api/rules', LOUD, plain);
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.message).toMatch(/indicator: "rt_loud" does not exist/);
    const badKey = await engine.post('/api/rules', LOUD.replace('-- clear: 50', '-- clean: 50'), plain);
    expect(badKey.body.error).toMatchObject({ line: 7, message: expect.stringMatching(/unknown key clean/) });
    const both = await engine.post('/api/rules', `${LOUD}\n-- below: 3`.replace('rt_loud', 'noise_laeq'), plain);
    expect(both.body.error.message).toMatch(/exactly one of above: or below:/);
    const file = await engine.post('/api/rules', LOUD.replace('loud_now', 'air_bad').replace('rt_loud', 'aqi'), plain);
    expect(file.status).toBe(409);
    expect(file.body.error.message).toMatch(/views\/alerts\/air_bad\.rule/);
    expect((await fetch(`${engine.url}/api/rules/air_bad`, { method: 'DELETE' })).status).toBe(409);
  });

  it('judges a new rule over a new view from the next tick, and resolves its alerts when deleted', async () => {
    expect((await engine.post('/api/views', VIEW, plain)).status).toBe(201);
    const made = await engine.post('/api/rules', LOUD, plain);
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    expect(made.body).toMatchObject({ name: 'loud_now', origin: 'runtime', indicator: 'rt_loud', status: 'active' });
    noise(engine, 75, 20);
    const opened = await until(
      async () => (await engine.get('/api/alerts?status=active')).body.alerts as { rule: string; id: string }[],
      (alerts) => alerts.some((a) => a.rule === 'loud_now'),
      20_000,
    );
    const id = opened.find((a) => a.rule === 'loud_now')!.id;

    // The view is judged: it stays while the rule does.
    const inUse = await fetch(`${engine.url}/api/views/rt_loud`, { method: 'DELETE' });
    expect(inUse.status).toBe(409);
    expect(((await inUse.json()) as any).error.message).toMatch(/loud_now/);

    // Kept across a restart.
    const dir = engine.dir;
    await engine.stop();
    engine = await startTestEngine({ dataDir: dir });
    expect((await engine.get('/api/rules/loud_now')).body).toMatchObject({ origin: 'runtime', createdBy: 'anonymous' });

    expect((await fetch(`${engine.url}/api/rules/loud_now`, { method: 'DELETE' })).status).toBe(200);
    const [alert] = (await engine.get(`/api/alerts?status=resolved`)).body.alerts.filter(
      (a: { id: string }) => a.id === id,
    );
    expect(alert).toMatchObject({ status: 'resolved', resolvedBy: 'engine' });
    expect((await engine.get('/api/rules/loud_now')).status).toBe(404);
    expect((await fetch(`${engine.url}/api/views/rt_loud`, { method: 'DELETE' })).status).toBe(200);
  }, 90_000);

  it('takes views and rules kept as files with ioc views|rules push, and lists and removes them', async () => {
    const dir = engine.dir;
    const ioc = (...args: string[]) => cli(engine.url, ...args);
    const view = join(dir, 'cli_loud.sql');
    const rule = join(dir, 'cli_loud.rule');
    writeFileSync(view, VIEW.replaceAll('rt_loud', 'cli_loud'));
    writeFileSync(rule, LOUD.replace('loud_now', 'cli_loud_now').replace('rt_loud', 'cli_loud'));
    const made = await ioc('views', 'push', view);
    expect(made, made.stderr).toMatchObject({ status: 0, stdout: `${view}: cli_loud created (backfilling)\n` });
    expect((await ioc('rules', 'push', rule)).stdout).toBe(`${rule}: cli_loud_now created (active)\n`);
    // Pushed again: redefined in place.
    expect((await ioc('views', 'push', view)).stdout).toMatch(/cli_loud redefined/);
    const listed = await ioc('views', 'ls');
    expect(listed.stdout).toMatch(/^cli_loud\truntime\t/m);
    expect(listed.stdout).toMatch(/^pm25\tfile\tlive$/m);
    // A broken file: its line and reason, as a compiler says it.
    const broken = join(dir, 'broken.sql');
    writeFileSync(broken, VIEW.replaceAll('rt_loud', 'cli_broken').replace('-- window: 5m', '-- window: 7m'));
    expect(await ioc('views', 'push', broken)).toMatchObject({
      status: 1,
      stderr: expect.stringMatching(new RegExp(`^${broken}:5: window: must divide one day evenly`)),
    });
    expect((await ioc('views', 'rm', 'cli_loud')).stderr).toMatch(/cli_loud_now judges view "cli_loud"/);
    expect((await ioc('rules', 'rm', 'cli_loud_now')).stdout).toBe('cli_loud_now: removed\n');
    expect(await ioc('views', 'rm', 'cli_loud', 'pm25')).toMatchObject({
      status: 1,
      stdout: 'cli_loud: removed\n',
      stderr: expect.stringMatching(/^pm25: view "pm25" is defined in views\/air\/pm25\.sql/),
    });
  }, 60_000);
});

const IOC = fileURLToPath(new URL('../../bin/ioc.mjs', import.meta.url));

/** The CLI as a child process (asynchronously: the engine it talks to runs in this one). */
function cli(url: string, ...args: string[]): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [IOC, ...args],
      { encoding: 'utf8', env: { ...process.env, IOC_URL: url } },
      (err, stdout, stderr) =>
        resolve({ status: err ? (typeof err.code === 'number' ? err.code : null) : 0, stdout, stderr }),
    );
  });
}
