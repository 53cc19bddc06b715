// Headless Chromium for dashboard tests: software WebGL flags, and a pixel check that a canvas actually drew.
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

/** Override with CHROMIUM_PATH when the browser lives elsewhere. */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

/** SwiftShader gives WebGL without a GPU; the rest keeps the browser from reaching the network on its own. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--use-gl=swiftshader',
  '--enable-unsafe-swiftshader',
  '--ignore-gpu-blocklist',
] as const;

/**
 * Pause between two on-screen checks of a WebGL page: each one is a screenshot, PNG-encoded by a software renderer and
 * decoded again, which on two cores slows the page it waits for (and the test file beside it) when taken back to back.
 */
export const SCREEN_POLL_MS = 500;

export class BrowserMissingError extends Error {
  override readonly name = 'BrowserMissingError';
}

export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new BrowserMissingError(
      `Chromium not found at ${CHROMIUM_PATH}. Install it with ` +
        '`apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium` ' +
        'or set CHROMIUM_PATH.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: [...CHROMIUM_ARGS] });
}

/** A Hanoi page in `locale` whose errors, console errors and failed responses are pushed to `problems`. */
export async function openWatchedPage(
  browser: Browser,
  problems: string[],
  opts: { locale: string; viewport: { width: number; height: number } },
): Promise<Page> {
  const context = await browser.newContext({ ...opts, deviceScaleFactor: 1, timezoneId: 'Asia/Ho_Chi_Minh' });
  const page = await context.newPage();
  page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console.error: ${msg.text()}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`HTTP ${res.status()} ${res.url()}`);
  });
  return page;
}

/**
 * What the element shows on screen, measured in the page: the number of distinct colours (up to 256), or of warm
 * pixels (red at least `red` and above blue by `redOverBlue`), as heat layers draw. A screenshot is used instead of
 * WebGL readPixels because the drawing buffer is cleared after compositing unless preserveDrawingBuffer is on.
 */
async function measureScreen(
  page: Page,
  selector: string,
  measure: { type: 'colours' } | { type: 'warm'; red: number; redOverBlue: number },
): Promise<number> {
  const png = await page.locator(selector).first().screenshot({ type: 'png' });
  // The page's own PNG decoder avoids a decoding dependency in the tests.
  return page.evaluate(
    async ([base64, m]) => {
      const image = new Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      canvas.width = image.naturalWidth;
      canvas.height = image.naturalHeight;
      const context = canvas.getContext('2d');
      if (!context) return 0;
      context.drawImage(image, 0, 0);
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      if (m.type === 'warm') {
        let n = 0;
        for (let i = 0; i < data.length; i += 4) if (data[i]! >= m.red && data[i]! - data[i + 2]! >= m.redOverBlue) n++;
        return n;
      }
      const colours = new Set<number>();
      for (let i = 0; i < data.length; i += 4) {
        colours.add(((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!) >>> 0);
        if (colours.size > 255) break;
      }
      return colours.size;
    },
    [png.toString('base64'), measure] as const,
  );
}

/** How many distinct colours the element shows on screen (up to 256). */
export function canvasColorCount(page: Page, selector: string): Promise<number> {
  return measureScreen(page, selector, { type: 'colours' });
}

/** How many of the element's pixels on screen are warm: red of at least `red`, above blue by `redOverBlue`. */
export function warmPixelCount(page: Page, selector: string, red: number, redOverBlue: number): Promise<number> {
  return measureScreen(page, selector, { type: 'warm', red, redOverBlue });
}

/** True when the element's on-screen pixels are not all one colour. */
export async function canvasHasPixels(page: Page, selector: string): Promise<boolean> {
  return (await canvasColorCount(page, selector)) > 1;
}
