// The operators' wall end to end: a real engine (embedded broker), MQTT events in, headless Chromium reading the page.
import { mkdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import mqtt, { type MqttClient } from 'mqtt';
import type { Browser, Page, Request as PageRequest } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { canvasColorCount, canvasHasPixels, launchBrowser, SCREEN_POLL_MS } from '../support/browser.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';
import { camera, sensor } from '../support/events.ts';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const VIEWPORT = { width: 1920, height: 1080 } as const;
/**
 * How long the test waits for a publish to show on the wall through the live feed. How long it took is printed; the
 * figure the product stands behind (publish → wall p99 under 1 s) is measured by `bench/freshness.ts`, on a machine
 * doing nothing else, not on a runner where two test files share two cores.
 */
const LIVE_MS = 15_000;
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

interface CityRow {
  t: string;
  area: string;
  value: number | null;
  n: number;
}

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
  return rows.reduce<CityRow | undefined>(
    (latest, r) => (!latest || Date.parse(r.t) > Date.parse(latest.t) ? r : latest),
    undefined,
  );
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
 * Polls until the tile shows the API's latest city-wide value and that value counts all `events`, waiting up to
 * LIVE_MS after `t0`. Returns what both said and how long it took.
 */
async function tileFollowsApi(
  t0: number,
  events: number,
  lang: Lang,
): Promise<{ row: CityRow; shown: string; ms: number }> {
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
  const css =
    '.map-wrap{background:#000 !important}.map-wrap>.panel,.map-wrap>.notice,.map-wrap>.attribution{visibility:hidden !important}' +
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
  await expect.poll(() => page.locator('#title').textContent(), { timeout: 10_000 }).toBe(TITLE[lang]);
  expect(await page.title()).toBe(TITLE[lang]);
  expect(await page.locator('html').getAttribute('lang')).toBe(lang);
  expect(await page.locator('#lang').getAttribute('data-active')).toBe(lang);
  expect(await page.locator('#lang').getAttribute('title')).toBe(l.switchTo);
  expect(await page.locator('#indicator-label').textContent()).toBe(l.indicator);
  expect(await page.locator('#conn .conn-label').textContent()).toBe(l.live);
  // Tiles, selector and legend redraw on the next animation frame.
  await expect
    .poll(() => page.locator(`${TILE} .tile-title`).textContent(), { timeout: 10_000 })
    .toBe(catalogueTitle[lang]);
  expect(await page.locator('#device-legend .legend-title span').first().textContent()).toBe(l.devices);
  expect(await page.locator('#indicator-select option[value="traffic_flow"]').textContent()).toBe(catalogueTitle[lang]);
  // The clock's date follows on its next one-second tick.
  await expect.poll(() => page.locator('#clock-date').textContent(), { timeout: 10_000 }).toMatch(WEEKDAY[lang]);
}

/** How many pixels differ between two screenshots of the same element (decoded by the page itself). */
async function changedPixels(a: Buffer, b: Buffer): Promise<number> {
  return page.evaluate(
    async ([x, y]) => {
      const decode = async (b64: string) => {
        const image = new Image();
        image.src = `data:image/png;base64,${b64}`;
        await image.decode();
        const canvas = document.createElement('canvas');
        canvas.width = image.naturalWidth;
        canvas.height = image.naturalHeight;
        const context = canvas.getContext('2d')!;
        context.drawImage(image, 0, 0);
        return context.getImageData(0, 0, canvas.width, canvas.height).data;
      };
      const [p, q] = [await decode(x), await decode(y)];
      let n = 0;
      for (let i = 0; i < Math.min(p.length, q.length); i += 4) {
        if (Math.abs(p[i]! - q[i]!) + Math.abs(p[i + 1]! - q[i + 1]!) + Math.abs(p[i + 2]! - q[i + 2]!) > 30) n++;
      }
      return n;
    },
    [a.toString('base64'), b.toString('base64')] as const,
  );
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
  const { indicators } = (await engine.get('/api/indicators')).body as {
    indicators: { name: string; title: { vi: string; en: string } }[];
  };
  catalogueTitle = indicators.find((i) => i.name === 'traffic_flow')!.title;
  catalogueSize = indicators.length;
  // An English browser: the wall must still open in Vietnamese.
  const context = await browser.newContext({
    viewport: VIEWPORT,
    deviceScaleFactor: 1,
    locale: 'en-US',
    timezoneId: 'Asia/Ho_Chi_Minh',
  });
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
    ws.on('framereceived', ({ payload }) =>
      frames.push({ at: Date.now(), text: typeof payload === 'string' ? payload : payload.toString('utf8') }),
    );
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
      15_000,
    );
    await expectLanguage('vi');
    expect(await page.locator(TILE_NUMBER).textContent()).toBe('—');
    expect(await deviceTotal()).toBe(0);
    // Real devices, no simulator: no "simulated data" mark.
    await expect.poll(() => apiRequests.some((r) => r.url.endsWith('/api/health'))).toBe(true);
    expect(await page.locator('#simulated').isHidden()).toBe(true);

    // The district polygons are drawn once the areas are in: wait for colours on a flat background.
    await until(
      () => withFlatSurroundings(() => canvasHasPixels(page, MAP_CANVAS)),
      (drawn) => drawn,
      10_000,
      SCREEN_POLL_MS,
    );
    // The check itself must be able to fail: with the canvas hidden the same rectangle is one colour.
    expect(await withFlatSurroundings(() => canvasColorCount(page, MAP_CANVAS), { hideCanvas: true })).toBe(1);
  });

  it('shows the city-wide traffic flow of the latest minute and follows live pushes', async () => {
    // Every event lands in the current minute, the second batch too, even across a minute boundary.
    const minute = Math.floor(Date.now() / 60_000) * 60_000;
    const inMinute = () => new Date(Math.min(Date.now(), minute + 59_999)).toISOString();

    const t0 = Date.now();
    await publishCameras(0, 5, inMinute);
    const first = await tileFollowsApi(t0, 5, 'vi');
    expect(first.row).toMatchObject({
      area: 'hanoi',
      t: new Date(minute).toISOString(),
      value: 5 * VEHICLES_PER_EVENT,
    });
    expect(first.shown).toBe('130');

    // The same minute again: the page must change without reloading or refetching.
    await page.evaluate(() => {
      (window as unknown as { wallTestMarker: string }).wallTestMarker = 'still here';
    });
    const navigations = mainFrameNavigations;
    const t1 = Date.now();
    await publishCameras(5, 40, inMinute);
    const second = await tileFollowsApi(t1, 45, 'vi');
    expect(second.row).toMatchObject({
      area: 'hanoi',
      t: new Date(minute).toISOString(),
      value: 45 * VEHICLES_PER_EVENT,
    });
    expect(second.shown).toBe('1.170');

    expect(mainFrameNavigations).toBe(navigations);
    expect(await page.evaluate(() => (window as unknown as { wallTestMarker?: string }).wallTestMarker)).toBe(
      'still here',
    );
    expect(apiRequests.filter((r) => r.at >= t1).map((r) => r.url)).toEqual([]);
    const pushes = frames.filter(
      (f) => f.at >= t1 && f.text.startsWith('42["indicator"') && f.text.includes('"traffic_flow"'),
    );
    expect(pushes.length).toBeGreaterThan(0);
    console.info(
      `wall: traffic tile caught up ${first.ms} ms after the first publish, ${second.ms} ms after the second`,
    );
  });

  it('switches title and labels to English and back', async () => {
    await page.locator('#lang').click();
    await expectLanguage('en');
    // Numbers follow the language: en-GB groups thousands with a comma.
    await expect.poll(() => page.locator(TILE_NUMBER).textContent(), { timeout: 10_000 }).toBe('1,170');
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}wall-1920x1080-en.png` });

    await page.locator('#lang').click();
    await expectLanguage('vi');
    await expect.poll(() => page.locator(TILE_NUMBER).textContent(), { timeout: 10_000 }).toBe('1.170');
  });

  it('counts a newly published device in the bottom-left panel', async () => {
    // The cameras published so far are cam-0 … cam-6.
    await until(deviceTotal, (n) => n === 7, LIVE_MS);
    const t0 = Date.now();
    const event = sensor(1, 'air', { ts: new Date().toISOString() });
    await pub.publishAsync(`city/sensor/${String(event['sensorId'])}`, JSON.stringify(event), { qos: 1 });
    await until(deviceTotal, (n) => n === 8, Math.max(0, t0 + LIVE_MS - Date.now()));
    console.info(`wall: a new device counted ${Date.now() - t0} ms after its publish`);
    // The change came as one binary Arrow batch, not as JSON objects.
    const pushed = frames.filter((f) => f.at >= t0);
    expect(pushed.some((f) => f.text.startsWith('451-["devices:arrow"'))).toBe(true);
    expect(pushed.some((f) => f.text.startsWith('42["devices"'))).toBe(false);
    const api = (await engine.get('/api/devices')).body as { devices: { id: string }[] };
    expect(api.devices.map((d) => d.id).sort()).toEqual([
      ...Array.from({ length: 7 }, (_, i) => `cam-${i}`),
      'sen-air-1',
    ]);
    // All report healthy values, so every one of them is counted as OK.
    expect(await page.locator('#device-legend .keys .key').first().locator('b').textContent()).toBe('8');
  });

  it('offers an indicator made at run time in its picker, and drops it when deleted', async () => {
    const view = [
      '-- name: wall_new_flow',
      '-- title.vi: Lưu lượng mới',
      '-- title.en: New flow',
      '-- unit: xe',
      '-- window: 1m',
      '-- source: camera',
      '-- theme: traffic',
      'SELECT $bucket AS t, $area AS area, sum(car) AS value, count(*) AS n FROM camera_events',
      'WHERE ts >= $from AND ts < $to GROUP BY $group',
    ].join('\n');
    const options = () =>
      page.locator('#indicator-select option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value));
    expect(await options()).not.toContain('wall_new_flow');
    // Its series requests: the deletion waits for them, as a person deleting it a second later would.
    const pending = new Set<unknown>();
    // The catalogue too: a 'live' event makes the wall read it, then the series.
    const mine = (url: string) => url.includes('/api/indicators');
    page.on('request', (r) => mine(r.url()) && pending.add(r));
    page.on('requestfinished', (r) => pending.delete(r));
    page.on('requestfailed', (r) => pending.delete(r));
    expect((await engine.post('/api/views', view, { 'content-type': 'text/plain' })).status).toBe(201);
    await expect.poll(options, { timeout: LIVE_MS }).toContain('wall_new_flow');
    await until(
      () => engine.get('/api/views/wall_new_flow'),
      (r) => r.body.status === 'live',
    );
    // Its series is read from the history it was just filled from: on a loaded runner that read alone took over 3 s.
    await expect.poll(() => pending.size, { timeout: 20_000 }).toBe(0);
    await page.waitForTimeout(300);
    await expect.poll(() => pending.size, { timeout: 20_000 }).toBe(0);
    expect((await fetch(`${engine.url}/api/views/wall_new_flow`, { method: 'DELETE' })).status).toBe(200);
    await expect.poll(options, { timeout: LIVE_MS }).not.toContain('wall_new_flow');
    // A series the wall asked for just as the view went is answered 404 and dropped without a word on the page; the
    // browser still logs the failed load. Those, and only as many as there were, are not the wall's fault.
    const gone = problems.filter((p) => p.startsWith('HTTP 404') && p.includes('/api/indicators/wall_new_flow'));
    for (const p of gone) problems.splice(problems.indexOf(p), 1);
    for (let i = 0; i < gone.length; i++) {
      const logged = problems.findIndex(
        (p) => p.startsWith('console.error: Failed to load resource') && p.includes('404'),
      );
      if (logged >= 0) problems.splice(logged, 1);
    }
    await expect.poll(() => page.locator('#notice').textContent()).not.toMatch(/wall_new_flow/);
  });

  it('saves a 1920×1080 screenshot', async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    const file = `${ARTIFACTS}wall-1920x1080.png`;
    await page.mouse.move(0, VIEWPORT.height - 1); // no hover tooltip on the map
    await page.screenshot({ path: file });
    expect(await pngSize(file)).toEqual(VIEWPORT);
  });

  it('bins air sensors into an H3 heat layer in the browser, with its scale named', async () => {
    const now = new Date().toISOString();
    // A dozen air sensors around Hoàn Kiếm, some over the VN_AQI 'Kém' breakpoint.
    await Promise.all(
      Array.from({ length: 12 }, (_, k) => {
        const event = sensor(100 + k, 'air', {
          id: `hex-air-${k}`,
          sensorId: `hex-air-${k}`,
          ts: now,
          lat: 21.02 + (k % 4) * 0.012,
          lon: 105.83 + Math.floor(k / 4) * 0.015,
          metrics: { pm25: 20 + k * 8 },
        });
        return pub.publishAsync(`city/sensor/hex-air-${k}`, JSON.stringify(event), { qos: 1 });
      }),
    );
    await until(deviceTotal, (n) => n === 20, 5_000);
    await page.mouse.move(0, VIEWPORT.height - 1);
    const before = await page.locator(MAP_CANVAS).screenshot();
    await page.locator('[data-hex="pm25"]').click();
    await expect
      .poll(() => page.locator('#hex-legend .legend-scale').textContent())
      .toContain('PM2.5 theo ngưỡng VN_AQI');
    expect(await page.locator('[data-hex="pm25"]').getAttribute('aria-pressed')).toBe('true');
    // The hexagons repaint part of the map in the VN_AQI band colours.
    await expect
      .poll(async () => changedPixels(before, await page.locator(MAP_CANVAS).screenshot()), {
        timeout: 15_000,
        interval: SCREEN_POLL_MS,
      })
      .toBeGreaterThan(500);
    await page.mouse.move(0, VIEWPORT.height - 1);
    await page.screenshot({ path: `${ARTIFACTS}wall-1920x1080-hex.png` });
    await page.locator('[data-hex="off"]').click();
  });

  it('gives each tile its trust line and a unit in the page language', async () => {
    const trust = page.locator(`${TILE} .tile-trust`);
    await expect.poll(() => trust.textContent()).toMatch(/chốt đến \d\d:\d\d|tạm tính/);
    expect(await page.locator(`${TILE} .unit`).first().textContent()).toBe('xe/phút');
    await page.locator('#lang').click();
    await expect.poll(() => page.locator(`${TILE} .unit`).first().textContent()).toBe('vehicles/min');
    await page.locator('#lang').click();
  });

  it('pins a card when a ward is clicked, and finds one by name typed without diacritics', async () => {
    const box = (await page.locator('#map').boundingBox())!;
    // Around the middle of the city, a little left of centre; a few tries in case one lands on a border.
    for (const [fx, fy] of [
      [0.42, 0.55],
      [0.45, 0.6],
      [0.4, 0.45],
      [0.5, 0.5],
    ] as const) {
      await page.mouse.move(box.x + box.width * fx, box.y + box.height * fy);
      await page.waitForTimeout(150);
      await page.mouse.click(box.x + box.width * fx, box.y + box.height * fy);
      if (
        await page
          .locator('#card:not([hidden])')
          .isVisible()
          .catch(() => false)
      )
        break;
      await page.waitForTimeout(500);
      if (await page.locator('#card:not([hidden])').isVisible()) break;
    }
    await page.locator('#card:not([hidden]) .tip-title').waitFor({ timeout: 5_000 });
    expect(await page.locator('#card .tip-title').textContent()).not.toBe('');
    await page.locator('#card [data-close]').click();
    expect(await page.locator('#card').isHidden()).toBe(true);

    // The cameras stand in Phường Hoàn Kiếm: typed plainly, it is the first match; Enter flies there and pins it.
    const search = page.locator('#area-search');
    await search.fill('hoan kiem');
    await expect.poll(() => page.locator('#area-hits .area-hit').first().textContent()).toMatch(/^Hoàn Kiếm/);
    await search.press('Enter');
    await page.locator('#card:not([hidden]) .card-spark svg').waitFor({ timeout: 5_000 });
    expect(await page.locator('#card .tip-title').textContent()).toMatch(/^Phường Hoàn Kiếm/);
    expect(await page.locator('#card .tip-foot').textContent()).toMatch(/thuộc Quận Hoàn Kiếm cũ/);
    // "oà" and "òa" are one spelling: both find Phường Yên Hoà.
    for (const typed of ['Yên Hoà', 'Yên Hòa', 'yen hoa']) {
      await search.fill(typed);
      await expect.poll(() => page.locator('#area-hits .area-hit').first().textContent()).toMatch(/^Yên Hoà/);
    }
    await search.fill('zzz');
    await expect.poll(() => page.locator('#area-hits .area-hit').first().textContent()).toBe('Không tìm thấy');
    await search.fill('');
    await page.locator('#card [data-close]').click();
  });

  it('replays the last 24 hours from the rollups, then returns to live', async () => {
    await page.locator('#indicator-select').selectOption('traffic_flow');
    await page.locator('[data-play="enter"]').click();
    await page.locator('body.replaying #playback input[type="range"]').waitFor({ timeout: 5_000 });
    const requests = apiRequests.filter((r) => /\/api\/indicators\/traffic_flow\?.*bucket=5m/.test(r.url));
    expect(requests.length).toBeGreaterThan(0);
    const slider = page.locator('#playback input[type="range"]');
    const max = Number(await slider.getAttribute('max'));
    expect(max).toBe(288);
    await slider.fill(String(max));
    await expect.poll(() => page.locator('#playback .pb-time').textContent()).toMatch(/^Đang xem lại: \d\d:\d\d/);
    await page.locator('[data-play="toggle"]').click();
    await page.locator('[data-play="live"]').click();
    await page.locator('body:not(.replaying) [data-play="enter"]').waitFor({ timeout: 10_000 });
  });

  it('opens the data-trust panel from the header: the cameras reporting, per family, in the page language', async () => {
    // The header button counts the silent sources without opening the panel.
    await expect.poll(() => page.locator('#trust-toggle #trust-count').textContent()).toMatch(/^\d+$/);
    await page.locator('#trust-toggle').click();
    const row = page.locator('#trust tr[data-family="camera"]');
    await row.waitFor({ timeout: 5_000 });
    expect(await page.locator('#trust h2').textContent()).toContain('Độ tin cậy dữ liệu');
    // The panel shows what it last read at once, then what it asked for on opening.
    await expect.poll(async () => Number(await row.locator('td').first().textContent())).toBeGreaterThan(0);
    expect(await page.locator('#trust tbody th[scope="row"]').allTextContents()).toEqual(
      expect.arrayContaining(['Camera', 'Cảm biến', 'Dịch vụ công', 'Phản ánh']),
    );
    await mkdir(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: `${ARTIFACTS}wall-trust.png` });
    // The incident room takes the map's right side: the panel gives way.
    await page.locator('#incidents-toggle').click();
    expect(await page.locator('#trust').isHidden()).toBe(true);
    expect(await page.locator('#trust-toggle').getAttribute('aria-pressed')).toBe('false');
    await page.locator('#incidents-toggle').click();
  });

  it('lays out for a 4K wall and a laptop', async () => {
    for (const size of [
      { width: 3840, height: 2160 },
      { width: 1366, height: 768 },
    ]) {
      await page.setViewportSize(size);
      await page.waitForTimeout(400);
      // On a busy runner a 4K frame in software WebGL comes slowly: the tiles are laid out once visible.
      await page.locator(TILE).first().waitFor({ state: 'visible', timeout: 15_000 });
      await page.mouse.move(0, size.height - 1);
      await page.screenshot({ path: `${ARTIFACTS}wall-${size.width}x${size.height}.png` });
      // Nothing sticks out: the page never scrolls sideways and the tiles stay on screen.
      expect(await page.evaluate(() => document.documentElement.scrollWidth <= innerWidth)).toBe(true);
      const tile = (await page.locator(TILE).first().boundingBox())!;
      expect(tile.x + tile.width).toBeLessThanOrEqual(size.width);
    }
    await page.setViewportSize(VIEWPORT);
  });

  it('says the data is stale after a quiet spell, and clears it with the next update', async () => {
    const quiet = await page.context().newPage();
    await quiet.goto(`${engine.url}/?kiosk=1&stale=3`);
    await quiet.locator('#conn[data-state="live"]').waitFor({ timeout: 10_000 });
    // Three quiet seconds, checked by the page's own timer: a busy runner delays both.
    await quiet.locator('#stale-banner:not([hidden])').waitFor({ timeout: 20_000 });
    expect(await quiet.locator('#stale-banner').textContent()).toMatch(/Dữ liệu không cập nhật từ/);
    const event = camera(900, { ts: new Date().toISOString() });
    await pub.publishAsync(`city/camera/${String(event['cameraId'])}`, JSON.stringify(event), { qos: 1 });
    // A second page drawing 126 wards in software WebGL beside the first: on a busy runner its frames come slowly.
    await quiet.locator('#stale-banner').waitFor({ state: 'hidden', timeout: 10_000 });
    await quiet.close();
  });
});
