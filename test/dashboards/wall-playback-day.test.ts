// Replaying a past day on the wall: a date chosen, scrubbed to an hour, the tiles and the alert ticker as they stood
// then, live updates kept out of sight meanwhile, and today's view back on return.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DAY_MS, hanoiDate } from '../../dashboards/shared/wire/hanoi-time.ts';
import { launchBrowser, openWatchedPage } from '../support/browser.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';
import { camera } from '../support/events.ts';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const TILE_NUMBER = '[data-indicator="traffic_flow"] .tile-value .num';
/** Three days ago in Hanoi, and the hour whose traffic is seeded there. */
const DAY = hanoiDate(Date.now() - 3 * DAY_MS);
const at = (hhmm: string): number => Date.parse(`${DAY}T${hhmm}:00+07:00`);
const SEEDED = at('10:00');
const PAST_EVENTS = 10;

/** The minute today's traffic is seeded in. */
const todayMinute = Math.floor(Date.now() / 60_000) * 60_000;

let engine: TestEngine;
let browser: Browser;
let page: Page;
const problems: string[] = [];

/** The city's traffic flow in the window holding `t`, re-bucketed as the wall asks for it. */
async function cityFlow(from: number, to: number, bucket: string): Promise<{ t: string; value: number; n: number }[]> {
  const q = new URLSearchParams({
    area: 'hanoi',
    from: new Date(from).toISOString(),
    to: new Date(to).toISOString(),
    bucket,
  });
  const res = await engine.get(`/api/indicators/traffic_flow?${q}`);
  expect(res.status).toBe(200);
  return (res.body as { rows: { t: string; value: number; n: number }[] }).rows;
}

const shown = async (): Promise<number> => Number((await page.locator(TILE_NUMBER).textContent())?.replace(/\D/g, ''));

/** Alerts and an incident as the engine stores them, each lived and resolved on the replayed day. */
async function seedAlerts(): Promise<void> {
  const conn = await engine.store.db.connect();
  try {
    for (const [id, vi, en, opened, resolved] of [
      ['a-morning', 'Ùn tắc buổi sáng (thử)', 'Morning jam (test)', at('09:50'), at('10:30')],
      ['a-afternoon', 'Ngập buổi chiều (thử)', 'Afternoon flood (test)', at('14:00'), at('15:00')],
    ] as const)
      await conn.run(
        `INSERT INTO alerts (id, rule, kind, severity, area, subject, title_vi, title_en, status, value, threshold,
          message, condition_since, opened_at, acknowledged_at, acknowledged_by, resolved_at, resolved_by, updated_at)
        VALUES ($id, 'test_rule', 'threshold', 'critical', 'hoan_kiem', 'hoan_kiem', $vi, $en, 'resolved', 1, 1, 'm',
          to_timestamp($opened), to_timestamp($opened), to_timestamp($acked), 'truc-ban', to_timestamp($resolved),
          'truc-ban', to_timestamp($resolved))`,
        { id, vi, en, opened: opened / 1000, acked: (opened + 5 * 60_000) / 1000, resolved: resolved / 1000 },
      );
    // Detected before the seeded hour, acknowledged at 10:02, resolved at 11:00.
    await conn.run(
      `INSERT INTO incidents (id, type, area, status, evidence_since, detected_at, acknowledged_at, resolved_at, checklist,
        updated_at) VALUES ('i-past', 'flooding', 'hoan_kiem', 'resolved', to_timestamp($detected),
        to_timestamp($detected), to_timestamp($acked), to_timestamp($resolved), '[]'::JSON, to_timestamp($resolved))`,
      { detected: at('09:55') / 1000, acked: at('10:02') / 1000, resolved: at('11:00') / 1000 },
    );
  } finally {
    conn.close();
  }
}

const deviceTotal = (): Promise<string | null> => page.locator('#device-legend .legend-unit').textContent();
const pastIncident = async (): Promise<string | null> => {
  const card = page.locator('#incident-room [data-incident="i-past"]');
  return (await card.count()) === 0 ? null : card.getAttribute('data-status');
};

beforeAll(async () => {
  [engine, browser] = await Promise.all([startTestEngine(), launchBrowser()]);
  // The past hour arrives late, as a camera's backlog would; its rollups are computed for that day.
  const past = Array.from({ length: PAST_EVENTS }, (_, i) =>
    camera(i, { id: `past-${i}`, ts: new Date(SEEDED + 10_000 + i * 20_000).toISOString(), area: 'hoan_kiem' }),
  );
  expect((await engine.post('/api/ingest?family=camera', past)).status).toBe(200);
  const now = new Date(todayMinute + 1_000).toISOString();
  const today = [0, 1].map((i) => camera(100 + i, { id: `now-${i}`, ts: now, area: 'hoan_kiem' }));
  expect((await engine.post('/api/ingest?family=camera', today)).status).toBe(200);
  await seedAlerts();
  page = await openWatchedPage(browser, problems, { locale: 'vi-VN', viewport: { width: 1600, height: 900 } });
});

afterAll(async () => {
  await browser?.close();
  await engine?.dispose();
});

describe('the wall replays any past day', () => {
  it('API: the catalogue says how long rollups are kept; alerts are listed by the span they lived', async () => {
    const catalogue = await engine.get('/api/indicators');
    expect(catalogue.body.rollupRetentionDays).toBe(engine.config.retainRollupDays);
    const q = new URLSearchParams({
      from: new Date(at('10:00')).toISOString(),
      to: new Date(at('10:05')).toISOString(),
    });
    const during = await engine.get(`/api/alerts?${q}`);
    expect(during.status).toBe(200);
    expect((during.body as { alerts: { id: string }[] }).alerts.map((a) => a.id)).toEqual(['a-morning']);
    const incidents = await engine.get(`/api/incidents?${q}`);
    expect((incidents.body as { incidents: { id: string }[] }).incidents.map((i) => i.id)).toEqual(['i-past']);
  });

  it('chooses the date, scrubs to the seeded hour, shows its traffic, banner and alert, then returns to live', async () => {
    const [seeded] = await until(
      () => cityFlow(SEEDED, SEEDED + 5 * 60_000, '5m'),
      (rows) => rows[0]?.n === PAST_EVENTS,
    );
    const todayRow = await until(
      async () => (await cityFlow(Date.now() - 10 * 60_000, Date.now() + 60_000, '1m')).at(-1),
      (row) => row?.n === 2,
    );
    expect(seeded!.value).not.toBe(todayRow!.value);

    await page.goto(`${engine.url}/`, { waitUntil: 'load' });
    // The wall's first boot (126 wards in software WebGL) is slow on a busy runner.
    await page.locator('#conn[data-state="live"]').waitFor({ timeout: 30_000 });
    await page.locator('#indicator-select').selectOption('traffic_flow');
    await expect.poll(shown, { timeout: 10_000 }).toBe(todayRow!.value);
    // Live: the two cameras heard today; the incident long resolved is not in the room.
    await expect.poll(deviceTotal).toBe('2');
    expect(await pastIncident()).toBeNull();
    const dayInput = page.locator('#playback input[name="pb-day"]');
    // Bounded by the rollups the engine keeps, up to today.
    expect(await dayInput.getAttribute('max')).toBe(hanoiDate(Date.now()));
    expect(await dayInput.getAttribute('min')).toBe(hanoiDate(Date.now() - engine.config.retainRollupDays * DAY_MS));

    await dayInput.fill(DAY);
    const slider = page.locator('body.replaying #playback input[type="range"]');
    await slider.waitFor({ timeout: 5_000 });
    expect(Number(await slider.getAttribute('max'))).toBe(288);
    await slider.fill(String(10 * 12));
    const [, mm, dd] = DAY.split('-');
    await expect.poll(() => page.locator('#replay-banner').textContent()).toBe(`PHÁT LẠI ${dd}/${mm} 10:00`);
    await expect.poll(shown).toBe(seeded!.value);
    // The alert open at 10:00 of that day, acknowledged by then; not the afternoon's.
    const ticker = page.locator('#ticker');
    await expect.poll(() => ticker.textContent()).toContain('Ùn tắc buổi sáng (thử)');
    expect(await ticker.textContent()).not.toContain('Ngập buổi chiều');
    expect(await ticker.locator('button.ack').count()).toBe(0);
    // The incident of that day, not yet acknowledged at 10:00, with nothing to act on; no camera had reported yet.
    await expect.poll(pastIncident).toBe('open');
    expect(await page.locator('#incidents-count').textContent()).toBe('1');
    expect(await page.locator('#incident-room [data-incident="i-past"] [data-action]').count()).toBe(0);
    // Nor can an incident be reported from the replayed wall: it would open now.
    const reportHidden = () => page.locator('#incident-room .room-report').evaluate((el) => (el as HTMLElement).hidden);
    expect(await reportHidden()).toBe(true);
    await expect.poll(deviceTotal).toBe('0');

    // A ward pinned now shows that moment: the replayed indicator's value then, not today's values beside it.
    const search = page.locator('#area-search');
    await search.fill('hoan kiem');
    await expect.poll(() => page.locator('#area-hits .area-hit').first().textContent()).toMatch(/^Hoàn Kiếm/);
    await search.press('Enter');
    const card = page.locator('#card:not([hidden])');
    await card.locator('.card-caption').waitFor({ timeout: 5_000 });
    await expect.poll(() => card.locator('.card-caption').textContent()).toContain(`PHÁT LẠI ${dd}/${mm} 10:00`);
    expect(await card.locator('table tr').count()).toBe(1);
    expect(Number((await card.locator('table .num').textContent())?.replace(/\D/g, ''))).toBe(seeded!.value);

    // Live traffic arriving now changes nothing on the replayed wall.
    const laterMinute = Math.floor(Date.now() / 60_000) * 60_000;
    const later = new Date(laterMinute + 2_000).toISOString();
    await engine.post('/api/ingest?family=camera', [camera(200, { id: 'now-late', ts: later, area: 'hoan_kiem' })]);
    const liveRow = await until(
      async () => (await cityFlow(Date.now() - 10 * 60_000, Date.now() + 60_000, '1m')).at(-1),
      (row) => row?.t === new Date(laterMinute).toISOString() && row.n === (laterMinute === todayMinute ? 3 : 1),
    );
    expect(await shown()).toBe(seeded!.value);

    // A step on: 10:05, the morning alert still open.
    await page.locator('[data-play="forward"]').click();
    await expect.poll(() => page.locator('#replay-banner').textContent()).toBe(`PHÁT LẠI ${dd}/${mm} 10:05`);
    await expect.poll(() => card.locator('.card-caption').textContent()).toContain(`PHÁT LẠI ${dd}/${mm} 10:05`);
    expect(await ticker.textContent()).toContain('Ùn tắc buổi sáng (thử)');
    // By 10:05 the seven cameras of that morning had reported (not today's), and the incident was acknowledged.
    await expect.poll(deviceTotal).toBe('7');
    await expect.poll(pastIncident).toBe('acknowledged');
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}wall-playback-day.png` });
    // The afternoon: the morning alert closed, the flood open.
    await slider.fill(String(14 * 12 + 1));
    await expect.poll(() => ticker.textContent()).toContain('Ngập buổi chiều (thử)');
    expect(await ticker.textContent()).not.toContain('Ùn tắc buổi sáng');
    // Played at 3600× the afternoon moves on by about a quarter of an hour each tick; paused, it holds.
    await page.locator('#playback select[name="pb-speed"]').selectOption('3600');
    await page.locator('[data-play="toggle"]').click();
    await expect
      .poll(() => page.locator('#replay-banner').textContent())
      .toMatch(new RegExp(`^PHÁT LẠI ${dd}/${mm} (1[5-9]|2\\d):\\d\\d$`));
    await page.locator('[data-play="toggle"]').click();
    const paused = await page.locator('#replay-banner').textContent();
    expect(await page.locator('[data-play="toggle"]').textContent()).toBe('▶ Phát');
    expect(await page.locator('#replay-banner').textContent()).toBe(paused);

    await page.locator('[data-play="live"]').click();
    await page.locator('body:not(.replaying) [data-play="enter"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('#replay-banner').isHidden()).toBe(true);
    await expect.poll(shown, { timeout: 5_000 }).toBe(liveRow!.value);
    // The pinned card is live again: every indicator's latest value, no replayed moment.
    await expect.poll(() => card.locator('.card-caption').textContent()).not.toContain('PHÁT LẠI');
    expect(await card.locator('table tr').count()).toBeGreaterThan(1);
    await expect.poll(() => ticker.textContent()).not.toContain('Ùn tắc buổi sáng');
    // Today's three cameras again, and no incident of that day.
    await expect.poll(deviceTotal).toBe('3');
    await expect.poll(pastIncident).toBeNull();
    expect(await reportHidden()).toBe(false);
    expect(problems).toEqual([]);
  });
});
