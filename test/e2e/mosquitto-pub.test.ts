// Acceptance on the real Mosquitto: a mixed stream sent with mosquitto_pub (hundreds of messages, arrays, redelivered
// duplicates, late events and every kind of malformed message) leaves each valid event stored once and each bad one dead-lettered.
import { spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { camera, sensor, service } from '../support/events.ts';
import { mosquitto, requireOrSkip, type BrokerHandle } from '../support/brokers.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';

let broker: BrokerHandle | undefined;
let engine: TestEngine | undefined;
const run = randomUUID().slice(0, 8);
const now = Date.now();
const at = (minutesAgo: number) => new Date(now - minutesAgo * 60_000).toISOString();

beforeAll(async () => {
  broker = await mosquitto();
  if (!requireOrSkip('mosquitto', broker, 'mosquitto mosquitto-clients')) return;
  engine = await startTestEngine({ mqttUrl: broker!.url, mqttClientId: `ioc-accept-${run}` });
});
afterAll(async () => {
  await engine?.dispose();
  await broker?.stop();
});

/** mosquitto_pub -l sends each line of stdin as one message. */
function publishLines(topic: string, lines: string[]): void {
  const r = spawnSync('mosquitto_pub', ['-h', '127.0.0.1', '-p', String(broker!.port), '-q', '1', '-t', topic, '-l'], {
    input: lines.join('\n') + '\n',
  });
  if (r.status !== 0) throw new Error(`mosquitto_pub failed: ${r.stderr}`);
}
function publishFile(topic: string, bytes: Buffer): void {
  const file = join(engine!.dir, `payload-${randomUUID()}`);
  writeFileSync(file, bytes);
  const r = spawnSync('mosquitto_pub', [
    '-h',
    '127.0.0.1',
    '-p',
    String(broker!.port),
    '-q',
    '1',
    '-t',
    topic,
    '-f',
    file,
  ]);
  if (r.status !== 0) throw new Error(`mosquitto_pub failed: ${r.stderr}`);
}

describe('mixed stream from mosquitto_pub into the real Mosquitto', () => {
  it('stores every valid event exactly once and dead-letters every malformed message', async (ctx) => {
    if (!engine) return ctx.skip();
    if (!existsSync('/usr/bin/mosquitto_pub')) {
      if (process.env.CI === 'true') throw new Error('mosquitto_pub is missing: apt-get install -y mosquitto-clients');
      return ctx.skip();
    }
    const id = (s: string) => `${run}-${s}`;
    const cams = Array.from({ length: 300 }, (_, i) => camera(i, { id: id(`c${i}`), ts: at(30 - (i % 30)) }));
    const sens = Array.from({ length: 150 }, (_, i) =>
      sensor(i, ['air', 'water', 'noise', 'weather', 'network'][i % 5], { id: id(`s${i}`), ts: at(20) }),
    );
    const svcs = Array.from({ length: 60 }, (_, i) => service(i, { id: id(`v${i}`), ts: at(10) }));
    const late = Array.from({ length: 10 }, (_, i) => camera(1000 + i, { id: id(`late${i}`), ts: at(24 * 60 + i) }));

    publishLines(
      `city/camera/cam-1-${run}`,
      cams.slice(0, 200).map((e) => JSON.stringify(e)),
    );
    // Arrays of ten, then every one of the first 100 cameras once more (redelivery).
    const arrays: string[] = [];
    for (let i = 200; i < 300; i += 10) arrays.push(JSON.stringify(cams.slice(i, i + 10)));
    for (let i = 0; i < 100; i += 20) arrays.push(JSON.stringify(cams.slice(i, i + 20)));
    publishLines(`city/camera/cam-2-${run}`, arrays);
    publishLines(
      `city/sensor/sen-1-${run}`,
      sens.map((e) => JSON.stringify(e)),
    );
    publishLines(`city/service/ubnd-hoan-kiem-${run}`, [
      JSON.stringify(svcs),
      ...svcs.slice(0, 30).map((e) => JSON.stringify(e)),
    ]);
    publishLines(
      `city/camera/cam-late-${run}`,
      late.map((e) => JSON.stringify(e)),
    );

    const bad = [
      'this is not json',
      '{"id": "x", "ts": ',
      JSON.stringify({ ...camera(1), id: id('b1'), counts: undefined }),
      JSON.stringify(
        camera(1, { id: id('b2'), counts: { car: -1, motorbike: 0, bus: 0, truck: 0, bicycle: 0, pedestrian: 0 } }),
      ),
      JSON.stringify(camera(1, { id: id('b3'), lat: 95.5 })),
      JSON.stringify(camera(1, { id: id('b4'), lon: 181 })),
      JSON.stringify(camera(1, { id: id('b5'), incident: { type: 'meteor', confidence: 1 } })),
      JSON.stringify(camera(1, { id: id('b6'), ts: '9999-12-31T00:00:00Z' })),
      JSON.stringify(camera(1, { id: id('b7'), avgSpeedKmh: 'Infinity' })),
      '[]',
      'null',
    ];
    publishLines(`city/camera/cam-bad-${run}`, bad);
    publishLines(`city/sensor/sen-bad-${run}`, [
      JSON.stringify(sensor(1, 'lidar', { id: id('b8') })),
      JSON.stringify(sensor(1, 'air', { id: id('b9'), metrics: { pm25: -4 } })),
    ]);
    publishLines(`city/service/bad-${run}`, [JSON.stringify(service(1, { id: id('b10'), status: 'teleported' }))]);
    publishFile(
      `city/camera/cam-binary-${run}`,
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0xff]),
    );
    // An array holding one bad element: the others are stored.
    publishLines(`city/camera/cam-mixed-${run}`, [
      JSON.stringify([
        camera(2000, { id: id('m1'), ts: at(5) }),
        { ...camera(2001, { id: id('m2') }), lat: 'north' },
        camera(2002, { id: id('m3'), ts: at(5) }),
      ]),
    ]);
    const expectedBad = bad.length + 2 + 1 + 1 + 1;

    // Only this run's rows count: another run may share the broker.
    const mine = `id LIKE '${run}-%'`;
    const counts = () =>
      engine!
        .sql(`SELECT (SELECT count(*) FROM camera_events WHERE ${mine}), (SELECT count(*) FROM sensor_events WHERE ${mine}),
      (SELECT count(*) FROM service_events WHERE ${mine}), (SELECT count(*) FROM dead_letters WHERE topic LIKE '%-${run}')`);
    const final = await until(
      counts,
      (r) => r[0]![0] === 312 && r[0]![1] === 150 && r[0]![2] === 60 && r[0]![3] === expectedBad,
      20_000,
    );
    expect(final).toEqual([[312, 150, 60, expectedBad]]);
    expect(await engine.sql(`SELECT count(*) - count(DISTINCT id) FROM camera_events WHERE ${mine}`)).toEqual([[0]]);
    const reasons = (await engine.sql(`SELECT reason FROM dead_letters WHERE topic LIKE '%-${run}'`)).map(
      (r) => r[0] as string,
    );
    for (const r of reasons) expect(r.length).toBeGreaterThan(10);
    expect(reasons.filter((r) => /field "/.test(r)).length).toBeGreaterThanOrEqual(9);
    expect(reasons).toContainEqual(expect.stringMatching(/^element 2: .*field "lat"/));
    const health = await engine.get('/api/health');
    expect(health.body).toMatchObject({ status: 'ok' });
    expect(health.body.ingest.duplicates).toBeGreaterThanOrEqual(130);

    // The late events (a day old) are stored and counted in their own windows.
    const flow = await until(
      () => engine!.get(`/api/indicators/traffic_flow?area=hanoi&from=${encodeURIComponent(at(26 * 60))}`),
      (r) => r.body.rows?.length > 0,
    );
    const [[raw]] = (await engine.sql(
      `SELECT sum(car + motorbike + bus + truck + bicycle) FROM camera_events WHERE ts >= TIMESTAMPTZ '${at(26 * 60)}'`,
    )) as [[number]];
    await until(
      () => engine!.get(`/api/indicators/traffic_flow?area=hanoi&from=${encodeURIComponent(at(26 * 60))}`),
      (r) => r.body.rows.reduce((s: number, x: { value: number }) => s + x.value, 0) === raw,
    );
    expect(flow.status).toBe(200);
  });
});
