// Two replicas on one JetStream, both with SMTP: an incident opened on one is mailed once, and its escalation (the
// leader decides, both apply) is mailed once and recorded on both.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { privateNats, requireOrSkip, type BrokerHandle } from '../support/brokers.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';
import { startMailbox, type Mailbox } from '../support/smtp.ts';

let broker: BrokerHandle | undefined;
let mailbox: Mailbox;
const engines: TestEngine[] = [];

beforeAll(async () => {
  broker = await privateNats();
  mailbox = await startMailbox();
  if (!broker) return;
  for (const name of ['a', 'b'])
    engines.push(
      await startTestEngine({
        natsUrl: broker.url,
        replica: name,
        natsStream: 'CITY',
        leaderTtlMs: 2000,
        smtpUrl: `smtp://127.0.0.1:${mailbox.port}`,
        alertEmailTo: 'truc-ban@hanoi.test',
        escalateEmailTo: 'cap-tren@hanoi.test',
      }),
    );
});
afterAll(async () => {
  for (const e of engines) await e.dispose().catch(() => undefined);
  await broker?.stop();
  await mailbox?.close();
});

describe('email from a cluster', () => {
  it('mails each incident change once, whichever replica it was made on', async (ctx) => {
    if (!requireOrSkip('nats-server', broker, 'nats-server')) return ctx.skip();
    const [a, b] = engines as [TestEngine, TestEngine];
    const leader = await until(
      async () => (await a.get('/api/health')).body.replica.leader as string | null,
      (l) => l !== null,
    );
    const follower = leader === 'a' ? b : a;
    const opened = await follower.post('/api/incidents', {
      type: 'public_order',
      severity: 'warning',
      area: 'long_bien',
      description: 'Tụ tập đông người',
    });
    expect(opened.status).toBe(201);
    const id = opened.body.incident.id as string;
    const mine = () => mailbox.messages.filter((m) => m.text?.includes(id));
    await until(mine, (m) => m.length === 1);

    const realNow = Date.now.bind(Date);
    const spy = vi.spyOn(Date, 'now').mockImplementation(() => realNow() + 16 * 60_000);
    try {
      const escalated = (e: TestEngine) =>
        e.get(`/api/incidents?id=${id}`).then((r) => r.body.incidents[0]?.escalatedAt as string | null);
      await until(
        async () => [await escalated(a), await escalated(b)],
        (t) => t[0] !== null && t[0] === t[1],
      );
      await until(mine, (m) => m.some((x) => x.subject?.includes('BÁO CẤP TRÊN')));
      // Both replicas tick on; neither mails the escalation or the opening again.
      for (const e of engines) {
        const ticks = (await e.get('/api/health')).body.views.ticks as number;
        await until(
          async () => (await e.get('/api/health')).body.views.ticks as number,
          (t) => t >= ticks + 3,
        );
      }
      expect(mine()).toHaveLength(2);
      expect(
        mine()
          .find((m) => m.subject?.includes('BÁO CẤP TRÊN'))!
          .rcpt.sort(),
      ).toEqual(['cap-tren@hanoi.test', 'truc-ban@hanoi.test']);
      for (const e of engines) {
        const rows = await until(
          () => e.sql(`SELECT changed_by FROM incident_log WHERE incident_id = '${id}' AND action = 'escalated'`),
          (r) => r.length > 0,
        );
        expect(rows).toEqual([['system']]);
      }
    } finally {
      spy.mockRestore();
    }
  }, 30_000);
});
