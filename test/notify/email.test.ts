// Alert and incident changes by email through a real SMTP server: an alert that opens, an incident opened by hand,
// each to ALERT_EMAIL_TO in Vietnamese with English below; the outbox in health and on /metrics; escalation of what
// nobody acknowledged in ESCALATE_AFTER_MIN (the engine's clock moved past it), once, to ESCALATE_EMAIL_TO as well.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { sensor } from '../support/events.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';
import { startMailbox, type Mailbox } from '../support/smtp.ts';

let engine: TestEngine;
let mailbox: Mailbox;

beforeAll(async () => {
  mailbox = await startMailbox();
  engine = await startTestEngine({
    smtpUrl: `smtp://127.0.0.1:${mailbox.port}`,
    alertEmailTo: 'truc-ban@hanoi.test, lanh-dao@hanoi.test',
    alertEmailFrom: 'IOC Hà Nội <ioc@hanoi.test>',
    escalateEmailTo: 'cap-tren@hanoi.test',
  });
});
afterAll(async () => {
  await engine?.dispose();
  await mailbox?.close();
});

describe('email notifications', () => {
  it('mails an alert that opens to ALERT_EMAIL_TO, in Vietnamese with English below', async () => {
    const reading = sensor(1, 'weather', {
      id: 'mail-rain',
      ts: new Date().toISOString(),
      area: 'tay_ho',
      metrics: { rainfallMm: 90 },
    });
    expect((await engine.post('/api/ingest?family=sensor', [reading])).status).toBe(200);
    const mail = await until(
      () => mailbox.messages.find((m) => m.subject?.includes('CẢNH BÁO')),
      (m) => m !== undefined,
    );
    expect(mail!.subject).toMatch(/^\[IOC Hà Nội\] CẢNH BÁO (cao|thấp|khẩn cấp) — .+: .*\(tay_ho\) · mới$/);
    expect(mail!.from?.text).toContain('ioc@hanoi.test');
    expect(mail!.rcpt.sort()).toEqual(['lanh-dao@hanoi.test', 'truc-ban@hanoi.test']);
    expect(mail!.text).toContain('Khu vực:');
    expect(mail!.text).toContain('giờ Hà Nội');
    expect(mail!.text).toContain('— English —');
    expect(mail!.text).toContain('Alert opened');
    expect(mail!.text).toMatch(/Sự cố: i-\S+ — .+ \(sự cố mới, chưa tiếp nhận\)/);
    const health = (await engine.get('/api/health')).body;
    expect(health.email).toMatchObject({ configured: true, failed: 0 });
    expect(health.email.sent).toBeGreaterThanOrEqual(1);
    const metrics = (await engine.get('/metrics')).body as string;
    expect(metrics).toMatch(/ioc_email_sent_total\{kind="alert"\} [1-9]/);
    expect(metrics).toContain('ioc_email_queued 0');
  });

  it('mails an incident opened by hand, with no line of the reporter’s text in its headers', async () => {
    const opened = await engine.post('/api/incidents', {
      type: 'flooding',
      severity: 'critical',
      area: 'hoan_kiem',
      description: 'Ngập sâu 40 cm trên phố Tràng Tiền\u2028Bcc: ke-gian@example.com',
    });
    expect(opened.status).toBe(201);
    const id = opened.body.incident.id as string;
    const mail = await until(
      () => mailbox.messages.find((m) => m.text?.includes(id)),
      (m) => m !== undefined,
    );
    expect(mail!.subject).toBe('[IOC Hà Nội] SỰ CỐ khẩn cấp — Ngập úng: Phường Hoàn Kiếm (hoan_kiem) · mới');
    expect(mail!.rcpt.sort()).toEqual(['lanh-dao@hanoi.test', 'truc-ban@hanoi.test']);
    expect(mail!.bcc).toBeUndefined();
    expect(mail!.text).toContain('Mô tả: Ngập sâu 40 cm trên phố Tràng Tiền');
    expect(mail!.text).toContain('Incident opened: Flooding');
    expect(mail!.text).toContain('Xem: /incidents');

    const assigned = await fetch(`${engine.url}/api/incidents/${id}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ assignee: 'Đội thoát nước\u2028Bcc: ke-gian@example.com' }),
    });
    expect(assigned.status).toBe(200);
    const change = await until(
      () => mailbox.messages.find((m) => m.text?.includes(id) && m.subject?.includes('giao cho')),
      (m) => m !== undefined,
    );
    expect(change!.subject).toBe(
      '[IOC Hà Nội] SỰ CỐ khẩn cấp — Ngập úng: Phường Hoàn Kiếm (hoan_kiem) · giao cho Đội thoát nước Bcc: ke-gian@example.com',
    );
    expect(change!.bcc).toBeUndefined();
    expect(change!.rcpt.sort()).toEqual(['lanh-dao@hanoi.test', 'truc-ban@hanoi.test']);
  });

  it('escalates, once, the alert and the incident nobody acknowledged in time; not an acknowledged one', async () => {
    const open = async (description: string) => {
      const r = await engine.post('/api/incidents', {
        type: 'fire',
        severity: 'warning',
        area: 'ba_dinh',
        description,
      });
      expect(r.status).toBe(201);
      return r.body.incident.id as string;
    };
    const late = await open('Khói bốc lên từ tầng 3');
    const handled = await open('Cháy nhỏ đã có người xử lý');
    const ack = await fetch(`${engine.url}/api/incidents/${handled}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'acknowledged' }),
    });
    expect(ack.status).toBe(200);
    const [rain] = (await engine.get('/api/alerts?rule=heavy_rain')).body.alerts;
    expect(rain).toMatchObject({ status: 'open', escalatedAt: null });

    // ESCALATE_AFTER_MIN is 15 by default: the engine's clock goes 16 minutes on.
    const realNow = Date.now.bind(Date);
    const spy = vi.spyOn(Date, 'now').mockImplementation(() => realNow() + 16 * 60_000);
    try {
      const escalation = await until(
        () => mailbox.messages.filter((m) => m.subject?.startsWith('[IOC Hà Nội] BÁO CẤP TRÊN')),
        (m) => m.some((x) => x.text?.includes(late)) && m.some((x) => x.text?.includes(rain.id)),
      );
      const mail = escalation.find((x) => x.text?.includes(late))!;
      expect(mail.subject).toBe(
        '[IOC Hà Nội] BÁO CẤP TRÊN — SỰ CỐ cao — Cháy nổ: Phường Ba Đình (ba_dinh) · đã báo cấp trên',
      );
      expect(mail.rcpt.sort()).toEqual(['cap-tren@hanoi.test', 'lanh-dao@hanoi.test', 'truc-ban@hanoi.test']);
      expect(mail.text).toContain('chưa ai tiếp nhận sau 15 phút');
      expect(mail.text).toContain('not acknowledged after 15 min');

      const incidents = (await engine.get('/api/incidents?status=active&limit=50')).body.incidents as {
        id: string;
        status: string;
        escalatedAt: string | null;
      }[];
      expect(incidents.find((i) => i.id === late)).toMatchObject({ status: 'open', escalatedAt: expect.any(String) });
      expect(incidents.find((i) => i.id === handled)).toMatchObject({ status: 'acknowledged', escalatedAt: null });
      const alert = (await engine.get(`/api/alerts?id=${rain.id}`)).body.alerts[0];
      expect(alert).toMatchObject({ status: 'open', escalatedAt: expect.any(String) });
      const log = await until(
        () => engine.sql(`SELECT changed_by FROM incident_log WHERE incident_id = '${late}' AND action = 'escalated'`),
        (rows) => rows.length > 0,
      );
      expect(log).toEqual([['system']]);

      // Ticks go on (200 ms apart): nothing is escalated a second time.
      const ticks = (await engine.get('/api/health')).body.views.ticks as number;
      await until(
        async () => (await engine.get('/api/health')).body.views.ticks as number,
        (t) => t >= ticks + 3,
      );
      const again = mailbox.messages.filter((m) => m.subject?.startsWith('[IOC Hà Nội] BÁO CẤP TRÊN'));
      expect(again.filter((m) => m.text?.includes(late))).toHaveLength(1);
      expect(again.filter((m) => m.text?.includes(rain.id))).toHaveLength(1);
      expect(again.some((m) => m.text?.includes(handled))).toBe(false);
      const sql = await engine.sql(
        `SELECT count(*) FROM incident_log WHERE action = 'escalated' AND incident_id = '${late}'`,
      );
      expect(Number(sql[0]![0])).toBe(1);
    } finally {
      spy.mockRestore();
    }
  });
});
