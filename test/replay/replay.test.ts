// Replay: CSV and NDJSON read into wire events, paced by event time and rate, and sent for real through the
// `ioc replay` command to the engine's HTTP ingest, to MQTT and to NATS JetStream, each ending up stored once.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TokenStore } from '../../engine/access/index.ts';
import { csvEvent, csvRows, Pacer, readEvents } from '../../sources/replay/index.ts';
import { privateNats, requireOrSkip, type BrokerHandle } from '../support/brokers.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';
import { camera, sensor, service } from '../support/events.ts';

const IOC = fileURLToPath(new URL('../../bin/ioc.mjs', import.meta.url));
const run = promisify(execFile);
let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ioc-replay-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const CSV_HEADER =
  'id,ts,cameraId,lat,lon,counts.car,counts.motorbike,counts.bus,counts.truck,counts.bicycle,counts.pedestrian,avgSpeedKmh,incident.type,incident.confidence,note';
const recent = (i: number) => new Date(Date.now() - 600_000 + i * 1000).toISOString();

describe('CSV mapping', () => {
  it('splits RFC 4180 rows: quoted commas, doubled quotes, line breaks, CRLF', () => {
    const rows = [...csvRows(['a,b,c\r\n"x, y","say ""hi""","two\nlines"\n', '1,,3'])];
    expect(rows).toEqual([
      ['a', 'b', 'c'],
      ['x, y', 'say "hi"', 'two\nlines'],
      ['1', '', '3'],
    ]);
  });

  it('builds nested fields from dotted names, typed: numbers, booleans, text ids, times, empty left out', () => {
    const header = [
      'id',
      'ts',
      'sensorId',
      'kind',
      'metrics.pm25',
      'metrics.operator',
      'onlinePayment',
      'area',
      'dueAt',
      'family',
      'lat',
    ];
    const { event, family } = csvEvent(header, [
      '007',
      '1764205200000',
      '12',
      'air',
      '41.5',
      '123',
      'true',
      '',
      '2026-11-30T17:00:00+07:00',
      'sensor',
      '21.02',
    ]);
    expect(family).toBe('sensor');
    expect(event).toEqual({
      id: '007',
      ts: 1764205200000,
      sensorId: '12',
      kind: 'air',
      metrics: { pm25: 41.5, operator: '123' },
      onlinePayment: true,
      dueAt: '2026-11-30T17:00:00+07:00',
      lat: 21.02,
    });
  });

  it('reads a CSV file larger than one read chunk, with a quoted line break across chunks', async () => {
    const file = join(dir, 'big.csv');
    const rows = Array.from(
      { length: 3000 },
      (_, i) =>
        `cam-${i},${recent(i)},cam-${i % 5},21.03,105.85,1,2,0,0,0,${i},,,,"note ${i}\nsecond line, with comma"`,
    );
    writeFileSync(file, [CSV_HEADER, ...rows].join('\n'));
    const items = [];
    for await (const item of readEvents(file)) items.push(item);
    expect(items).toHaveLength(3000);
    expect(items[2999]).toMatchObject({
      family: 'camera',
      event: { id: 'cam-2999', counts: { pedestrian: 2999 }, note: 'note 2999\nsecond line, with comma' },
    });
  });

  it('reads NDJSON with arrays, tells families apart, and skips what it cannot place', async () => {
    const file = join(dir, 'mixed.ndjson');
    writeFileSync(
      file,
      [
        JSON.stringify(camera(1)),
        JSON.stringify([sensor(2), service(3)]),
        '{broken',
        JSON.stringify({ id: 'x', ts: 1 }),
        JSON.stringify({ ...camera(4), family: 'camera' }),
      ].join('\n'),
    );
    const items = [];
    for await (const item of readEvents(file)) items.push(item);
    expect(items.map((i) => ('family' in i ? i.family : `skip@${i.line}`))).toEqual([
      'camera',
      'sensor',
      'service',
      'skip@3',
      'skip@4',
      'camera',
    ]);
    expect(items[5]).not.toHaveProperty('event.family');
  });
});

describe('pacing', () => {
  it('spaces events by event time divided by the speed, and caps the rate', () => {
    let now = 0;
    const paced = new Pacer({ speed: 10 }, () => now);
    expect(paced.delayFor(1_000_000)).toBe(0);
    expect(paced.delayFor(1_001_000)).toBe(100); // one second of event time at 10×
    now = 100;
    expect(paced.delayFor(1_030_000)).toBe(2900);
    expect(paced.delayFor(999_000)).toBe(0); // earlier than the first: at once
    const capped = new Pacer({ rate: 50 }, () => 0);
    expect([0, 1, 2, 3].map(() => capped.delayFor(Number.NaN))).toEqual([0, 20, 40, 60]);
  });
});

describe('ioc replay', () => {
  let engine: TestEngine;
  let nats: BrokerHandle | undefined;
  beforeAll(async () => {
    nats = await privateNats();
    engine = await startTestEngine(nats ? { natsUrl: nats.url } : {});
  });
  afterAll(async () => {
    await engine?.dispose();
    await nats?.stop();
  });

  const files = (tag: string, n: number): [string, string] => {
    const nd = join(dir, `${tag}.ndjson`);
    writeFileSync(
      nd,
      Array.from({ length: n }, (_, i) =>
        JSON.stringify(sensor(i, 'air', { id: `${tag}-s-${i}`, ts: recent(i) })),
      ).join('\n') + '\n',
    );
    const csv = join(dir, `${tag}.csv`);
    writeFileSync(
      csv,
      [
        CSV_HEADER,
        ...Array.from(
          { length: n },
          (_, i) => `${tag}-c-${i},${recent(i)},cam-${i % 3},21.03,105.85,1,2,0,0,0,1,30,,,`,
        ),
      ].join('\n') + '\n',
    );
    return [nd, csv];
  };
  const stored = async (tag: string) =>
    (
      await engine.sql(
        `SELECT (SELECT count(*) FROM sensor_events WHERE id LIKE '${tag}-%') + (SELECT count(*) FROM camera_events WHERE id LIKE '${tag}-%')`,
      )
    )[0]![0] as number;

  it('into the engine over HTTP: every event stored, the answers summed, a progress line on stderr', async () => {
    const [nd, csv] = files('http', 300);
    writeFileSync(
      join(dir, 'bad.ndjson'),
      JSON.stringify(camera(1, { id: 'http-bad', ts: recent(1), lat: 'NaN' })) + '\n',
    );
    const { stderr } = await run(
      process.execPath,
      [IOC, 'replay', nd, csv, join(dir, 'bad.ndjson'), '--to', engine.url],
      { timeout: 60_000 },
    );
    expect(stderr).toMatch(/replay → http:\/\/127\.0\.0\.1:\d+: 601 events/);
    expect(stderr).toMatch(/engine: 600 stored, 0 already stored, 1 rejected/);
    expect(stderr).toMatch(/rejected camera http-bad: .*field "lat"/);
    expect(await stored('http')).toBe(600);
  }, 60_000);

  it('into MQTT at a speed factor: 5 s of event time at 2× takes at least 2.5 s', async () => {
    const file = join(dir, 'paced.ndjson');
    writeFileSync(
      file,
      Array.from({ length: 6 }, (_, i) => JSON.stringify(camera(i, { id: `paced-${i}`, ts: recent(i) }))).join('\n'),
    );
    const began = Date.now();
    await run(process.execPath, [IOC, 'replay', file, '--to', engine.mqttUrl, '--speed', '2'], { timeout: 60_000 });
    const took = Date.now() - began;
    expect(took).toBeGreaterThanOrEqual(2500);
    await until(
      () => stored('paced'),
      (n) => n === 6,
    );
  }, 60_000);

  it('into NATS JetStream, with the event id as message id (a repeated replay is stored once)', async (ctx) => {
    if (!requireOrSkip('nats-server', nats, 'nats-server')) return ctx.skip();
    const [nd, csv] = files('nats', 200);
    for (let i = 0; i < 2; i++) {
      const { stderr } = await run(process.execPath, [IOC, 'replay', nd, csv, '--to', nats!.url, '--rate', '100000'], {
        timeout: 60_000,
      });
      expect(stderr).toMatch(/\(JetStream\): 400 events/);
    }
    await until(
      () => stored('nats'),
      (n) => n === 400,
      20_000,
    );
    const nc = await connect({ servers: nats!.url });
    expect((await (await jetstreamManager(nc)).streams.info('CITY')).state.messages).toBe(400);
    await nc.close();
  }, 60_000);

  it('into an engine with AUTH on, with a device token (refused without one)', async () => {
    const secured = await startTestEngine({ auth: 'on' });
    try {
      const token = TokenStore.inDataDir(secured.dir).create('replay-test', 'device');
      const [nd] = files('auth', 50);
      const refused = await run(process.execPath, [IOC, 'replay', nd, '--to', secured.url], { timeout: 60_000 }).catch(
        (e: { code: number; stderr: string }) => e,
      );
      expect(refused).toMatchObject({ code: 1, stderr: expect.stringMatching(/answered 401/) });
      const { stderr } = await run(process.execPath, [IOC, 'replay', nd, '--to', secured.url], {
        timeout: 60_000,
        env: { ...process.env, IOC_TOKEN: token },
      });
      expect(stderr).toMatch(/engine: 50 stored/);
    } finally {
      await secured.dispose();
    }
  }, 60_000);

  it('refuses bad arguments with the usage', async () => {
    const failed = await run(process.execPath, [IOC, 'replay', '--speed', 'fast'], { timeout: 30_000 }).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed).toMatchObject({
      code: 2,
      stderr: expect.stringMatching(/--speed fast: expected a number.*no FILE given[\s\S]*usage: ioc replay/),
    });
  });
});
