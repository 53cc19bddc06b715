// `npm run screenshots`: the README's pictures, taken the way the dashboard tests see the pages (headless Chromium,
// software WebGL) from an engine with the simulator and its first day of history, and saved small as WebP.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { startEngine } from '../engine/main.ts';
import { DAY_MS, hanoiDate } from '../engine/sql/index.ts';
import { launchBrowser } from '../test/support/browser.ts';
import { ensureDashboards } from './dashboards.ts';

const OUT = fileURLToPath(new URL('../dashboards/screenshots/', import.meta.url));
const QUERY =
  "SELECT time_bucket(INTERVAL 1 HOUR, ts) AS hour, round(avg(pm25), 1) AS pm25 FROM sensor_events WHERE kind = 'air' GROUP BY ALL ORDER BY hour";

/** The page as WebP, encoded by the browser itself (quality 0.8): a fifth of the PNG's size. */
async function webp(page: Page): Promise<Buffer> {
  const png = (await page.screenshot({ type: 'png' })).toString('base64');
  const data = await page.evaluate(async (b64) => {
    const img = new Image();
    img.src = `data:image/png;base64,${b64}`;
    await img.decode();
    const canvas = document.createElement('canvas');
    canvas.width = img.width;
    canvas.height = img.height;
    canvas.getContext('2d')!.drawImage(img, 0, 0);
    return canvas.toDataURL('image/webp', 0.8);
  }, png);
  return Buffer.from(data.slice(data.indexOf(',') + 1), 'base64');
}

async function main(): Promise<void> {
  await ensureDashboards({ force: false });
  const dir = mkdtempSync(join(tmpdir(), 'ioc-screenshots-'));
  const engine = await startEngine({ dataDir: dir, port: 0, pgPort: 0, mqttPort: 0, simulate: true, logLevel: 'warn' });
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, locale: 'vi-VN' });
    mkdirSync(OUT, { recursive: true });
    const save = async (name: string) => {
      const bytes = await webp(page);
      writeFileSync(join(OUT, `${name}.webp`), bytes);
      process.stdout.write(`${name}.webp: ${Math.round(bytes.length / 1024)} KiB\n`);
    };

    await page.goto(`${engine.url}/`);
    await page.locator('#conn[data-state="live"]').waitFor({ timeout: 30_000 });
    await page.waitForTimeout(10_000);
    await page.mouse.move(1900, 1060);
    await save('wall');

    await page.goto(`${engine.url}/console`);
    await page.locator('.cm-content').click();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Delete');
    await page.keyboard.type(QUERY, { delay: 0 });
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+Enter');
    await page.locator('#run:not([disabled])').waitFor({ timeout: 30_000 });
    await page.locator('#tab-chart').click();
    await page.waitForTimeout(1_500);
    await save('console');

    const yesterday = hanoiDate(Date.now() - DAY_MS);
    await page.goto(`${engine.url}/briefing?date=${yesterday}`);
    await page.locator('body[data-state="ready"]').waitFor({ timeout: 30_000 });
    await save('briefing');
  } finally {
    await browser.close();
    await engine.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    console.error(err);
    process.exit(1);
  },
);
