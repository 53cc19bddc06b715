// The outbox alone, over a transport the test controls: back-off between tries, a message given up and counted, the
// oldest dropped when the queue is full, and a close that does not wait out a back-off.
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../engine/log.ts';
import { emailHealth, SmtpOutbox } from '../../engine/notify/index.ts';
import { until } from '../support/engine.ts';

const log = createLogger('silent');
const message = (subject: string) => ({ to: ['a@hanoi.test'], subject, text: 'nội dung' });

/** A transport that fails the first `failures` sends, then records every subject it takes. */
function transport(failures: number) {
  const sent: string[] = [];
  let closed = false;
  return {
    sent,
    closed: () => closed,
    async sendMail(m: { subject: string; from: string }) {
      if (failures-- > 0) throw new Error('connect ECONNREFUSED');
      sent.push(m.subject);
    },
    close() {
      closed = true;
    },
  };
}

describe('the outbox', () => {
  it('retries with back-off until the send succeeds, from the configured sender', async () => {
    const t = transport(2);
    const outbox = new SmtpOutbox(t, 'ioc@hanoi.test', log, {
      capacity: 10,
      firstDelayMs: 5,
      maxDelayMs: 20,
      attempts: 5,
    });
    outbox.post('alert', message('một'));
    await until(
      () => t.sent,
      (s) => s.length === 1,
    );
    expect(outbox.stats()).toMatchObject({ queued: 0, byKind: { alert: { sent: 1, retries: 2, failed: 0 } } });
    expect(emailHealth(outbox.stats())).toMatchObject({
      configured: true,
      sent: 1,
      retries: 2,
      lastError: 'connect ECONNREFUSED',
    });
    await outbox.close();
    expect(t.closed()).toBe(true);
  });

  it('gives a message up after its last attempt and goes on with the next', async () => {
    const t = transport(3);
    const outbox = new SmtpOutbox(t, 'ioc@hanoi.test', log, {
      capacity: 10,
      firstDelayMs: 1,
      maxDelayMs: 1,
      attempts: 3,
    });
    outbox.post('incident', message('hỏng'));
    outbox.post('incident', message('được'));
    await until(
      () => t.sent,
      (s) => s.length === 1,
    );
    expect(t.sent).toEqual(['được']);
    expect(outbox.stats().byKind.incident).toEqual({ sent: 1, failed: 1, retries: 2, dropped: 0 });
    await outbox.close();
  });

  it('drops the oldest when full, and closes without waiting out a back-off', async () => {
    const t = transport(Infinity);
    const outbox = new SmtpOutbox(t, 'ioc@hanoi.test', log, {
      capacity: 2,
      firstDelayMs: 60_000,
      maxDelayMs: 60_000,
      attempts: 10,
    });
    for (const s of ['1', '2', '3', '4']) outbox.post('briefing', message(s));
    expect(outbox.stats()).toMatchObject({ queued: 2, byKind: { briefing: { dropped: 2 } } });
    const began = Date.now();
    await outbox.close();
    expect(Date.now() - began).toBeLessThan(1000);
    outbox.post('briefing', message('5'));
    expect(outbox.stats().queued).toBe(2);
  });

  it('says so in health when there is no SMTP_URL', () => {
    expect(emailHealth(null)).toEqual({
      configured: false,
      queued: 0,
      sent: 0,
      failed: 0,
      retries: 0,
      dropped: 0,
      lastError: null,
      lastErrorAt: null,
    });
  });
});
