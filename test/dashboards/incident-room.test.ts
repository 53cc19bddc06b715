// The incident room page in headless Chromium: an operator reports an incident by hand, assigns it, ticks a step and
// resolves it; a second screen sees every change live; people's words are shown as text, never as markup.
import { mkdir } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { startTestEngine, type TestEngine } from '../support/engine.ts';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const VIEWPORT = { width: 1600, height: 1000 } as const;
const LIVE_MS = 5_000;
const HOSTILE = 'Cống tràn <img src=x onerror=alert(1)> trên phố';

let engine: TestEngine;
let browser: Browser;
let operator: Page;
let second: Page;
const problems: string[] = [];

async function openPage(): Promise<Page> {
  const context = await browser.newContext({
    viewport: VIEWPORT,
    deviceScaleFactor: 1,
    locale: 'vi-VN',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
  const page = await context.newPage();
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console.error: ${msg.text()}`);
  });
  // An onerror that ran would open a dialog: the test fails on any.
  page.on('dialog', (d) => {
    problems.push(`dialog: ${d.message()}`);
    void d.dismiss();
  });
  await page.goto(`${engine.url}/incidents`, { waitUntil: 'load' });
  await page.locator('#report-form select[name="area"] option:nth-child(2)').waitFor({ state: 'attached' });
  return page;
}

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  [engine, browser] = await Promise.all([startTestEngine(), launchBrowser()]);
  operator = await openPage();
  second = await openPage();
});

afterAll(async () => {
  await browser?.close();
  await engine?.dispose();
});

describe('the incident room page', () => {
  it('runs a hand-reported incident to resolution, each change seen live on a second screen', async () => {
    const form = operator.locator('#report-form');
    await form.locator('select[name="type"]').selectOption('flooding');
    await form.locator('select[name="severity"]').selectOption('critical');
    const area = await form.locator('select[name="area"] option:nth-child(2)').getAttribute('value');
    expect(area).toBeTruthy();
    await form.locator('select[name="area"]').selectOption(area!);
    await form.locator('textarea[name="description"]').fill(HOSTILE);
    await form.locator('button[type="submit"]').click();

    const card = (page: Page) => page.locator('.incident').filter({ hasText: 'Cống tràn' });
    for (const page of [operator, second]) {
      await expect.poll(() => card(page).count(), { timeout: LIVE_MS }).toBe(1);
      // The description is text: the tag is shown, and no image was made from it.
      await expect.poll(() => card(page).locator('.description').textContent()).toBe(HOSTILE);
      expect(await card(page).locator('img').count()).toBe(0);
      expect(await card(page).locator('.type').textContent()).toBe('Ngập úng');
      expect(await card(page).locator('.origin').textContent()).toBe('Báo thủ công');
      expect(await card(page).locator('.target-clock').getAttribute('data-clock')).toBe('ok');
    }
    const id = await card(operator).getAttribute('data-incident');
    const stored = (await engine.get(`/api/incidents?status=active`)).body.incidents.find(
      (i: { id: string }) => i.id === id,
    );
    expect(stored).toMatchObject({ area, origin: 'manual', severity: 'critical', description: HOSTILE });

    await card(operator).locator('input[name="assignee"]').fill('UBND phường <b>Hoàn Kiếm</b>');
    await card(operator).locator('form[data-form="assign"] button').click();
    await expect
      .poll(() => card(second).locator('.assignee').textContent(), { timeout: LIVE_MS })
      .toBe('Đơn vị xử lý: UBND phường <b>Hoàn Kiếm</b>');
    await expect.poll(() => card(operator).locator('input[name="assignee"]').inputValue()).toBe('');

    await card(operator).locator('input[name="note"]').fill('Đã gọi đội thoát nước');
    await card(operator).locator('form[data-form="note"] button').click();
    await expect
      .poll(() => engine.sql(`SELECT count(*) FROM incident_log WHERE incident_id = '${id}' AND action = 'note'`), {
        timeout: LIVE_MS,
      })
      .toEqual([[1]]);

    await card(operator).locator('input[data-step="1"]').check();
    await expect.poll(() => card(second).locator('input[data-step="1"]').isChecked(), { timeout: LIVE_MS }).toBe(true);

    await card(operator).locator('[data-action="acknowledge"]').click();
    await expect.poll(() => card(second).getAttribute('data-status'), { timeout: LIVE_MS }).toBe('acknowledged');

    await operator.screenshot({ path: `${ARTIFACTS}incidents-operator.png` });
    await second.screenshot({ path: `${ARTIFACTS}incidents-second.png` });

    // The summary is required: an empty one is stopped by the form and the incident stays.
    await card(operator).locator('form[data-form="resolve"] button').click();
    expect(
      await card(operator)
        .locator('textarea[name="summary"]')
        .evaluate((t: HTMLTextAreaElement) => t.validity.valueMissing),
    ).toBe(true);
    expect(await card(second).count()).toBe(1);

    await card(operator).locator('textarea[name="summary"]').fill('Nước rút sau 2 giờ, đã thông cống');
    await card(operator).locator('form[data-form="resolve"] button').click();
    await expect.poll(() => card(second).count(), { timeout: LIVE_MS }).toBe(0);
    await expect.poll(() => card(operator).count(), { timeout: LIVE_MS }).toBe(0);
    const resolved = (await engine.get('/api/incidents?status=resolved')).body.incidents.find(
      (i: { id: string }) => i.id === id,
    );
    expect(resolved).toMatchObject({ status: 'resolved', summary: 'Nước rút sau 2 giờ, đã thông cống' });
    expect(problems).toEqual([]);
  });

  it('places a report by a point clicked on the map', async () => {
    const form = operator.locator('#report-form');
    await form.locator('select[name="type"]').selectOption('fire');
    const map = form.locator('svg.place-map');
    const box = (await map.boundingBox())!;
    await map.click({ position: { x: box.width / 2, y: box.height / 2 } });
    await expect
      .poll(() => form.locator('[data-point]').textContent())
      .toMatch(/^Điểm đã chọn: 2\d\.\d{4}, 10\d\.\d{4}$/);
    expect(await form.locator('circle.picked').isVisible()).toBe(true);
    await operator.screenshot({ path: `${ARTIFACTS}incidents-point.png` });
    await form.locator('textarea[name="description"]').fill('Khói từ kho hàng');
    await form.locator('button[type="submit"]').click();
    const card = second.locator('.incident').filter({ hasText: 'Khói từ kho hàng' });
    await expect.poll(() => card.count(), { timeout: LIVE_MS }).toBe(1);
    expect(await card.locator('.type').textContent()).toBe('Cháy nổ');
    expect(problems).toEqual([]);
  });

  it('opens from the wall as a side panel over the map, with the count of active incidents', async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: 'vi-VN' });
    const wall = await context.newPage();
    wall.on('pageerror', (err) => problems.push(`wall pageerror: ${err.message}`));
    const areaRequests: string[] = [];
    wall.on('request', (req) => {
      const u = new URL(req.url());
      if (u.pathname === '/api/areas') areaRequests.push(u.search);
    });
    await wall.goto(`${engine.url}/`, { waitUntil: 'load' });
    // The fire reported above is still open. The wall's boot (its map drawn in software WebGL) comes first: the live
    // limit is for changes, not for loading a page on a busy machine.
    await expect.poll(() => wall.locator('#incidents-count').textContent(), { timeout: 15_000 }).toBe('1');
    expect(await wall.locator('#incident-room').isHidden()).toBe(true);
    await wall.locator('#incidents-toggle').click();
    const card = wall.locator('#incident-room .incident').filter({ hasText: 'Khói từ kho hàng' });
    await expect.poll(() => card.count(), { timeout: LIVE_MS }).toBe(1);
    await wall.locator('#incident-room select[name="area"] option:nth-child(2)').waitFor({ state: 'attached' });
    // The room names its areas from the boundaries the wall loaded: the city's geometry comes down once.
    expect(areaRequests.sort()).toEqual(['?level=district', '?level=ward']);
    await wall.screenshot({ path: `${ARTIFACTS}incidents-wall.png` });

    // Escalated from the second screen, heard by the wall.
    await second
      .locator('.incident')
      .filter({ hasText: 'Khói từ kho hàng' })
      .locator('[data-action="escalate"]')
      .click();
    await expect.poll(() => card.locator('.escalated').count(), { timeout: LIVE_MS }).toBe(1);
    await context.close();
    expect(problems).toEqual([]);
  });
});
