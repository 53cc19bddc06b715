// Security events end to end: sent with mosquitto_pub -q 1 on city/security/<source> and over NATS JetStream, folded
// into incidents whatever their order, duplicates stored once, bad events dead-lettered naming the field, the
// indicators computed from them, and the critical-incident rule fired and cleared.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { jetstream, type JetStreamClient } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mosquitto, privateNats, requireOrSkip, type BrokerHandle } from '../support/brokers.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';
import { security } from '../support/events.ts';

let mqttBroker: BrokerHandle | undefined;
let natsBroker: BrokerHandle | undefined;
let nc: NatsConnection | undefined;
let js: JetStreamClient;
let engine: TestEngine | undefined;
const run = randomUUID().slice(0, 8);
const now = Date.now();
const ago = (min: number) => new Date(now - min * 60_000).toISOString();
const inc = (s: string) => `INC-${run}-${s}`;

beforeAll(async () => {
  mqttBroker = await mosquitto();
  natsBroker = await privateNats();
  if (!mqttBroker || !natsBroker) return;
  nc = await connect({ servers: natsBroker.url });
  js = jetstream(nc);
  engine = await startTestEngine({
    mqttUrl: mqttBroker.url,
    mqttClientId: `ioc-sec-${run}`,
    natsUrl: natsBroker.url,
    natsStream: 'CITY',
    natsConsumer: `ioc-sec-${run}`,
  });
}, 60_000);
afterAll(async () => {
  await engine?.dispose();
  await nc?.close();
  await natsBroker?.stop();
  await mqttBroker?.stop();
});

/** mosquitto_pub -l: each line one message, QoS 1. */
function publish(topic: string, events: unknown[]): void {
  const r = spawnSync(
    'mosquitto_pub',
    ['-h', '127.0.0.1', '-p', String(mqttBroker!.port), '-q', '1', '-t', topic, '-l'],
    { input: events.map((e) => JSON.stringify(e)).join('\n') + '\n' },
  );
  if (r.status !== 0) throw new Error(`mosquitto_pub failed: ${r.stderr}`);
}

const incidents = (ids: string[]) =>
  engine!.sql(
    `SELECT incident_id, status, severity, epoch_ms(began_at), epoch_ms(detected_at), epoch_ms(confirmed_at), epoch_ms(resolved_at), source
     FROM security_incidents WHERE incident_id IN (${ids.map((i) => `'${i}'`).join(', ')}) ORDER BY incident_id`,
  );
const ms = (iso: string) => Date.parse(iso);

describe('security events from the real brokers', () => {
  it('folds each incident from its events in any order and over both transports, a repeat stored once', async (ctx) => {
    if (!requireOrSkip('mosquitto and nats-server', engine ? mqttBroker : undefined, 'mosquitto nats-server'))
      return ctx.skip();
    if (!existsSync('/usr/bin/mosquitto_pub')) return ctx.skip();
    const ev = (i: number, id: string, over: Record<string, unknown>) =>
      security(i, { id: `${run}-${id}`, source: 'siem-soc', agency: 'so-noi-vu', area: 'ba_dinh', ...over });
    // A: resolved first, then its confirmation, then its first report (each a message of its own, in that order).
    publish('city/security/siem-soc', [
      ev(1, 'a3', { incidentId: inc('A'), ts: ago(30), status: 'resolved', detectedAt: ago(200) }),
    ]);
    await until(
      () => incidents([inc('A')]),
      (r) => r.length === 1,
    );
    publish('city/security/siem-soc', [
      ev(2, 'a2', { incidentId: inc('A'), ts: ago(150), status: 'confirmed', detectedAt: ago(190) }),
    ]);
    await js.publish(
      'city.security.siem-soc',
      JSON.stringify(ev(3, 'a1', { incidentId: inc('A'), ts: ago(160), status: 'detected', detectedAt: ago(170) })),
    );
    // B over NATS: a critical one confirmed 5 hours ago, its report sent twice.
    const b1 = ev(4, 'b1', {
      incidentId: inc('B'),
      ts: ago(310),
      status: 'detected',
      severity: 'critical',
      detectedAt: ago(330),
    });
    await js.publish('city.security.edr', JSON.stringify(b1));
    await js.publish('city.security.edr', JSON.stringify(b1));
    await js.publish(
      'city.security.edr',
      JSON.stringify(
        ev(5, 'b2', {
          incidentId: inc('B'),
          ts: ago(300),
          status: 'confirmed',
          severity: 'critical',
          detectedAt: ago(330),
        }),
      ),
    );
    const rows = await until(
      () => incidents([inc('A'), inc('B')]),
      (r) => r.length === 2 && r[0]![5] !== null && r[1]![5] !== null && r[0]![4] === ms(ago(160)),
    );
    expect(rows).toEqual([
      // The newest event's status; each time the earliest of its kind; the start the earliest detectedAt given.
      [inc('A'), 'resolved', 'high', ms(ago(200)), ms(ago(160)), ms(ago(150)), ms(ago(30)), 'siem-soc'],
      [inc('B'), 'confirmed', 'critical', ms(ago(330)), ms(ago(310)), ms(ago(300)), null, 'siem-soc'],
    ]);
    expect(await engine!.sql(`SELECT count(*) FROM security_events WHERE id LIKE '${run}-%'`)).toEqual([[5]]);
  });

  it('dead-letters a wrong severity and a missing incidentId with the field named, keeping the good event', async (ctx) => {
    if (!engine) return ctx.skip();
    const good = security(10, { id: `${run}-g`, incidentId: inc('C'), ts: ago(5), detectedAt: ago(20) });
    const { incidentId: _gone, ...noIncident } = security(11, { id: `${run}-n`, ts: ago(5) });
    publish('city/security/ids', [
      [good, security(12, { id: `${run}-s`, incidentId: inc('D'), ts: ago(5), severity: 'severe' })],
      noIncident,
    ]);
    await js.publish(
      'city.security.ids',
      JSON.stringify(security(13, { id: `${run}-st`, ts: ago(5), status: 'closed' })),
    );
    const reasons = await until(
      () =>
        engine!.sql(
          `SELECT topic, reason FROM dead_letters WHERE topic LIKE 'city%security%ids' AND (decode(payload) LIKE '%${run}%') ORDER BY reason`,
        ),
      (r) => r.length === 3,
    );
    const text = reasons.map((r) => `${r[0]}: ${r[1]}`).join('\n');
    expect(text).toMatch(/city\/security\/ids: .*field "incidentId"/);
    expect(text).toMatch(/city\/security\/ids: .*field "severity"/);
    expect(text).toMatch(/city\.security\.ids: .*field "status"/);
    expect(await incidents([inc('C'), inc('D')])).toEqual([
      [inc('C'), 'detected', 'high', ms(ago(20)), ms(ago(5)), null, null, 'siem-1'],
    ]);
  });

  it('gives the indicators and the agency view from the stored incidents', async (ctx) => {
    if (!engine) return ctx.skip();
    // ba_dinh holds A (started 200 min ago, first reported 160, confirmed 150, resolved 30 min ago) and B (critical,
    // started 330, reported 310, confirmed 300 min ago, open). Both were reported within the hour; A was resolved
    // 2 h after its confirmation, 130 min after its first report; B is open, critical and 5 h past its confirmation.
    const since = encodeURIComponent(new Date(now - 3 * 86_400_000).toISOString());
    const rows = async (name: string) =>
      ((await engine!.get(`/api/indicators/${name}?area=ba_dinh&from=${since}`)).body.rows ?? []) as {
        value: number;
        n: number;
      }[];
    const overdue = await until(
      () => rows('security_critical_overdue'),
      (r) => r.at(-1)?.value === 1,
    );
    expect(overdue.at(-1)).toMatchObject({ value: 1, n: 1 });
    expect((await rows('security_open')).at(-1)).toMatchObject({ value: 1, n: 1 });
    // The first reports may fall on two Hanoi days near midnight: every day's share is 100 %, over both incidents.
    const detected = await until(
      () => rows('security_detected_1h'),
      (r) => r.reduce((n, x) => n + x.n, 0) === 2,
    );
    expect(detected.map((r) => r.value)).toEqual(detected.map(() => 100));
    const resolved = await rows('security_resolved_4h');
    expect(resolved.map((r) => [r.value, r.n])).toEqual([[100, 1]]);
    const mttr = await rows('security_mttr');
    expect(mttr).toHaveLength(1);
    expect(mttr[0]!.value).toBeCloseTo(130 / 60, 3);
    const stats = await engine!.sql(
      `SELECT sum(incidents), sum(open), sum(critical_open), sum(resolved), max(resolved_4h_pct), max(mttr_hours)
       FROM security_agency_stats WHERE agency = 'so-noi-vu'`,
    );
    expect(stats).toEqual([[2, 1, 1, 1, 100, 2.17]]);
  });
});
