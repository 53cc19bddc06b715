// Two replicas of the engine on one JetStream stream compute the same indicator rows: arrival time is the stream's own
// timestamp, so lateness does not depend on when a replica reads a message. One replica is down for part of the
// stream (stopped, then started again) and catches up from its durable consumer; exactly one of them leads.
import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadViews } from '../../engine/views/index.ts';
import { privateNats, requireOrSkip, type BrokerHandle } from '../support/brokers.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';
import { camera, sensor, service } from '../support/events.ts';
import { mulberry32 } from '../../sources/simulate/prng.ts';

let broker: BrokerHandle | undefined;
let nc: NatsConnection;
let js: JetStreamClient;
const engines: TestEngine[] = [];

beforeAll(async () => {
  broker = await privateNats();
  if (!broker) return;
  nc = await connect({ servers: broker.url });
  js = jetstream(nc);
});
afterAll(async () => {
  for (const e of engines) await e.dispose().catch(() => undefined);
  await nc?.close();
  await broker?.stop();
});

/** Events of the last three hours in shuffled order, some sent twice, and a tail of events hours late. */
function stream(count: number): { subject: string; body: string; id: string }[] {
  const rand = mulberry32(13);
  const now = Date.now();
  const out: { subject: string; body: string; id: string }[] = [];
  for (let i = 0; i < count; i++) {
    const ts = new Date(now - Math.floor(rand() * 3 * 3_600_000)).toISOString();
    const kind = i % 3;
    const ev =
      kind === 0
        ? camera(i, { id: `rc-${i}`, ts, cameraId: `cam-${i % 5}`, avgSpeedKmh: 10 + (i % 40) })
        : kind === 1
          ? sensor(i, 'air', {
              id: `rs-${i}`,
              ts,
              sensorId: `air-${i % 4}`,
              metrics: { pm25: 20 + (i % 90), pm10: 60 },
            })
          : service(i, { id: `rv-${i}`, ts, status: i % 4 === 0 ? 'received' : 'completed' });
    const family = ['camera', 'sensor', 'service'][kind]!;
    out.push({ subject: `city.${family}.d${i % 9}`, body: JSON.stringify(ev), id: String(ev.id) });
  }
  // Disorder, and duplicates as a device's retry would send them.
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  const dups = out.filter((_, i) => i % 20 === 0);
  return [...out, ...dups];
}

async function publish(items: { subject: string; body: string }[]): Promise<void> {
  for (let i = 0; i < items.length; i += 500)
    await Promise.all(items.slice(i, i + 500).map((m) => js.publish(m.subject, m.body)));
}

const replica = (name: string, dataDir?: string) =>
  startTestEngine({
    natsUrl: broker!.url,
    replica: name,
    natsStream: 'CITY',
    leaderTtlMs: 2000,
    ...(dataDir ? { dataDir } : {}),
  });

async function rowsOf(e: TestEngine, view: string): Promise<string[]> {
  const rows = await e.store.reader.objects<Record<string, unknown>>(
    `SELECT epoch_ms(t) AS t, area, round(value, 6) AS value, n, round(weight, 6) AS weight, sources, late
       FROM ${view} ORDER BY t, area`,
  );
  return rows.map((r) => JSON.stringify(r, (_, v: unknown) => (typeof v === 'bigint' ? Number(v) : v)));
}

describe('engine replicas on one JetStream stream', () => {
  it('compute identical indicator rows, one of them down for part of the stream', async (ctx) => {
    if (!requireOrSkip('nats-server', broker, 'nats-server')) return ctx.skip();
    const all = stream(6000);
    const third = Math.floor(all.length / 3);
    const a = await replica('a');
    engines.push(a);
    await publish(all.slice(0, third));
    let b = await replica('b');
    engines.push(b);
    await publish(all.slice(third, 2 * third));
    // b goes down for the last third, and comes back after it.
    await b.stop();
    engines.splice(engines.indexOf(b), 1);
    await publish(all.slice(2 * third));
    b = await replica('b', b.dir);
    engines.push(b);

    const unique = new Set(all.map((m) => m.id)).size;
    const stored = async (e: TestEngine) =>
      Number(
        (
          await e.store.reader.objects<{ n: bigint }>(
            'SELECT (SELECT count(*) FROM camera_events) + (SELECT count(*) FROM sensor_events) + (SELECT count(*) FROM service_events) AS n',
          )
        )[0]!.n,
      );
    for (const e of [a, b])
      await until(
        async () => ({
          n: await stored(e),
          dead: await e.store.reader.objects('SELECT reason, count(*)::INT AS c FROM dead_letters GROUP BY 1 LIMIT 5'),
          health: (await e.get('/api/health')).body.replica,
        }),
        (s) => s.n === unique,
        30_000,
      );
    for (const e of [a, b]) {
      const ready = await until(
        () => e.get('/api/ready'),
        (r) => r.status === 200,
        15_000,
      );
      expect(ready.body).toMatchObject({ ready: true, lagMessages: 0, reason: null });
      await e.settle();
    }

    // Arrival is the stream's time of each message, not the moment a replica read it (b read them later).
    const arrivals = (e: TestEngine) =>
      e.store.reader.objects('SELECT id, epoch_ms(received_at) AS at FROM sensor_events ORDER BY id');
    expect(await arrivals(b)).toEqual(await arrivals(a));

    // Same stream, same rows: every view, with its counts, late counts and devices.
    const views = loadViews().map((v) => v.name);
    let late = 0;
    for (const view of views) {
      const [ra, rb] = [await rowsOf(a, view), await rowsOf(b, view)];
      expect(rb, view).toEqual(ra);
      late += ra.reduce((s, r) => s + (JSON.parse(r) as { late: number }).late, 0);
    }
    expect(late).toBeGreaterThan(0);
    for (const family of ['camera', 'sensor', 'service'] as const)
      expect(b.rollups.watermarks.newestTs(family)).toBe(a.rollups.watermarks.newestTs(family));

    // Exactly one leads; the other names it.
    const roles = await Promise.all([a, b].map(async (e) => (await e.get('/api/health')).body.replica));
    expect(roles.map((r) => r.role).sort()).toEqual(['follower', 'leader']);
    const leader = roles.find((r) => r.role === 'leader')!.name;
    expect(roles.every((r) => r.leader === leader)).toBe(true);

    // Their consumers are their own, each at the head of the stream.
    const jsm = await jetstreamManager(nc);
    for (const name of ['ioc-a', 'ioc-b']) expect((await jsm.consumers.info('CITY', name)).num_pending).toBe(0);
  }, 120_000);

  it('apply a view made at run time on one of them, each computing the same rows, and its deletion', async (ctx) => {
    if (!requireOrSkip('nats-server', broker, 'nats-server') || engines.length < 2) return ctx.skip();
    const [a, b] = engines as [TestEngine, TestEngine];
    const text = [
      '-- name: cluster_speed',
      '-- title.vi: Tốc độ',
      '-- title.en: Speed',
      '-- unit: km/h',
      '-- window: 5m',
      '-- source: camera',
      '-- theme: traffic',
      'SELECT $bucket AS t, $area AS area, avg(avg_speed_kmh) AS value, count(*) AS n,',
      '       count(*) FILTER (WHERE $late) AS late',
      'FROM camera_events WHERE ts >= $from AND ts < $to GROUP BY $group',
    ].join('\n');
    const made = await b.post('/api/views', text, { 'content-type': 'text/plain' });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    for (const e of [a, b])
      await until(
        () => e.get('/api/views/cluster_speed'),
        (r) => r.body.status === 'live',
        30_000,
      );
    for (const e of [a, b]) await e.settle();
    const rows = await rowsOf(a, 'cluster_speed');
    expect(rows.length).toBeGreaterThan(0);
    expect(await rowsOf(b, 'cluster_speed')).toEqual(rows);
    expect((await a.get('/api/views/cluster_speed')).body).toMatchObject({ origin: 'runtime', createdBy: 'anonymous' });

    expect((await fetch(`${a.url}/api/views/cluster_speed`, { method: 'DELETE' })).status).toBe(200);
    await until(
      () => b.get('/api/views/cluster_speed'),
      (r) => r.status === 404,
      15_000,
    );
  }, 90_000);

  it('refuses a replica without NATS, naming the setting', async () => {
    await expect(startTestEngine({ replica: 'c' })).rejects.toThrow(/REPLICA=c.*NATS_URL/);
  });
});
