// The operators' wall end to end: a real engine (embedded broker), MQTT events in, headless Chromium reading the page.
import { mkdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import mqtt, { type MqttClient } from 'mqtt';
import type { Browser, Page, Request as PageRequest } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { canvasColorCount, canvasHasPixels, launchBrowser } from '../support/browser.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';
import { camera, sensor } from '../support/events.ts';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const VIEWPORT = { width: 1920, height: 1080 } as const;
/** How soon after a publish the wall must show its effect. */
const LIVE_MS = 3_000;
/** car + motorbike + bus + truck + bicycle of one `camera()` event: what traffic_flow adds up. */
const VEHICLES_PER_EVENT = 3 + 20 + 1 + 0 + 2;

const TITLE = { vi: 'Trung tâm điều hành thông minh Hà Nội', en: 'Hanoi Intelligent Operations Center' } as const;
const LABELS = {
  vi: { indicator: 'Chỉ số trên bản đồ', devices: 'Thiết bị', live: 'Trực tuyến', switchTo: 'Switch to English' },
  en: { indicator: 'Map indicator', devices: 'Devices', live: 'Live', switchTo: 'Chuyển sang tiếng Việt' },
} as const;
type Lang = keyof typeof TITLE;
const WEEKDAY: Record<Lang, RegExp> = { vi: /^(Thứ|Chủ nhật)/i, en: /^(Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day\b/ };

const TILE = '[data-indicator="traffic_flow"]';
const TILE_NUMBER = `${TILE} .tile-value .num`;
const MAP_CANVAS = '#map canvas';
const DEVICE_TOTAL = '#device-legend .legend-title .legend-unit';

interface CityRow { t: string; area: string; value: number | null; n: number }

let engine: TestEngine;
let pub: MqttClient;
let browser: Browser;
let page: Page;
let catalogueTitle: { vi: string; en: string };
let catalogueSize: number;
/** Page errors, console errors and failed responses; every test ends by asserting there are none. */
const problems: string[] = [];
/** socket.io frames the page received over its websocket, with when. */
const frames: { at: number; text: string }[] = [];
const apiRequests: { at: number; url: string }[] = [];
let apiInFlight = 0;
let mainFrameNavigations = 0;

/** Reads a number the way the wall writes it: vi-VN groups with "." and has a decimal ","; en-GB the reverse. */
function parseShown(text: string | null, lang: Lang): number {
  if (text === null || !/\d/.test(text)) return Number.NaN;
  const [group, decimal] = lang === 'vi' ? ['.', ','] : [',', '.'];
  return Number(text.replace(/\s/g, '').split(group).join('').replace(decimal, '.'));
}

/** The newest city-wide traffic_flow window, as the API serves it. */
async function latestCityFlow(): Promise<CityRow | undefined> {
  const res = await engine.get('/api/indicators/traffic_flow?area=hanoi');
  expect(res.status).toBe(200);
  const rows = (res.body as { rows: CityRow[] }).rows;
  return rows.reduce<CityRow | undefined>((latest, r) => (!latest || Date.parse(r.t) > Date.parse(latest.t) ? r : latest), undefined);
}

async function publishCameras(from: number, count: number, ts: () => string): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, (_, k) => {
      const event = camera(from + k, { ts: ts(), area: 'hoan_kiem' });
      return pub.publishAsync(`city/camera/${String(event['cameraId'])}`, JSON.stringify(event), { qos: 1 });
    }),
  );
}

/**
 * Polls until the tile shows the API's latest city-wide value and that value counts all `events`, no later than
 * LIVE_MS after `t0`. Returns what both said and how long it took.
 */
async function tileFollowsApi(t0: number, events: number, lang: Lang): Promise<{ row: CityRow; shown: string; ms: number }> {
  const state = await until(
    async () => ({ row: await latestCityFlow(), shown: await page.locator(TILE_NUMBER).textContent() }),
    ({ row, shown }) => row?.n === events && row.value !== null && parseShown(shown, lang) === row.value,
    Math.max(0, t0 + LIVE_MS - Date.now()),
  );
  return { row: state.row!, shown: state.shown!, ms: Date.now() - t0 };
}

/**
 * Runs a pixel check on the deck.gl canvas with everything around it one flat colour: the map area's own gradient
 * and the panels over the map would otherwise count as drawn pixels even when deck.gl drew nothing.
 */
async function withFlatSurroundings<T>(check: () => Promise<T>, opts: { hideCanvas?: boolean } = {}): Promise<T> {
  const css = '.map-wrap{background:#000 !important}.map-wrap>.panel,.map-wrap>.notice{visibility:hidden !important}' +
    (opts.hideCanvas ? '#map canvas{opacity:0 !important}' : '');
  await page.evaluate((text) => {
    const style = document.createElement('style');
    style.id = 'test-mask';
    style.textContent = text;
    document.head.append(style);
  }, css);
  try {
    return await check();
  } finally {
    await page.evaluate(() => document.getElementById('test-mask')?.remove());
  }
}

async function expectLanguage(lang: Lang): Promise<void> {
  const l = LABELS[lang];
  await expect.poll(() => page.locator('#title').textContent(), { timeout: 2_000 }).toBe(TITLE[lang]);
  expect(await page.title()).toBe(TITLE[lang]);
  expect(await page.locator('html').getAttribute('lang')).toBe(lang);
  expect(await page.locator('#lang').getAttribute('data-active')).toBe(lang);
  expect(await page.locator('#lang').getAttribute('title')).toBe(l.switchTo);
  expect(await page.locator('#indicator-label').textContent()).toBe(l.indicator);
  expect(await page.locator('#conn .conn-label').textContent()).toBe(l.live);
  // Tiles, selector and legend redraw on the next animation frame.
  await expect.poll(() => page.locator(`${TILE} .tile-title`).textContent(), { timeout: 2_000 }).toBe(catalogueTitle[lang]);
  expect(await page.locator('#device-legend .legend-title span').first().textContent()).toBe(l.devices);
  expect(await page.locator('#indicator-select option[value="traffic_flow"]').textContent()).toBe(catalogueTitle[lang]);
  // The clock's date follows on its next one-second tick.
  await expect.poll(() => page.locator('#clock-date').textContent(), { timeout: 2_000 }).toMatch(WEEKDAY[lang]);
}

async function deviceTotal(): Promise<number> {
  return parseShown(await page.locator(DEVICE_TOTAL).textContent(), 'vi');
}

async function pngSize(file: string): Promise<{ width: number; height: number }> {
  const png = await readFile(file);
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

beforeAll(async () => {
  [engine, browser] = await Promise.all([startTestEngine(), launchBrowser()]);
  pub = await mqtt.connectAsync(engine.mqttUrl, { clientId: `wall-test-${process.pid}`, reconnectPeriod: 0 });
  const { indicators } = (await engine.get('/api/indicators')).body as { indicators: { name: string; title: { vi: string; en: string } }[] };
  catalogueTitle = indicators.find((i) => i.name === 'traffic_flow')!.title;
  catalogueSize = indicators.length;
  // An English browser: the wall must still open in Vietnamese.
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, locale: 'en-US', timezoneId: 'Asia/Ho_Chi_Minh' });
  page = await context.newPage();
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console.error: ${msg.text()}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()} ${res.url()}`);
  });
  page.on('requestfailed', (req) => {
    // Closing the page at the end aborts socket.io's long poll; that is not the wall's fault.
    if (!page.isClosed()) problems.push(`request failed: ${req.url()} (${req.failure()?.errorText ?? '?'})`);
  });
  const isApi = (url: string) => new URL(url).pathname.startsWith('/api/');
  page.on('request', (req) => {
    if (!isApi(req.url())) return;
    apiRequests.push({ at: Date.now(), url: req.url() });
    apiInFlight++;
  });
  const settled = (req: PageRequest): void => {
    if (isApi(req.url())) apiInFlight--;
  };
  page.on('requestfinished', settled);
  page.on('requestfailed', settled);
  page.on('framenavigated', (frame) => {
    if (frame === page.mainFrame()) mainFrameNavigations++;
  });
  page.on('websocket', (ws) => {
    ws.on('framereceived', ({ payload }) => frames.push({ at: Date.now(), text: typeof payload === 'string' ? payload : payload.toString('utf8') }));
  });
});

afterEach(() => {
  expect(problems, 'the wall logged errors').toEqual([]);
});

afterAll(async () => {
  await browser?.close();
  await pub?.endAsync();
  await engine?.dispose();
});

describe("operators' wall in Chromium against a running engine", () => {
  it('loads in Vietnamese, connects live and draws the map', async () => {
    await page.goto(`${engine.url}/`, { waitUntil: 'load' });
    await page.locator('#conn[data-state="live"]').waitFor({ timeout: 10_000 });
    await page.locator(TILE).waitFor({ timeout: 10_000 });
    // The first snapshot is in once the catalogue, every indicator's series, the areas and the devices have answered.
    await until(
      () => ({ inFlight: apiInFlight, series: apiRequests.filter((r) => /\/api\/indicators\/\w+/.test(r.url)).length }),
      (s) => s.inFlight === 0 && s.series >= catalogueSize,
      5_000,
    );
    await expectLanguage('vi');
    expect(await page.locator(TILE_NUMBER).textContent()).toBe('—');
    expect(await deviceTotal()).toBe(0);

    // The district polygons are drawn once the areas are in: wait for colours on a flat background.
    await until(() => withFlatSurroundings(() => canvasHasPixels(page, MAP_CANVAS)), (drawn) => drawn, 10_000);
    // The check itself must be able to fail: with the canvas hidden the same rectangle is one colour.
    expect(await withFlatSurroundings(() => canvasColorCount(page, MAP_CANVAS), { hideCanvas: true })).toBe(1);
  });

  it('shows the city-wide traffic flow of the latest minute and follows live pushes within 3 s', async () => {
    // Every event lands in the current minute, the second batch too, even across a minute boundary.
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const inMinute = () => new Date(Math.min(Date.now(), minute + 59_999)).toISOString();

    const t0 = Date.now();
    await publishCameras(0, 5, inMinute);
    const first = await tileFollowsApi(t0, 5, 'vi');
    expect(first.row).toMatchObject({ area: 'hanoi', t: new Date(minute).toISOString(), value: 5 * VEHICLES_PER_EVENT });
    expect(first.shown).toBe('130');

    // The same minute again: the page must change without reloading or refetching.
    await page.evaluate(() => { (window as unknown as { wallTestMarker: string }).wallTestMarker = 'still here'; });
    const navigations = mainFrameNavigations;
    const t1 = Date.now();
    await publishCameras(5, 40, inMinute);
    const second = await tileFollowsApi(t1, 45, 'vi');
    expect(second.row).toMatchObject({ area: 'hanoi', t: new Date(minute).toISOString(), value: 45 * VEHICLES_PER_EVENT });
    expect(second.shown).toBe('1.170');

    expect(mainFrameNavigations).toBe(navigations);
    expect(await page.evaluate(() => (window as unknown as { wallTestMarker?: string }).wallTestMarker)).toBe('still here');
    expect(apiRequests.filter((r) => r.at >= t1).map((r) => r.url)).toEqual([]);
    const pushes = frames.filter((f) => f.at >= t1 && f.text.startsWith('42["indicator"') && f.text.includes('"traffic_flow"'));
    expect(pushes.length).toBeGreaterThan(0);
    console.info(`wall: traffic tile caught up ${first.ms} ms after the first publish, ${second.ms} ms after the second`);
  });

  it('switches title and labels to English and back', async () => {
    await page.locator('#lang').click();
    await expectLanguage('en');
    // Numbers follow the language: en-GB groups thousands with a comma.
    await expect.poll(() => page.locator(TILE_NUMBER).textContent(), { timeout: 2_000 }).toBe('1,170');
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}wall-1920x1080-en.png` });

    await page.locator('#lang').click();
    await expectLanguage('vi');
    await expect.poll(() => page.locator(TILE_NUMBER).textContent(), { timeout: 2_000 }).toBe('1.170');
  });

  it('counts a newly published device in the bottom-left panel', async () => {
    // The cameras published so far are cam-0 … cam-6.
    await until(deviceTotal, (n) => n === 7, LIVE_MS);
    const t0 = Date.now();
    const event = sensor(1, 'air', { ts: new Date().toISOString() });
    await pub.publishAsync(`city/sensor/${String(event['sensorId'])}`, JSON.stringify(event), { qos: 1 });
    await until(deviceTotal, (n) => n === 8, Math.max(0, t0 + LIVE_MS - Date.now()));
    const api = (await engine.get('/api/devices')).body as { devices: { id: string }[] };
    expect(api.devices.map((d) => d.id).sort()).toEqual([...Array.from({ length: 7 }, (_, i) => `cam-${i}`), 'sen-air-1']);
    // All report healthy values, so every one of them is counted as OK.
    expect(await page.locator('#device-legend .keys .key').first().locator('b').textContent()).toBe('8');
  });

  it('saves a 1920×1080 screenshot', async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    const file = `${ARTIFACTS}wall-1920x1080.png`;
    await page.mouse.move(0, VIEWPORT.height - 1); // no hover tooltip on the map
    await page.screenshot({ path: file });
    expect(await pngSize(file)).toEqual(VIEWPORT);
  });
});
