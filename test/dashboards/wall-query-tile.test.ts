// A saved query promoted from the console becomes a live tile on the wall, in both languages, updated without a reload.
import { mkdir } from 'node:fs/promises';
import mqtt, { type MqttClient } from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { camera } from '../support/events.ts';
import { launchBrowser } from '../support/browser.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';

const ARTIFACTS = new URL('../../test-artifacts/', import.meta.url).pathname;
let engine: TestEngine;
let browser: Browser;
let page: Page;
let pub: MqttClient;
const problems: string[] = [];

async function publish(from: number, n: number): Promise<void> {
  for (let i = from; i < from + n; i++) {
    const e = camera(i, { id: `tile-${i}`, ts: new Date(Date.now() - 30_000).toISOString(), area: 'hoan_kiem' });
    await pub.publishAsync(`city/camera/${String(e['cameraId'])}`, JSON.stringify(e), { qos: 1 });
  }
}

const tileValue = () => page.locator('.query-tile[data-query="cars_now"] .num').textContent();

beforeAll(async () => {
  [engine, browser] = await Promise.all([startTestEngine(), launchBrowser()]);
  pub = await mqtt.connectAsync(engine.mqttUrl, { clientId: `tile-${process.pid}` });
  await publish(0, 5);
  await until(
    () => engine.sql('SELECT count(*) FROM camera_events'),
    (r) => r[0]![0] === 5,
  );
  const res = await fetch(`${engine.url}/api/queries/cars_now`, {
    method: 'PUT',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      title: { vi: 'Ô tô tại $area', en: 'Cars in $area' },
      sql: 'SELECT sum(car)::INTEGER AS cars FROM camera_events WHERE area = $area',
      params: [{ name: 'area', default: 'hoan_kiem' }],
      unit: 'xe',
      wall: true,
    }),
  });
  expect(res.status).toBe(200);
  page = await (
    await browser.newContext({
      viewport: { width: 1920, height: 1080 },
      locale: 'vi-VN',
      timezoneId: 'Asia/Ho_Chi_Minh',
    })
  ).newPage();
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
});

afterAll(async () => {
  await browser?.close();
  await pub?.endAsync();
  await engine?.dispose();
});

describe('a promoted query on the wall', () => {
  it('shows as a tile and follows new data live', async () => {
    await page.goto(`${engine.url}/`, { waitUntil: 'load' });
    await page.locator('.query-tile[data-query="cars_now"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('.query-tile .qt-title').textContent()).toBe('Ô tô tại $area');
    expect(await tileValue()).toBe('15');
    await page.evaluate(() => {
      (window as unknown as { marker: number }).marker = 1;
    });
    await publish(5, 3);
    await until(tileValue, (v) => v === '24', 5_000);
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
    await page.locator('#lang').click();
    await until(
      () => page.locator('.query-tile .qt-title').textContent(),
      (t) => t === 'Cars in $area',
      2_000,
    );
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}wall-query-tile-1920x1080.png` });
    expect(problems).toEqual([]);
  });
});
