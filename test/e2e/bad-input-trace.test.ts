// Every bad input leaves a trace, end to end: a real engine (embedded MQTT broker, and a private JetStream when
// nats-server is installed) is sent topics that name no family, unknown area codes, ids with control characters and
// prototype-named keys; each refusal is in `dead_letters` with its raw bytes and reason, the rest stored sanely, and
// the engine keeps running with every message acknowledged.
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadAreas } from '../../engine/geo/index.ts';
import { privateNats, requireOrSkip, type BrokerHandle } from '../support/brokers.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';
import { camera, sensor, service } from '../support/events.ts';

let engine: TestEngine;
let pub: MqttClient;
let nats: BrokerHandle | undefined;
let nc: NatsConnection | undefined;
let js: JetStreamClient | undefined;
const now = Date.now();
const ts = (i: number) => new Date(now - 120_000 + i * 1000).toISOString();

beforeAll(async () => {
  nats = await privateNats();
  engine = await startTestEngine(nats ? { natsUrl: nats.url, natsConsumer: 'ioc-trace' } : {});
  pub = await mqtt.connectAsync(engine.mqttUrl, { clientId: 'trace-device' });
  if (nats) {
    nc = await connect({ servers: nats.url });
    js = jetstream(nc);
  }
});
afterAll(async () => {
  await pub?.endAsync();
  await nc?.close();
  await engine?.dispose();
  await nats?.stop();
});

interface DeadLetter {
  source: string;
  topic: string;
  payload: string;
  reason: string;
}
const deadLetters = () =>
  engine.store.reader.objects<DeadLetter>(
    'SELECT source, topic, payload, reason FROM dead_letters ORDER BY received_at, reason',
  );
const letterOn = async (topic: string) => (await deadLetters()).filter((d) => d.topic === topic);
/** A JSON event with keys written as text: a literal's `__proto__` would set the prototype, not send a key. */
const withKeys = (e: Record<string, unknown>, keys: string) => `${JSON.stringify(e).slice(0, -1)},${keys}}`;
const PROTO =
  '"__proto__":{"polluted":"yes","area":"evil"},"constructor":{"prototype":{"polluted":"yes"}},"prototype":{"polluted":"yes"}';

describe('bad input leaves a trace (MQTT, embedded broker)', () => {
  it('dead-letters every refusal with its raw bytes and an actionable reason, stores the rest sanely', async () => {
    const areas = await loadAreas();
    const sent: [topic: string, payload: string | Buffer][] = [
      // 1. Topics that name no family: never seen by the engine before, now dead-lettered.
      ['foo/bar', JSON.stringify(camera(1, { id: 'tr-foo', ts: ts(1) }))],
      ['city/unknownfam/x', JSON.stringify(camera(2, { id: 'tr-unknownfam', ts: ts(2) }))],
      ['city/camera/x/extra-level', JSON.stringify(camera(3, { id: 'tr-deep-topic', ts: ts(3) }))],
      // 2. Area codes: reassigned from the position when there is one, else refused.
      ['city/camera/c-area', JSON.stringify(camera(4, { id: 'tr-area-xyz', ts: ts(4), area: 'xyz' }))],
      ['city/camera/c-area', JSON.stringify(camera(5, { id: 'tr-area-hanoi', ts: ts(5), area: 'hanoi' }))],
      ['city/service/ubnd-area', JSON.stringify(service(6, { id: 'tr-svc-area', ts: ts(6), area: 'xyz' }))],
      ['city/service/ubnd-area', JSON.stringify(service(7, { id: 'tr-svc-ok', ts: ts(7), area: 'dong_da' }))],
      // 3. Control characters in ids.
      ['city/camera/c-ctl', JSON.stringify(camera(8, { id: 'tr-nul\u0000', ts: ts(8) }))],
      ['city/camera/c-ctl', JSON.stringify(camera(9, { id: 'tr-esc-camera', ts: ts(9), cameraId: 'cam\u001b[2J' }))],
      [
        'city/sensor/s-ctl',
        JSON.stringify(sensor(10, 'air', { id: 'tr-c1-sensor', ts: ts(10), sensorId: 'sen\u0085' })),
      ],
      ['city/service/ubnd-ctl', JSON.stringify(service(11, { id: 'tr-agency', ts: ts(11), agency: 'ubnd\u0000' }))],
      // Prototype-named keys, at the top and in metrics and counts: kept as data (top, metrics) or ignored (counts).
      ['city/camera/c-proto', withKeys(camera(12, { id: 'tr-proto-camera', ts: ts(12) }), PROTO)],
      [
        'city/sensor/s-proto',
        withKeys(
          sensor(13, 'air', { id: 'tr-proto-sensor', ts: ts(13), metrics: undefined }),
          `"metrics":{"pm25":31,${PROTO}}`,
        ),
      ],
      [
        'city/camera/c-proto',
        withKeys(
          { ...camera(14, { id: 'tr-proto-counts', ts: ts(14) }), counts: undefined },
          `"counts":{"car":1,"motorbike":2,"bus":0,"truck":0,"bicycle":0,"pedestrian":0,${PROTO}}`,
        ),
      ],
    ];
    for (const [topic, payload] of sent) await pub.publishAsync(topic, payload, { qos: 1 });

    const refused = 8;
    await until(
      async () =>
        (
          await engine.store.reader.objects<{ n: number }>(
            "SELECT (SELECT count(*) FROM dead_letters) + (SELECT count(*) FROM camera_events WHERE id LIKE 'tr-%') + (SELECT count(*) FROM sensor_events WHERE id LIKE 'tr-%') + (SELECT count(*) FROM service_events WHERE id LIKE 'tr-%') AS n",
          )
        )[0]!.n,
      (n) => n === sent.length,
    );
    const letters = await deadLetters();
    expect(letters).toHaveLength(refused);
    const byTopic = (t: string) =>
      letters
        .filter((d) => d.topic === t)
        .map((d) => d.reason)
        .sort();
    const topicReason = (t: string) =>
      `topic "${t}" is not city/<family>/<id> with family camera, sensor, service, security or feedback`;
    expect(byTopic('foo/bar')).toEqual([topicReason('foo/bar')]);
    expect(byTopic('city/unknownfam/x')).toEqual([
      `unknown event family "unknownfam": ${topicReason('city/unknownfam/x')}`,
    ]);
    expect(byTopic('city/camera/x/extra-level')).toEqual([topicReason('city/camera/x/extra-level')]);
    expect(byTopic('city/service/ubnd-area')).toEqual([
      'invalid service event (id "tr-svc-area"): area "xyz" is not a known area code; send lat/lon or one of the codes from GET /api/areas',
    ]);
    expect(byTopic('city/camera/c-ctl')).toEqual([
      expect.stringMatching(
        /^invalid camera event \(id "tr-esc-camera"\): field "cameraId" must not contain control characters/,
      ),
      expect.stringMatching(
        /^invalid camera event \(id "tr-nul\\u0000"\): field "id" must not contain control characters/,
      ),
    ]);
    expect(byTopic('city/sensor/s-ctl')).toEqual([
      expect.stringMatching(/field "sensorId" must not contain control characters/),
    ]);
    expect(byTopic('city/service/ubnd-ctl')).toEqual([
      expect.stringMatching(/field "agency" must not contain control characters/),
    ]);
    // Each dead letter holds the bytes that were sent, byte for byte.
    for (const d of letters) {
      const original = sent.find(
        ([topic, payload]) => topic === d.topic && Buffer.from(d.payload, 'base64').equals(Buffer.from(payload)),
      );
      expect(original, `${d.topic}: ${d.reason}`).toBeDefined();
      expect(d.source).toBe('mqtt');
    }

    // Unknown codes: the area comes from the position, the code sent is in extra.given_area.
    const home = areas.locate(105.8542, 21.0285);
    expect(home).not.toBeNull();
    const placed = await engine.store.reader.objects(
      "SELECT id, area, extra->>'given_area' AS given FROM camera_events WHERE id LIKE 'tr-area-%' ORDER BY id",
    );
    expect(placed).toEqual([
      { id: 'tr-area-hanoi', area: home, given: 'hanoi' },
      { id: 'tr-area-xyz', area: home, given: 'xyz' },
    ]);
    expect(await engine.store.reader.objects("SELECT area, extra FROM service_events WHERE id = 'tr-svc-ok'")).toEqual([
      { area: 'dong_da', extra: null },
    ]);

    // Prototype-named keys: stored as plain JSON data, the columns as sent, and this process's prototypes untouched.
    const [cam] = await engine.store.reader.objects<{ area: string; avg: number; extra: string }>(
      "SELECT area, avg_speed_kmh AS avg, extra FROM camera_events WHERE id = 'tr-proto-camera'",
    );
    expect(cam).toMatchObject({ area: home, avg: 24.5 });
    expect(JSON.parse(cam!.extra)).toEqual(JSON.parse(`{${PROTO}}`));
    expect(Object.keys(JSON.parse(cam!.extra) as object).sort()).toEqual(['__proto__', 'constructor', 'prototype']);
    const [sen] = await engine.store.reader.objects<{ pm25: number; pm10: number | null; extra: string }>(
      "SELECT pm25, pm10, extra FROM sensor_events WHERE id = 'tr-proto-sensor'",
    );
    expect(sen).toMatchObject({ pm25: 31, pm10: null });
    expect(Object.keys((JSON.parse(sen!.extra) as { metrics: object }).metrics).sort()).toEqual([
      '__proto__',
      'constructor',
      'prototype',
    ]);
    expect(
      await engine.store.reader.objects("SELECT car, motorbike, extra FROM camera_events WHERE id = 'tr-proto-counts'"),
    ).toEqual([{ car: 1, motorbike: 2, extra: null }]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty('polluted');

    // Still running: every message acknowledged after its commit, healthy, and a new event goes straight in.
    await until(
      () => engine.sources.find((s) => s.name === 'mqtt')!.stats!().unacknowledged,
      (n) => n === 0,
    );
    expect((await engine.get('/api/health')).body).toMatchObject({
      status: 'ok',
      sources: { mqtt: { type: 'connected' } },
    });
    await pub.publishAsync('city/camera/after', JSON.stringify(camera(99, { id: 'tr-after', ts: ts(20) })), { qos: 1 });
    await until(
      async () => (await engine.store.reader.objects("SELECT id FROM camera_events WHERE id = 'tr-after'")).length,
      (n) => n === 1,
    );
  });
});

describe('bad input leaves a trace (NATS JetStream)', () => {
  it('dead-letters subjects in city.> that name no family; a subject outside it is refused to the publisher', async (ctx) => {
    if (!requireOrSkip('nats-server', nats, 'nats-server')) return ctx.skip();
    const payload = JSON.stringify(camera(1, { id: 'tr-nats', ts: ts(1) }));
    const subjects = ['city.unknownfam.x', 'city.camera', 'city.camera.a.b'];
    for (const s of subjects) await js!.publish(s, payload);
    // No stream captures foo.bar: JetStream tells the publisher at once (no responders), the engine never gets it.
    await expect(js!.publish('foo.bar', payload)).rejects.toThrow();

    await until(
      async () => (await deadLetters()).filter((d) => d.source === 'nats').length,
      (n) => n === subjects.length,
    );
    const subjectReason = (s: string) =>
      `subject "${s}" is not city.<family>.<id> with family camera, sensor, service, security or feedback`;
    expect(await letterOn('city.unknownfam.x')).toEqual([
      {
        source: 'nats',
        topic: 'city.unknownfam.x',
        payload: Buffer.from(payload).toString('base64'),
        reason: `unknown event family "unknownfam": ${subjectReason('city.unknownfam.x')}`,
      },
    ]);
    expect((await letterOn('city.camera')).map((d) => d.reason)).toEqual([subjectReason('city.camera')]);
    expect((await letterOn('city.camera.a.b')).map((d) => d.reason)).toEqual([subjectReason('city.camera.a.b')]);
    // Acknowledged after the commit: the consumer has nothing pending or waiting for an ack.
    await until(
      () => engine.sources.find((s) => s.name === 'nats')!.stats!().unacknowledged,
      (n) => n === 0,
    );
  });
});
