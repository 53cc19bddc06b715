// The wall's heat layer of citizens' reports in headless Chromium: the toggle, the hot spots, the legend, both languages.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, SCREEN_POLL_MS, warmPixelCount } from '../support/browser.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';
import { feedback } from '../support/events.ts';
import { mulberry32 } from '../../sources/simulate/prng.ts';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const H = 3_600_000;
/** Three hot spots of unequal heat (the Old Quarter, Cầu Giấy, Hà Đông) and reports scattered over the centre. */
const SPOTS: [lon: number, lat: number, reports: number][] = [
  [105.852, 21.033, 60],
  [105.79, 21.033, 30],
  [105.775, 20.97, 12],
];

let engine: TestEngine;
let browser: Browser;
let page: Page;
/** The reports still open: half of each hot spot's, and the scattered ones, all just received. */
let open = 0;
const problems: string[] = [];

beforeAll(async () => {
  [engine, browser] = await Promise.all([startTestEngine(), launchBrowser()]);
  const r = mulberry32(5);
  const now = Date.now();
  const events: Record<string, unknown>[] = [];
  for (const [lon, lat, n] of SPOTS)
    for (let k = 0; k < n; k++)
      events.push(
        feedback(events.length, {
          reportId: `PA-${events.length}`,
          ts: new Date(now - r() * 20 * H).toISOString(),
          lon: lon + (r() - 0.5) * 0.01,
          lat: lat + (r() - 0.5) * 0.01,
          status: r() < 0.5 ? 'resolved' : 'processing',
        }),
      );
  for (let k = 0; k < 40; k++)
    events.push(
      feedback(events.length, {
        reportId: `PA-${events.length}`,
        ts: new Date(now - r() * 20 * H).toISOString(),
        lon: 105.75 + r() * 0.15,
        lat: 20.95 + r() * 0.12,
      }),
    );
  open = events.filter((e) => e.status !== 'resolved').length;
  expect((await engine.post('/api/ingest?family=feedback', events)).body).toMatchObject({ stored: events.length });
  await until(
    () => engine.get('/api/layers/feedback'),
    (res) => res.body.reports === events.length,
  );
  page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()}`);
  });
  await page.addInitScript(() => localStorage.setItem('ioc.wall.lang', 'vi'));
  await page.goto(`${engine.url}/`);
});
afterAll(async () => {
  await browser?.close();
  await engine?.dispose();
});

/** Pixels of the map in the heat's reds, oranges and yellows: the ward shading and the dots are blues, greens and greys. */
const heatPixels = (): Promise<number> => warmPixelCount(page, '#map', 181, 81);

describe("the wall's citizens' reports", () => {
  it('draws the last 24 hours of reports as heat when switched on, with a legend, and stops when switched off', async () => {
    const control = page.locator('#feedback-control');
    await expect
      .poll(() => control.locator('.panel-label').textContent(), { timeout: 20_000 })
      .toBe('Phản ánh của người dân · 24 giờ');
    expect(await control.locator('[aria-pressed="true"]').textContent()).toBe('Tắt');
    await expect.poll(() => page.locator('#legend .legend-title').count(), { timeout: 20_000 }).toBe(1);
    const before = await heatPixels();

    await control.locator('[data-feedback="all"]').click();
    const legend = page.locator('#feedback-legend');
    await expect
      .poll(() => legend.locator('.legend-scale').textContent(), { timeout: 20_000 })
      .toBe('Phản ánh tiếp nhận mỗi ô · 142 phản ánh');
    expect(await legend.locator('.band').count()).toBe(5);
    await expect.poll(heatPixels, { timeout: 20_000, interval: SCREEN_POLL_MS }).toBeGreaterThan(before + 500);
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}wall-feedback-heat.png` });

    // The choice is kept across a reload, and the English page says the same in English.
    await page.locator('#lang').click();
    await expect
      .poll(() => control.locator('.panel-label').textContent(), { timeout: 20_000 })
      .toBe("Citizens' reports · 24 h");
    expect(await control.locator('[aria-pressed="true"]').textContent()).toBe('All');
    await expect
      .poll(() => legend.locator('.legend-scale').textContent(), { timeout: 20_000 })
      .toBe('Reports received per cell · 142 reports');
    await control.locator('[data-feedback="open"]').click();
    expect(open).toBeGreaterThan(60);
    expect(open).toBeLessThan(120);
    await expect
      .poll(() => legend.locator('.legend-scale').textContent(), { timeout: 20_000 })
      .toBe(`Reports still open per cell · ${open} reports`);
    await page.reload();
    await expect.poll(() => control.locator('[aria-pressed="true"]').textContent(), { timeout: 20_000 }).toBe('Open');
    await page.screenshot({ path: `${ARTIFACTS}wall-feedback-open.png` });

    await control.locator('[data-feedback="off"]').click();
    await expect.poll(() => legend.innerHTML(), { timeout: 20_000 }).toBe('');
    await expect.poll(heatPixels, { timeout: 20_000, interval: SCREEN_POLL_MS }).toBeLessThan(before + 100);
    expect(problems).toEqual([]);
    // Software WebGL on a busy two-core runner: each screenshot the heat is measured from can take seconds.
  }, 180_000);
});
