// GET /api/briefing against a real engine fed one known day: KPIs against targets, rankings, incidents, alerts and the narrative.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hanoiYesterday, loadBriefingDay } from '../support/briefing-day.ts';
import { startTestEngine, type TestEngine } from '../support/engine.ts';

let engine: TestEngine;
const date = hanoiYesterday();
const day = { from: Date.parse(`${date}T00:00:00+07:00`), to: Date.parse(`${date}T00:00:00+07:00`) + 86_400_000 };

beforeAll(async () => {
  engine = await startTestEngine();
  await loadBriefingDay(engine, date);
});
afterAll(async () => {
  await engine?.dispose();
});

const kpi = (body: any, name: string) => body.kpis.find((k: { name: string }) => k.name === name);

describe('GET /api/briefing', () => {
  it('rates the day’s KPIs against their targets and thresholds, with a trend per hour', async () => {
    const { status, body } = await engine.get(`/api/briefing?date=${date}&span=day`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      date,
      span: 'day',
      hasData: true,
      simulated: false,
      from: new Date(day.from).toISOString(),
      to: new Date(day.to).toISOString(),
    });
    // 3 cameras × 144 reports; Hoàn Kiếm crawls at 9 km/h for 2 hours (12 reports), everyone else drives at 32.
    expect(kpi(body, 'avg_speed').value).toBeCloseTo((32 * 432 - 23 * 12) / 432, 6);
    expect(kpi(body, 'avg_speed').status).toBe('met');
    expect(kpi(body, 'water_level_max')).toMatchObject({ value: 62, status: 'missed' });
    expect(kpi(body, 'service_online_rate')).toMatchObject({ value: 70, status: 'met', target: 60 });
    expect(kpi(body, 'avg_speed').trend).toMatchObject({ bucket: '1h' });
    expect(kpi(body, 'avg_speed').trend.points).toHaveLength(24);
  });

  it('ranks areas per theme, lists incidents and threshold breaches, and counts VN_AQI hours as the aqi rollup does', async () => {
    const { body } = await engine.get(`/api/briefing?date=${date}`);
    const traffic = body.themes.find((t: { theme: string }) => t.theme === 'traffic');
    expect(traffic.worst[0].area).toBe('hoan_kiem');
    const air = body.themes.find((t: { theme: string }) => t.theme === 'air');
    expect(air.best[0].area).toBe('cau_giay');
    expect(air.worst[0].area).toBe('dong_da');
    // The 7:00–7:30 jam is one incident (consecutive reports), the 17:00 accident another.
    expect(body.incidents.total).toBe(2);
    expect(body.incidents.byType.map((t: { type: string }) => t.type).sort()).toEqual(['accident', 'congestion']);
    // The alerting engine judges the present, so a replayed past day raises none; the section is there, empty.
    expect(body.raised).toMatchObject({ total: expect.any(Number), items: expect.any(Array) });
    expect(
      body.alerts.some(
        (a: { indicator: string; area: string }) => a.indicator === 'water_level_max' && a.area === 'hoang_mai',
      ),
    ).toBe(true);
    const hours = (
      await engine.sql(
        `SELECT count(*) FROM aqi WHERE area = 'dong_da' AND value >= 101 AND t >= '${new Date(day.from).toISOString()}' AND t < '${new Date(day.to).toISOString()}'`,
      )
    )[0]?.[0];
    expect(hours).toBeGreaterThan(0);
    expect(body.air.hours[0]).toMatchObject({ area: 'dong_da', hours: Number(hours) });
  });

  it('writes the narrative from the data, in Vietnamese by default and in English', async () => {
    const vi = (await engine.get(`/api/briefing?date=${date}`)).body.narrative.join(' ');
    const en = (await engine.get(`/api/briefing?date=${date}&lang=en`)).body.narrative.join(' ');
    expect(vi).toMatch(/VN_AQI ở mức 'Kém' trở lên \(≥ 101\) trong \d+ giờ tại Phường Đống Đa \(Quận Đống Đa cũ\)/);
    expect(vi).toContain('vượt mức báo động 50 cm tại Phường Hoàng Mai (Quận Hoàng Mai cũ).');
    expect(vi).toContain('Camera phát hiện 2 sự cố');
    expect(en).toMatch(
      /the VN_AQI was 'Kém' \(poor\) or worse \(≥ 101\) for \d+ hours in Phuong Dong Da \(former Dong Da district\)/,
    );
    expect(en).toContain('The cameras detected 2 incidents');
    expect(en).not.toMatch(/giờ|tại/);
  });

  it("sums up the citizens' feedback: received, on time, reopened, rating, categories and what is still open", async () => {
    const { body } = await engine.get(`/api/briefing?date=${date}`);
    // 10 received; 6 resolutions (4 on time, 1 late at 18:00, 1 at 11:00 later reopened): 5 of 6 on time, 1 reopening
    // per 6 resolutions; ratings 5, 4, 4, 3, 2; open at midnight: the reopened report and the three never settled.
    expect(body.feedback).toEqual({
      received: 10,
      resolvedOnTime: expect.closeTo((100 * 5) / 6, 6),
      reopenRate: expect.closeTo(100 / 6, 6),
      rating: expect.closeTo(3.6, 6),
      backlog: 4,
      categories: [
        { category: 'waste', received: 6 },
        { category: 'traffic', received: 3 },
        { category: 'lighting', received: 1 },
      ],
      backlogAreas: [
        { area: 'hoan_kiem', name: 'Phường Hoàn Kiếm (Quận Hoàn Kiếm cũ)', nameEn: expect.any(String), count: 2 },
        { area: 'cau_giay', name: expect.stringContaining('Cầu Giấy'), nameEn: expect.any(String), count: 1 },
        { area: 'dong_da', name: expect.stringContaining('Đống Đa'), nameEn: expect.any(String), count: 1 },
      ],
    });
    const vi = (await engine.get(`/api/briefing?date=${date}`)).body.narrative.join(' ');
    const en = (await engine.get(`/api/briefing?date=${date}&lang=en`)).body.narrative.join(' ');
    expect(vi).toContain(
      'Phản ánh của người dân: tiếp nhận 10 phản ánh, nhiều nhất về rác thải (6) và giao thông (3); giải quyết đúng hạn 83,3%, 16,7 lần mở lại trên 100 lần giải quyết, mức hài lòng 3,6/5.',
    );
    expect(vi).toContain(
      'Cuối kỳ còn 4 phản ánh chưa xử lý xong, nhiều nhất tại Phường Hoàn Kiếm (Quận Hoàn Kiếm cũ) (2).',
    );
    expect(en).toContain(
      "Citizens' feedback: 10 reports received, mostly about waste (6) and traffic (3); 83.3% resolved on time, 16.7 reopenings per 100 resolutions, a mean rating of 3.6 out of 5.",
    );
    expect(en).toMatch(/4 reports were still open at the end of the period, most in .*Hoan Kiem.* \(2\)\./);
  });

  it('says clearly when a period has no data, and covers a week', async () => {
    const empty = (await engine.get('/api/briefing?date=2024-01-01&lang=en')).body;
    expect(empty).toMatchObject({ hasData: false, themes: [], incidents: { total: 0 }, feedback: null });
    expect(empty.narrative).toEqual(['No data on 01/01/2024: the engine received no events for this period.']);
    const weekFrom = new Date(day.from - 3 * 86_400_000 + 7 * 3_600_000).toISOString().slice(0, 10);
    const week = (await engine.get(`/api/briefing?date=${weekFrom}&span=week`)).body;
    expect(week).toMatchObject({ span: 'week', hasData: true });
    expect(kpi(week, 'avg_speed').trend.bucket).toBe('1d');
  });

  it('runs the saved queries promoted to the briefing for its period, each as a section', async () => {
    const put = (name: string, body: unknown) =>
      fetch(`${engine.url}/api/queries/${name}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const period = [
      { name: 'from', type: 'time', default: '2020-01-01T00:00:00Z' },
      { name: 'to', type: 'time', default: '2020-01-02T00:00:00Z' },
    ];
    expect(
      (
        await put('pm25_by_ward', {
          title: { vi: 'PM2.5 theo phường', en: 'PM2.5 by ward' },
          sql: `SELECT area, round(avg(pm25), 1) AS pm25 FROM sensor_events
                WHERE kind = 'air' AND ts >= $from::TIMESTAMPTZ AND ts < $to::TIMESTAMPTZ GROUP BY area ORDER BY pm25 DESC`,
          params: period,
          unit: 'µg/m³',
          briefing: true,
        })
      ).status,
    ).toBe(200);
    expect((await put('broken', { sql: 'SELECT no_such_column FROM sensor_events', briefing: true })).status).toBe(200);
    expect((await put('wall_only', { sql: 'SELECT 1 AS one', wall: true })).status).toBe(200);

    const { body } = await engine.get(`/api/briefing?date=${date}`);
    expect(body.sections.map((x: { name: string }) => x.name)).toEqual(['broken', 'pm25_by_ward']);
    const pm = body.sections[1];
    expect(pm).toMatchObject({ title: { en: 'PM2.5 by ward' }, unit: 'µg/m³', error: null, truncated: false });
    expect(pm.columns.map((c: { name: string }) => c.name)).toEqual(['area', 'pm25']);
    // Đống Đa's 95 µg/m³ from 6 to 14 h is the day's worst; the parameters were the day's bounds, not their defaults.
    expect(pm.rows[0][0]).toBe('dong_da');
    expect(pm.rows[0][1]).toBeCloseTo((95 * 8 + 18 * 16) / 24, 1);
    expect(body.sections[0]).toMatchObject({ rows: [], error: expect.stringMatching(/no_such_column/) });
    // Another day has its own rows.
    const empty = (await engine.get('/api/briefing?date=2024-01-01')).body;
    expect(empty.sections[1]).toMatchObject({ name: 'pm25_by_ward', rows: [], error: null });
  });

  it('answers bad parameters with a JSON error naming the field', async () => {
    expect(await engine.get('/api/briefing?date=2026-02-31')).toMatchObject({
      status: 400,
      body: { error: { code: 'bad_request', message: expect.stringContaining('"date"') } },
    });
    expect(await engine.get('/api/briefing?span=month')).toMatchObject({
      status: 400,
      body: { error: { code: 'bad_request', message: expect.stringContaining('"span"') } },
    });
    expect(await engine.get('/api/briefing?lang=fr')).toMatchObject({
      status: 400,
      body: { error: { code: 'bad_request', message: expect.stringContaining('"lang"') } },
    });
  });
});
