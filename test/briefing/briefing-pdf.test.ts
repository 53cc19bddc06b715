// GET /api/briefing/pdf against a real engine fed one known day: an A4 PDF whose text, read back with PDF.js, has the
// title and date, Vietnamese written right, and the same figures as GET /api/briefing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hanoiYesterday, loadBriefingDay } from '../support/briefing-day.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';
import { pdfText } from '../support/pdf-text.ts';
import { ManualClock } from '../support/manual-clock.ts';
import { startMailbox } from '../support/smtp.ts';
import { renderBriefingPdf, startBriefingSchedule } from '../../engine/briefing/index.ts';
import { createLogger } from '../../engine/log.ts';
import { openOutbox } from '../../engine/notify/index.ts';
import { briefingSchema } from '../../dashboards/shared/wire/index.ts';

let engine: TestEngine;
const date = hanoiYesterday();
const [y, m, d] = date.split('-');
const shown = `${d}/${m}/${y}`;

beforeAll(async () => {
  engine = await startTestEngine();
  await loadBriefingDay(engine, date);
});
afterAll(async () => {
  await engine?.dispose();
});

async function pdf(path: string): Promise<{ res: Response; bytes: Uint8Array; text: string; pages: number }> {
  const res = await fetch(engine.url + path);
  const bytes = new Uint8Array(await res.arrayBuffer());
  const pages = await pdfText(bytes);
  return { res, bytes, text: pages.join(' '), pages: pages.length };
}

/** The font has no ≥: the PDF writes >=. */
const written = (s: string) => s.replace(/≥/g, '>=');
const kpi = (body: any, name: string) => body.kpis.find((k: { name: string }) => k.name === name);
const fmt = (locale: string, v: number, digits: number) =>
  new Intl.NumberFormat(locale, { maximumFractionDigits: digits }).format(v);

describe('GET /api/briefing/pdf', () => {
  it('is an A4 PDF in Vietnamese with the title, the date, the words with their diacritics and the JSON’s figures', async () => {
    const { res, bytes, text, pages } = await pdf(`/api/briefing/pdf?date=${date}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toBe(`attachment; filename="briefing-${date}.pdf"`);
    expect(new TextDecoder().decode(bytes.slice(0, 5))).toBe('%PDF-');
    // A4 portrait, in points.
    expect(new TextDecoder('latin1').decode(bytes)).toMatch(/\/MediaBox \[0 0 595\.28 841\.89\]/);

    expect(text).toContain(`Báo cáo điều hành đô thị ngày ${shown}`);
    for (const word of [
      'Hà Nội',
      'Phường Đống Đa',
      'Đống Đa',
      'Phường, xã',
      'Chỉ tiêu chính',
      'Mực nước',
      'ùn tắc',
      'Tốt nhất',
    ])
      expect(text).toContain(word);
    expect(text).not.toContain('DỮ LIỆU MÔ PHỎNG');
    expect(text).toMatch(new RegExp(`Trang 1/${pages}`));
    expect(text).toMatch(/Lập lúc [\d:/, ]+ \(giờ Hà Nội\)/);

    const json = (await engine.get(`/api/briefing?date=${date}`)).body;
    for (const p of json.narrative) expect(text).toContain(written(p));
    expect(text).toContain(`${fmt('vi-VN', kpi(json, 'avg_speed').value, 1)} km/h`);
    expect(text).toContain(`${fmt('vi-VN', kpi(json, 'water_level_max').value, 1)} cm`);
    expect(text).toContain(`${fmt('vi-VN', kpi(json, 'service_online_rate').value, 1)}%`);
    expect(text).toContain(`Sự cố trong kỳ: ${json.incidents.total}`);
    const traffic = json.themes.find((t: { theme: string }) => t.theme === 'traffic');
    expect(text).toContain(`1. ${traffic.worst[0].name}`);
  });

  it('is in English on request, and of a week', async () => {
    const { res, text } = await pdf(`/api/briefing/pdf?date=${date}&lang=en`);
    expect(res.status).toBe(200);
    expect(text).toContain(`City operations briefing, ${shown}`);
    expect(text).toContain('Headline indicators');
    expect(text).toMatch(/Page 1 of \d+/);
    const json = (await engine.get(`/api/briefing?date=${date}&lang=en`)).body;
    for (const p of json.narrative) expect(text).toContain(written(p));
    expect(text).toContain(`${fmt('en-GB', kpi(json, 'avg_speed').value, 1)} km/h`);
    expect(text).toContain(`Incidents of the period: ${json.incidents.total}`);
    const week = await pdf(`/api/briefing/pdf?date=${date}&span=week&lang=en`);
    expect(week.res.headers.get('content-disposition')).toBe(`attachment; filename="briefing-week-${date}.pdf"`);
    const last = new Date(Date.parse(`${date}T00:00:00Z`) + 6 * 86_400_000).toISOString().slice(0, 10).split('-');
    expect(week.text).toContain(`City operations briefing, week ${shown} – ${last[2]}/${last[1]}/${last[0]}`);
  });

  it("counts the operators' incidents against the 1 h / 4 h targets", async () => {
    // A fire reported by phone in Đống Đa, opened by hand now: detected at once, not resolved yet.
    const fire = {
      type: 'fire',
      severity: 'warning',
      lat: 21.017,
      lon: 105.8222,
      description: 'Cháy nhỏ, phố Tây Sơn',
    };
    const opened = await engine.post('/api/incidents', fire);
    expect(opened.status).toBe(201);
    const today = new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);
    const json = (await engine.get(`/api/briefing?date=${today}`)).body;
    expect(json.incidents.response).toMatchObject({ total: 1, detectedInHour: 1, resolved: 0, resolvedIn4h: 0 });
    const { text } = await pdf(`/api/briefing/pdf?date=${today}`);
    expect(text).toContain('Sự cố do trực ban xử lý: 1');
    expect(text).toMatch(/Phát hiện trong 1 giờ 1\/1/);
    expect(text).toMatch(/Giải quyết trong 4 giờ \(0 đã giải quyết\) 0\/1/);
  });

  it('answers a bad date with a JSON error naming the field', async () => {
    expect(await engine.get('/api/briefing/pdf?date=2026-02-31')).toMatchObject({
      status: 400,
      body: { error: { code: 'bad_request', message: expect.stringContaining('"date"') } },
    });
    expect(await engine.get('/api/briefing/pdf?date=yesterday')).toMatchObject({
      status: 400,
      body: { error: { code: 'bad_request', message: expect.stringContaining('"date"') } },
    });
  });

  it('is the same file for the same briefing and generation time, and marks simulated data', async () => {
    const b = briefingSchema.parse((await engine.get(`/api/briefing?date=${date}`)).body);
    const one = await renderBriefingPdf(b, 'vi');
    expect(Buffer.from(await renderBriefingPdf(b, 'vi')).equals(Buffer.from(one))).toBe(true);
    const later = await renderBriefingPdf(
      { ...b, generatedAt: new Date(Date.parse(b.generatedAt) + 60_000).toISOString() },
      'vi',
    );
    expect(Buffer.from(later).equals(Buffer.from(one))).toBe(false);
    const simulated = (await pdfText(await renderBriefingPdf({ ...b, simulated: true }, 'vi'))).join(' ');
    expect(simulated).toContain('DỮ LIỆU MÔ PHỎNG · SIMULATED DATA');
  });
});

describe('the morning email', () => {
  it("emails yesterday's briefing, in Vietnamese with its PDF, to BRIEFING_TO at 07:00 Hanoi time", async () => {
    const to = ['lanhdao@hanoi.gov.vn'];
    const mailbox = await startMailbox();
    const outbox = openOutbox(
      { smtpUrl: `smtp://127.0.0.1:${mailbox.port}`, alertEmailFrom: 'IOC Hà Nội <ioc@hanoi.gov.vn>' },
      createLogger('silent'),
    )!;
    // One second before 07:00 in Hanoi the day after the seeded one.
    const clock = new ManualClock(Date.parse(`${date}T00:00:00+07:00`) + 86_400_000 + 7 * 3_600_000 - 1000);
    const schedule = startBriefingSchedule({
      config: { briefingAt: '07:00', briefingTo: to },
      outbox,
      briefing: async (q) =>
        briefingSchema.parse((await engine.get(`/api/briefing?date=${q.date}&span=${q.span}&lang=${q.lang}`)).body),
      clock,
      log: createLogger('silent'),
    })!;
    try {
      expect(clock.delays).toEqual([1000]);
      clock.fire();
      await until(
        () => mailbox.messages.length,
        (n) => n >= 1,
      );
    } finally {
      schedule.stop();
      await outbox.close();
      await mailbox.close();
    }
    const mail = mailbox.messages[0]!;
    const json = (await engine.get(`/api/briefing?date=${date}`)).body;
    expect(mail.rcpt).toEqual(to);
    expect(mail.subject).toBe(`Báo cáo điều hành ngày ${shown} — IOC Hà Nội`);
    expect(mail.text?.trim()).toBe(json.narrative[0]);
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([
      [`briefing-${date}.pdf`, 'application/pdf'],
    ]);
    const text = (await pdfText(new Uint8Array(mail.attachments[0]!.content))).join(' ');
    expect(text).toContain(`Báo cáo điều hành đô thị ngày ${shown}`);
    expect(text).toContain(written(json.narrative[1]));
  });
});
