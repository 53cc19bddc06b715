// The batcher against a real DuckDB: columnar commits, dedup by id, dead letters, and acks only after the commit.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decodeMessage, decodeRaw, type DecodeOptions } from '../../engine/decode.ts';
import { Batcher, type Committed } from '../../engine/ingest/index.ts';
import { createLogger } from '../../engine/log.ts';
import { openStore, type Store } from '../../engine/store/index.ts';
import type { RawMessage } from '../../sources/source.ts';
import { until } from '../support/engine.ts';
import { bytes, camera, sensor, service, T0 } from '../support/events.ts';

const opts: DecodeOptions = { maxPayloadBytes: 1 << 20, maxFutureMs: 3_600_000, locate: () => 'hoan_kiem' };
const log = createLogger('silent');

let store: Store;
let commits: Committed[];
let batcher: Batcher;
let acked: string[];

function push(topic: string, payload: unknown, tag = topic): RawMessage {
  const msg: RawMessage = {
    source: 'test',
    topic,
    payload: payload instanceof Uint8Array ? payload : bytes(payload),
    receivedAt: T0 + 60_000,
    ack: () => acked.push(tag),
  };
  batcher.push(msg, decodeMessage(topic.split('/')[1], msg.payload, msg.receivedAt, opts));
  return msg;
}
const count = async (sql: string) => (await store.reader.objects<{ n: number }>(sql))[0]!.n;

beforeEach(async () => {
  store = await openStore({ dataDir: '.', dbFile: ':memory:' });
  commits = [];
  acked = [];
  batcher = new Batcher(store.writer, { batchRows: 1000, batchAgeMs: 50 }, (c) => commits.push(c), log);
});
afterEach(async () => {
  await batcher.close();
  await store.close();
});

describe('batcher', () => {
  it('acknowledges nothing before the commit, everything after it', async () => {
    push('city/camera/a', camera(1), 'm1');
    push('city/sensor/b', sensor(1), 'm2');
    push('city/camera/c', 'garbage', 'm3');
    expect(acked).toEqual([]);
    expect(await count('SELECT count(*) AS n FROM camera_events')).toBe(0);
    await batcher.flush();
    expect(acked.sort()).toEqual(['m1', 'm2', 'm3']);
    expect(await count('SELECT count(*) AS n FROM camera_events')).toBe(1);
    expect(await count('SELECT count(*) AS n FROM sensor_events')).toBe(1);
    expect(await count('SELECT count(*) AS n FROM dead_letters')).toBe(1);
  });

  it('flushes by age without being asked', async () => {
    push('city/camera/a', camera(1));
    expect(commits).toHaveLength(0);
    // The age starts the commit; how long the commit then takes depends on the machine (a first one plans its
    // statements, and the suite runs two files at once).
    await until(
      () => commits.length,
      (n) => n === 1,
      5_000,
    );
    expect(acked).toHaveLength(1);
  });

  it('lets a quiet batch wait past its age for more rows, and commits a busy one at its age', async () => {
    const quiet = new Batcher(
      store.writer,
      { batchRows: 1000, batchAgeMs: 20, quietRows: 5, quietAgeMs: 600 },
      (c) => commits.push(c),
      log,
    );
    const started = Date.now();
    quiet.push(
      { source: 'test', topic: 'city/camera/a', payload: bytes(camera(1)), receivedAt: T0, ack: () => acked.push('q') },
      decodeMessage('camera', bytes(camera(1)), T0, opts),
    );
    await new Promise((r) => setTimeout(r, 200));
    // Past its age (20 ms), short of the quiet age: one row is fewer than the five a batch waits for.
    expect(commits).toHaveLength(0);
    await until(
      () => commits.length,
      (n) => n === 1,
      5_000,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(600);
    expect(acked).toEqual(['q']);

    const busy = new Batcher(
      store.writer,
      { batchRows: 1000, batchAgeMs: 20, quietRows: 5, quietAgeMs: 60_000 },
      (c) => commits.push(c),
      log,
    );
    for (let i = 10; i < 15; i++)
      busy.push(
        { source: 'test', topic: 'city/camera/a', payload: bytes(camera(i)), receivedAt: T0, ack: () => undefined },
        decodeMessage('camera', bytes(camera(i)), T0, opts),
      );
    // Five rows at its age: it commits then, not a minute later.
    await until(
      () => commits.length,
      (n) => n === 2,
      10_000,
    );
    expect(commits[1]!.rows.camera).toBe(5);
    await quiet.close();
    await busy.close();
  });

  it('flushes by size without waiting for the age limit; rows arriving meanwhile go in the next batch', async () => {
    const slow = new Batcher(store.writer, { batchRows: 1000, batchAgeMs: 60_000 }, (c) => commits.push(c), log);
    const msg = (i: number): RawMessage => ({
      source: 'test',
      topic: 'city/camera/a',
      payload: bytes(camera(i)),
      receivedAt: T0 + 60_000,
      ack: () => acked.push(String(i)),
    });
    for (let i = 0; i < 2500; i++) {
      const m = msg(i);
      slow.push(m, decodeMessage('camera', m.payload, m.receivedAt, opts));
    }
    // Size, not age, starts the commits (the age limit is a minute away); how long they take depends on the machine.
    await until(
      () => acked.length,
      (n) => n === 2500,
      10_000,
    );
    expect(commits.length).toBeGreaterThanOrEqual(1);
    expect(commits[0]!.rows.camera).toBe(1000);
    expect(await count('SELECT count(*) AS n FROM camera_events')).toBe(2500);
    expect(acked).toHaveLength(2500);
    await slow.close();
  });

  it('stores a redelivered event once, within a batch and across batches', async () => {
    push('city/camera/a', [camera(1), camera(1), camera(2)]);
    await batcher.flush();
    push('city/camera/a', camera(1));
    push('city/camera/a', [camera(2), camera(3)]);
    await batcher.flush();
    expect(await count('SELECT count(*) AS n FROM camera_events')).toBe(3);
    expect(batcher.stats.duplicates).toBe(3);
    expect(batcher.stats.stored.camera).toBe(3);
  });

  it('stores every column with its type: times as TIMESTAMPTZ, counts, nullable metrics, extra JSON', async () => {
    push('city/camera/a', camera(5, { incident: { type: 'accident', confidence: 0.8 }, note: 'x' }));
    push('city/sensor/a', sensor(1, 'network'));
    push('city/service/a', service(1, { onlinePayment: false }));
    await batcher.flush();
    const [cam] = await store.reader.objects(
      `SELECT epoch_ms(ts) AS ts, car, motorbike, incident_type, extra->>'note' AS note, area, typeof(ts) AS tt FROM camera_events`,
    );
    expect(cam).toEqual({
      ts: T0 + 5000,
      car: 3,
      motorbike: 20,
      incident_type: 'accident',
      note: 'x',
      area: 'hoan_kiem',
      tt: 'TIMESTAMP WITH TIME ZONE',
    });
    const [sen] = await store.reader.objects(`SELECT down_mbps, operator, pm25 FROM sensor_events`);
    expect(sen).toEqual({ down_mbps: 36, operator: 'Viettel', pm25: null });
    const [svc] = await store.reader.objects(
      `SELECT epoch_ms(due_at) AS due, online_payment, status FROM service_events`,
    );
    expect(svc).toEqual({ due: T0 + 86_400_000, online_payment: false, status: 'completed' });
  });

  it('keeps the raw bytes and the reason of a dead letter', async () => {
    const garbage = new Uint8Array([0xde, 0xad, 0xbe, 0xef]);
    push('city/camera/x', garbage);
    await batcher.flush();
    const [dl] = await store.reader.objects<{ payload: string; reason: string; topic: string; source: string }>(
      `SELECT payload, reason, topic, source FROM dead_letters`,
    );
    expect(Buffer.from(dl!.payload, 'base64')).toEqual(Buffer.from(garbage));
    expect(dl).toMatchObject({ topic: 'city/camera/x', source: 'test', reason: expect.stringMatching(/UTF-8/) });
  });

  it('reports the event-time minutes each batch touched', async () => {
    push('city/camera/a', [camera(1), camera(70), camera(61)]);
    await batcher.flush();
    expect([...commits[0]!.minutes.camera].sort()).toEqual([T0, T0 + 60_000]);
  });

  it('leaves messages unacknowledged when the commit fails, hands them back for a retry, and keeps running', async () => {
    const failed: RawMessage[] = [];
    const b = new Batcher(
      store.writer,
      { batchRows: 1000, batchAgeMs: 50, onFailed: (m) => failed.push(...m) },
      (c) => commits.push(c),
      log,
    );
    await store.writer.run('ALTER TABLE service_events RENAME TO service_events_away');
    const msg: RawMessage = {
      source: 'test',
      topic: 'city/service/a',
      payload: bytes(service(1)),
      receivedAt: T0 + 60_000,
      ack: () => acked.push('retried'),
    };
    b.push(msg, decodeMessage('service', msg.payload, msg.receivedAt, opts));
    await b.flush();
    expect(acked).toEqual([]);
    expect(failed).toEqual([msg]);
    expect(b.stats.failedBatches).toBe(1);
    // The store recovers; the same message fed again is committed and only now acknowledged.
    await store.writer.run('ALTER TABLE service_events_away RENAME TO service_events');
    b.push(msg, decodeMessage('service', msg.payload, msg.receivedAt, opts));
    await b.flush();
    expect(acked).toEqual(['retried']);
    expect(await count('SELECT count(*) AS n FROM service_events')).toBe(1);
    await b.close();
  });

  it('dead-letters a message on a topic that names no family, and acknowledges it only after the commit', async () => {
    const payload = bytes(camera(1));
    for (const [topic, source] of [
      ['foo/bar', 'mqtt'],
      ['city/unknownfam/x', 'mqtt'],
      ['city.unknownfam.x', 'nats'],
    ] as const) {
      const msg: RawMessage = { source, topic, payload, receivedAt: T0 + 60_000, ack: () => acked.push(topic) };
      batcher.push(msg, decodeRaw(msg, opts));
    }
    expect(acked).toEqual([]);
    await batcher.flush();
    expect(acked.sort()).toEqual(['city.unknownfam.x', 'city/unknownfam/x', 'foo/bar']);
    const rows = await store.reader.objects<{ topic: string; source: string; payload: string; reason: string }>(
      'SELECT topic, source, payload, reason FROM dead_letters ORDER BY topic',
    );
    expect(rows.map((r) => [r.topic, r.source, r.reason])).toEqual([
      [
        'city.unknownfam.x',
        'nats',
        'unknown event family "unknownfam": subject "city.unknownfam.x" is not city.<family>.<id> with family camera, sensor, service, security or feedback',
      ],
      [
        'city/unknownfam/x',
        'mqtt',
        'unknown event family "unknownfam": topic "city/unknownfam/x" is not city/<family>/<id> with family camera, sensor, service, security or feedback',
      ],
      [
        'foo/bar',
        'mqtt',
        'topic "foo/bar" is not city/<family>/<id> with family camera, sensor, service, security or feedback',
      ],
    ]);
    for (const r of rows) expect(Buffer.from(r.payload, 'base64')).toEqual(Buffer.from(payload));
    expect(await count('SELECT count(*) AS n FROM camera_events')).toBe(0);
  });

  it('stores prototype-named keys as plain JSON in extra, and pollutes nothing', async () => {
    const text = `${JSON.stringify(camera(1, { area: 'not-a-code' })).slice(0, -1)},"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}`;
    const msg: RawMessage = {
      source: 'mqtt',
      topic: 'city/camera/c',
      payload: bytes(text),
      receivedAt: T0 + 60_000,
      ack: () => acked.push('p'),
    };
    batcher.push(msg, decodeRaw(msg, { ...opts, isArea: () => false }));
    await batcher.flush();
    const [row] = await store.reader.objects(
      `SELECT id, area, car, extra->'__proto__'->>'polluted' AS proto, extra->'constructor'->'prototype'->>'polluted' AS ctor, extra->>'given_area' AS given FROM camera_events`,
    );
    expect(row).toEqual({ id: 'cam-1-1', area: 'hoan_kiem', car: 3, proto: 'yes', ctor: 'yes', given: 'not-a-code' });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
