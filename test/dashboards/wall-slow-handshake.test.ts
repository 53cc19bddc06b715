// A wall whose engine answers its live feed's handshake slowly (a kiosk PC busy drawing its map, a congested link):
// each attempt waits longer than the last, so the wall goes live rather than giving up at the same limit forever;
// meanwhile it shows the snapshots it loaded without the feed, and once live it asks only for what changed since.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser } from '../support/browser.ts';
import { startTestEngine, type TestEngine } from '../support/engine.ts';

/** Longer than the first attempts' 3 s handshake takes in requests of this delay each. */
const DELAY_MS = 3_500;

let engine: TestEngine;
let browser: Browser;

beforeAll(async () => {
  [engine, browser] = await Promise.all([startTestEngine(), launchBrowser()]);
});

afterAll(async () => {
  await browser?.close();
  await engine?.dispose();
});

describe('a wall on a slow link to its engine', () => {
  it('goes live although every handshake request takes 3.5 s', async () => {
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    let delayed = 0;
    // socket.io starts on HTTP long-polling, which the page's routes see; the websocket it moves to once connected
    // is not delayed.
    await page.route('**/socket.io/**', async (route) => {
      delayed++;
      await new Promise((r) => setTimeout(r, DELAY_MS));
      await route.continue().catch(() => undefined);
    });
    // Each indicator's series is asked for once in full (recent hours, and the city's hours yesterday), and for what
    // changed since each time the feed comes up (more than once: a link this slow may drop it): a second full load
    // would double a busy engine's work.
    const series = { full: 0, changes: 0 };
    page.on('request', (req) => {
      const url = new URL(req.url());
      if (!/^\/api\/indicators\/\w+$/.test(url.pathname)) return;
      if (url.searchParams.has('since')) series.changes++;
      else series.full++;
    });
    const { indicators } = (await engine.get('/api/indicators')).body as { indicators: unknown[] };
    const started = Date.now();
    await page.goto(`${engine.url}/?kiosk=1`);
    await page.locator('#conn[data-state="live"]').waitFor({ timeout: 45_000 });
    console.log(`slow handshake: live after ${Date.now() - started} ms, ${delayed} delayed requests`);
    expect(delayed).toBeGreaterThan(1);
    await expect.poll(() => series.changes, { timeout: 15_000 }).toBeGreaterThanOrEqual(indicators.length);
    expect(series.full).toBe(2 * indicators.length);
    await page.context().close();
  });
});
