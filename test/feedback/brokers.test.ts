// Citizens' reports end to end on the real brokers: mosquitto_pub at QoS 1 on city/feedback/app and JetStream on
// city.feedback.<channel> into feedback_events and the folded reports; bad reports dead-lettered naming the field.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { afterAll, describe, expect, it } from 'vitest';
import { mosquitto, privateNats, requireOrSkip, type BrokerHandle } from '../support/brokers.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';
import { feedback } from '../support/events.ts';

const run = randomUUID().slice(0, 8);
const T = Date.now() - 3_600_000;
const at = (minutes: number) => new Date(T + minutes * 60_000).toISOString();
const brokers: BrokerHandle[] = [];
const engines: TestEngine[] = [];
afterAll(async () => {
  for (const e of engines) await e.dispose();
  for (const b of brokers) await b.stop();
});

/** A report's lifecycle, its steps out of order and one sent twice, as a feedback app would deliver them. */
function lifecycle(prefix: string, reportId: string): Record<string, unknown>[] {
  const step = (n: number, status: string, more: Record<string, unknown> = {}) =>
    feedback(n, { id: `${prefix}-${n}`, ts: at(n * 10), reportId, status, area: 'hoan_kiem', ...more });
  const assigned = { unit: 'ubnd-hoan-kiem', dueAt: at(120) };
  return [
    step(0, 'received', { lat: undefined, lon: undefined }),
    step(2, 'processing', assigned),
    step(1, 'assigned', assigned),
    step(3, 'resolved', { ...assigned, rating: 4 }),
    step(3, 'resolved', { ...assigned, rating: 4 }),
  ];
}

/** Three reports each wrong in one field, the reason that must name it. */
const BAD: [Record<string, unknown>, RegExp][] = [
  [feedback(10, { id: `${run}-bad-rating`, ts: at(5), rating: 6 }), /field "rating" must be 1 to 5/],
  [feedback(11, { id: `${run}-bad-category`, ts: at(5), category: 'potholes' }), /field "category"/],
  [
    feedback(12, { id: `${run}-bad-place`, ts: at(5), lat: undefined, lon: undefined }),
    /field "area" is required, or "lat" and "lon"/,
  ],
];

async function expectStored(engine: TestEngine, prefix: string, reportId: string, source: string): Promise<void> {
  await until(
    () => engine.sql(`SELECT count(*) FROM feedback_events WHERE id LIKE '${prefix}-%'`),
    (r) => Number(r[0]?.[0]) === 4,
  );
  expect(
    await engine.sql(
      `SELECT status, unit, rating, area, channel, epoch_ms(due_at) FROM feedback_reports WHERE report_id = '${reportId}'`,
    ),
  ).toEqual([['resolved', 'ubnd-hoan-kiem', 4, 'hoan_kiem', 'app', Date.parse(at(120))]]);
  await until(
    () =>
      engine.sql(
        `SELECT reason FROM dead_letters WHERE source = '${source}' AND reason LIKE '%${run}-bad-%' ORDER BY reason`,
      ),
    (r) => r.length === 3,
  );
  const reasons = (await engine.sql(`SELECT reason FROM dead_letters WHERE reason LIKE '%${run}-bad-%'`)).map((r) =>
    String(r[0]),
  );
  for (const [event, reason] of BAD)
    expect(
      reasons.find((r) => r.includes(String(event.id))),
      String(event.id),
    ).toMatch(reason);
}

describe("citizens' reports on the brokers", () => {
  it('takes reports from mosquitto_pub at QoS 1 on city/feedback/app, and dead-letters bad ones naming the field', async (ctx) => {
    const broker = await mosquitto();
    if (!requireOrSkip('mosquitto', broker, 'mosquitto mosquitto-clients')) return ctx.skip();
    brokers.push(broker!);
    if (!existsSync('/usr/bin/mosquitto_pub')) return ctx.skip();
    const engine = await startTestEngine({ mqttUrl: broker!.url, mqttClientId: `ioc-fb-${run}` });
    engines.push(engine);
    const publish = (payload: unknown) => {
      const r = spawnSync('mosquitto_pub', [
        ...['-h', '127.0.0.1', '-p', String(broker!.port), '-q', '1', '-t', 'city/feedback/app'],
        ...['-m', JSON.stringify(payload)],
      ]);
      if (r.status !== 0) throw new Error(`mosquitto_pub failed: ${String(r.stderr)}`);
    };
    const steps = lifecycle(`${run}-mq`, `PA-${run}-mq`);
    publish(steps.slice(0, 2));
    for (const e of steps.slice(2)) publish(e);
    for (const [event] of BAD) publish(event);
    await expectStored(engine, `${run}-mq`, `PA-${run}-mq`, 'mqtt');
  });

  it('takes reports from JetStream on city.feedback.app, the same way', async (ctx) => {
    const broker = await privateNats();
    if (!requireOrSkip('nats-server', broker, 'nats-server')) return ctx.skip();
    brokers.push(broker!);
    const engine = await startTestEngine({ natsUrl: broker!.url, natsStream: 'CITY', natsConsumer: `ioc-fb-${run}` });
    engines.push(engine);
    const nc = await connect({ servers: broker!.url });
    try {
      const js = jetstream(nc);
      for (const e of lifecycle(`${run}-js`, `PA-${run}-js`)) await js.publish('city.feedback.app', JSON.stringify(e));
      for (const [event] of BAD) await js.publish('city.feedback.app', JSON.stringify(event));
      await expectStored(engine, `${run}-js`, `PA-${run}-js`, 'nats');
    } finally {
      await nc.close();
    }
  });
});
