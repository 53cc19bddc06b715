// The analysts' console in headless Chromium against a running engine: type, run, see rows, errors in place, 100k rows, export, chart, cancel.
import { mkdir, readFile } from 'node:fs/promises';
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { camera } from '../support/events.ts';
import { canvasHasPixels, launchBrowser, SCREEN_POLL_MS } from '../support/browser.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';

const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;
const VIEWPORT = { width: 1920, height: 1080 };
let engine: TestEngine;
let browser: Browser;
let page: Page;
const problems: string[] = [];

async function typeQuery(sql: string): Promise<void> {
  await page.locator('.cm-content').click();
  await page.keyboard.press('Control+A');
  await page.keyboard.press('Delete');
  // Typing like a person, then closing the completion list so it does not swallow the run key.
  await page.keyboard.type(sql, { delay: 0 });
  await page.keyboard.press('Escape');
}

async function runTyped(sql: string): Promise<string> {
  await typeQuery(sql);
  await page.keyboard.press('Control+Enter');
  await page.locator('#run:not([disabled])').waitFor();
  return (await page.locator('#status').textContent()) ?? '';
}

beforeAll(async () => {
  [engine, browser] = await Promise.all([startTestEngine({ sqlTimeoutMs: 20_000 }), launchBrowser()]);
  const pub = await mqtt.connectAsync(engine.mqttUrl, { clientId: `console-test-${process.pid}` });
  const now = Date.now();
  for (let i = 0; i < 40; i++) {
    const e = camera(i, {
      ts: new Date(now - 1_800_000 + i * 30_000).toISOString(),
      lat: 21.0 + (i % 7) * 0.01,
      lon: 105.8 + (i % 5) * 0.01,
    });
    await pub.publishAsync(`city/camera/${String(e['cameraId'])}`, JSON.stringify(e), { qos: 1 });
  }
  await pub.endAsync();
  await until(
    () => engine.sql('SELECT count(*) FROM camera_events'),
    (r) => r[0]![0] === 40,
  );
  const context = await browser.newContext({
    viewport: VIEWPORT,
    deviceScaleFactor: 1,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
    acceptDownloads: true,
  });
  page = await context.newPage();
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error' && !/status of 4\d\d/.test(msg.text())) problems.push(`console.error: ${msg.text()}`);
  });
});

afterEach(() => {
  expect(problems, 'the console logged errors').toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await engine?.dispose();
});

describe("analysts' console in Chromium", () => {
  it('opens in Vietnamese with the catalog and completion from it', async () => {
    await page.goto(`${engine.url}/console`, { waitUntil: 'load' });
    expect(await page.locator('#title').textContent()).toBe('Phân tích dữ liệu SQL');
    await page.locator('#catalog details[data-table="camera_events"]').waitFor();
    expect(await page.locator('#catalog details[data-table="camera_events"] .tcount').textContent()).toBe('40');
    await typeQuery('SELECT camera_events.avg_sp');
    await page.keyboard.press('Control+Space');
    await page.locator('.cm-tooltip-autocomplete').waitFor({ timeout: 5_000 });
    expect(await page.locator('.cm-tooltip-autocomplete').textContent()).toContain('avg_speed_kmh');
    await page.keyboard.press('Escape');
  });

  it('runs a typed query with Ctrl+Enter and shows its rows', async () => {
    const status = await runTyped('SELECT camera_id, lat, lon, car, ts FROM camera_events ORDER BY id LIMIT 25');
    expect(status).toMatch(/^25 dòng/);
    const first = page.locator('.grid-rows .row').first();
    expect(await first.locator('div').nth(1).textContent()).toBe('cam-0');
    expect(await page.locator('.grid-head div').nth(1).textContent()).toContain('camera_id');
    // TIMESTAMPTZ shown in Hanoi time.
    expect(await first.locator('div').nth(5).textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} \+07$/);
    expect(await page.locator('#history .item').count()).toBeGreaterThan(0);
  });

  it("shows DuckDB's error where it happened", async () => {
    await runTyped('SELECT camera_id,\n  nosuch FROM camera_events');
    const error = page.locator('#error');
    await error.waitFor();
    expect(await error.textContent()).toMatch(/dòng 2, cột 3[\s\S]*Binder Error: Referenced column "nosuch" not found/);
    expect(await page.locator('.cm-lintRange-error').textContent()).toBe('nosuch');
  });

  it('scrolls 100,000 rows with only the visible ones in the page', async () => {
    const status = await runTyped('SELECT range AS i, range * 2 AS twice, md5(range::VARCHAR) AS h FROM range(100000)');
    expect(status).toMatch(/^100\.000 dòng/);
    expect(await page.locator('#error').isHidden()).toBe(true);
    expect(await page.locator('.grid-rows .row').count()).toBeLessThan(150);
    const t0 = Date.now();
    await page.locator('#grid').evaluate((el) => {
      el.scrollTop = el.scrollHeight;
    });
    await until(
      () => page.locator('.grid-rows .row').last().locator('div').first().textContent(),
      (t) => t === '100000',
      5_000,
    );
    expect(Date.now() - t0).toBeLessThan(2_000);
    expect(await page.locator('.grid-rows .row').count()).toBeLessThan(150);
    await page.locator('#grid').evaluate((el) => {
      el.scrollTop = 0;
    });
  });

  it('exports the whole result as CSV', async () => {
    await runTyped('SELECT camera_id, car FROM camera_events ORDER BY id');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('#export-csv').click()]);
    expect(download.suggestedFilename()).toBe('result.csv');
    const text = await readFile(await download.path(), 'utf8');
    const lines = text.trimEnd().split('\r\n');
    expect(lines[0]).toBe('camera_id,car');
    expect(lines).toHaveLength(41);
    expect(lines[1]).toBe('cam-0,3');
  });

  it('charts the result: a line over time and a map of lat/lon', async () => {
    await runTyped(
      'SELECT time_bucket(INTERVAL 5 MINUTE, ts) AS t, area, sum(car) AS cars FROM camera_events GROUP BY ALL ORDER BY t',
    );
    await page.locator('#tab-chart').click();
    expect(await canvasHasPixels(page, '#chart-canvas')).toBe(true);
    await runTyped('SELECT lat, lon, car FROM camera_events');
    await page.locator('#chart-kind').selectOption('map');
    await until(
      () => canvasHasPixels(page, '#chart-map canvas'),
      (drawn) => drawn,
      10_000,
      SCREEN_POLL_MS,
    );
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}console-map-1920x1080.png` });
    await page.locator('#chart-kind').selectOption('line');
    await page.locator('#tab-grid').click();
  });

  it('cancels a running query from the page', async () => {
    await typeQuery('SELECT sum(a.range * b.range) FROM range(100000) a CROSS JOIN range(100000) b');
    await page.keyboard.press('Control+Enter');
    await page.locator('#cancel:not([disabled])').waitFor();
    await new Promise((r) => setTimeout(r, 300));
    const t0 = Date.now();
    await page.locator('#cancel').click();
    await page.locator('#run:not([disabled])').waitFor({ timeout: 5_000 });
    expect(Date.now() - t0).toBeLessThan(3_000);
    expect(await page.locator('#error').textContent()).toMatch(/Đã dừng truy vấn/);
  });

  it('reads in English as it does in Vietnamese: labels, counts, DuckDB’s error position', async () => {
    await page.locator('#lang').click();
    await page.locator('html[lang="en"]').waitFor();
    expect(await page.locator('#title').textContent()).toBe('SQL analytics console');
    expect(await page.locator('#run').textContent()).toContain('Run');
    expect(await runTyped('SELECT camera_id FROM camera_events ORDER BY id LIMIT 25')).toMatch(/^25 rows/);
    await runTyped('SELECT camera_id,\n  nosuch FROM camera_events');
    expect(await page.locator('#error').textContent()).toMatch(/line 2, column 3[\s\S]*Binder Error/);
    // The choice is kept for the next visit, and switches back.
    await page.reload({ waitUntil: 'load' });
    await page.locator('html[lang="en"]').waitFor();
    await page.locator('#lang').click();
    await page.locator('html[lang="vi"]').waitFor();
    expect(await page.locator('#title').textContent()).toBe('Phân tích dữ liệu SQL');
  });

  it('saves a 1920×1080 screenshot of a result', async () => {
    await runTyped(
      'SELECT camera_id, area, count(*) AS reports, round(avg(avg_speed_kmh), 1) AS avg_kmh, sum(car + motorbike + bus + truck) AS vehicles, max(ts) AS last_report FROM camera_events GROUP BY ALL ORDER BY camera_id',
    );
    await page.mouse.move(1900, 1000);
    await page.screenshot({ path: `${ARTIFACTS}console-1920x1080.png` });
  });

  it('makes the current query a live indicator: fields, preview of the first windows, backfill to live', async () => {
    await typeQuery(
      'SELECT $bucket AS t, $area AS area, avg(avg_speed_kmh) AS value, count(*) AS n\nFROM camera_events\nWHERE ts >= $from AND ts < $to\nGROUP BY $group',
    );
    await page.locator('#make-live').click();
    const dialog = page.locator('#live-dialog');
    await dialog.waitFor();
    expect(await dialog.locator('[name="source"]').inputValue()).toBe('camera');
    await dialog.locator('[name="name"]').fill('console_speed');
    await dialog.locator('[name="vi"]').fill('Tốc độ trung bình (thử)');
    await dialog.locator('[name="en"]').fill('Average speed (trial)');
    await dialog.locator('[name="unit"]').fill('km/h');
    await dialog.locator('[name="window"]').selectOption('15m');
    await dialog.locator('[name="direction"]').selectOption('up');
    await dialog.locator('[name="warn"]').fill('20');
    // A mistake in the SELECT is named by its line there.
    const sql = dialog.locator('[name="sql"]');
    const good = await sql.inputValue();
    await sql.fill(good.replace('avg_speed_kmh', 'avg_speed_kmhh'));
    await page.locator('#live-preview-btn').click();
    await expect.poll(() => page.locator('#live-error').textContent()).toMatch(/^câu SELECT, dòng 1: .*avg_speed_kmhh/);
    await sql.fill(good);
    await page.locator('#live-preview-btn').click();
    await page.locator('#live-preview table').waitFor();
    expect(await page.locator('#live-preview th').allTextContents()).toEqual(['t', 'area', 'value', 'n']);
    expect(await page.locator('#live-preview tbody tr').count()).toBeGreaterThan(0);
    await page.locator('#live-create').click();
    await expect
      .poll(() => page.locator('#live-progress span').textContent(), { timeout: 30_000 })
      .toMatch(/console_speed.*đã hoạt động/);
    await page.screenshot({ path: `${ARTIFACTS}console-live-indicator.png` });
    const made = await engine.get('/api/views/console_speed');
    expect(made.body).toMatchObject({ status: 'live', origin: 'runtime' });
    expect(made.body.text).toMatch(/-- window: 15m\n[\s\S]*-- direction: up\n[\s\S]*-- thresholds.warn: 20\n/);
    expect(made.body.rows).toBeGreaterThan(0);
    await dialog.locator('button[value="cancel"]').click();
  });
});
