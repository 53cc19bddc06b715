// The SMTP server is down when an incident is opened: the outbox retries with back-off while ingestion goes on, and
// the email arrives once the server listens on its port.
import { afterAll, describe, expect, it } from 'vitest';
import { camera } from '../support/events.ts';
import { freePort } from '../support/ports.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';
import { startMailbox, type Mailbox } from '../support/smtp.ts';

let engine: TestEngine | undefined;
let mailbox: Mailbox | undefined;

afterAll(async () => {
  await engine?.dispose();
  await mailbox?.close();
});

describe('an SMTP server that is down', () => {
  it('is retried until it takes the email, and ingestion never waits for it', async () => {
    const port = await freePort();
    engine = await startTestEngine({ smtpUrl: `smtp://127.0.0.1:${port}`, alertEmailTo: 'truc-ban@hanoi.test' });
    const opened = await engine.post('/api/incidents', {
      type: 'accident',
      severity: 'critical',
      area: 'dong_da',
      description: 'Va chạm giữa hai xe máy',
    });
    expect(opened.status).toBe(201);
    const id = opened.body.incident.id as string;
    const failing = await until(
      async () => (await engine!.get('/api/health')).body.email,
      (e) => e.retries >= 1,
    );
    expect(failing).toMatchObject({ configured: true, sent: 0, queued: 1, lastError: expect.any(String) });

    const events = Array.from({ length: 20 }, (_, i) => camera(i, { id: `down-${i}`, ts: Date.now() - i * 1000 }));
    expect((await engine.post('/api/ingest?family=camera', events)).status).toBe(200);
    await until(
      async () => (await engine!.get('/api/health')).body.rows.camera_events as number,
      (n) => n >= 20,
    );

    mailbox = await startMailbox(port);
    const mail = await until(
      () => mailbox!.messages.find((m) => m.text?.includes(id)),
      (m) => m !== undefined,
    );
    expect(mail!.rcpt).toEqual(['truc-ban@hanoi.test']);
    const health = (await engine.get('/api/health')).body.email;
    expect(health).toMatchObject({ sent: 1, failed: 0, queued: 0 });
    expect(health.retries).toBeGreaterThanOrEqual(1);
    const metrics = (await engine.get('/metrics')).body as string;
    expect(metrics).toMatch(/ioc_email_retries_total\{kind="incident"\} [1-9]/);
  });
});
