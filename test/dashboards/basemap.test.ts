// The street base map on the wall, in Chromium: a tile service of the test's own on 127.0.0.1 serves magenta raster
// tiles to one engine's wall and a vector street grid to another's; a third engine without BASEMAP_URL asks for none; a
// fourth serves a PMTiles file of its own, one cyan tile at zoom 0, at /api/basemap.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { TileType } from 'pmtiles';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, SCREEN_POLL_MS } from '../support/browser.ts';
import { startTestEngine, until, type TestEngine } from '../support/engine.ts';
import { singleTilePmtiles } from '../support/pmtiles.ts';
import { solidPng } from '../support/png.ts';
import { startTileServer, type TileServer } from '../support/tile-server.ts';

const ARTIFACTS = fileURLToPath(new URL('../../test-artifacts/', import.meta.url));
const VIEWPORT = { width: 960, height: 600 } as const;
const MAGENTA = [255, 0, 255] as const;
const CREDIT = '© Bản đồ thử nghiệm';
const MAP_CANVAS = '#map canvas';

let tiles: TileServer;
let browser: Browser;
let raster: TestEngine;
let vector: TestEngine;
let bare: TestEngine;
let pmtiles: TestEngine;
let pmtilesDir: string;
/** Per page: errors, console errors (a CSP refusal is one), failed responses, and every URL it asked for. */
const problems: string[] = [];
/** Street-coloured pixels of the wall without a base map. */
let streetsWithout = 0;

async function openWall(engine: TestEngine, name: string): Promise<{ page: Page; urls: string[] }> {
  const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1, locale: 'vi-VN' });
  const page = await context.newPage();
  const urls: string[] = [];
  page.on('pageerror', (err) => problems.push(`${name} pageerror: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`${name} console.error: ${msg.text()}`);
  });
  page.on('response', (res) => {
    if (res.status() >= 400) problems.push(`${name} HTTP ${res.status()} ${res.url()}`);
  });
  page.on('request', (req) => urls.push(req.url()));
  await page.goto(`${engine.url}/`, { waitUntil: 'load' });
  // The boundaries' credit is written once the areas are in: the map has its layers from then on.
  await page.locator('#attribution').filter({ hasText: /\S/ }).waitFor({ timeout: 10_000 });
  return { page, urls };
}

/** A box in RGB: the pixels a layer leaves on screen once blended over the dark map. */
interface ColourBox {
  min: [number, number, number];
  max: [number, number, number];
}
/** Magenta tiles dimmed over the dark map: red and blue high, no green; nothing else on the wall is that colour. */
const DIMMED_MAGENTA: ColourBox = { min: [150, 0, 150], max: [255, 60, 255] };
/** The PMTiles file's cyan tile dimmed the same way: green and blue high, little red. */
const DIMMED_CYAN: ColourBox = { min: [0, 150, 150], max: [60, 255, 255] };
/** The vector streets' grey-blue, blended over the map (and, inside the city, under the wards' fill). */
const STREET: ColourBox = { min: [45, 55, 70], max: [115, 125, 145] };

/** The map as the screen shows it, saved for a look, and its pixels inside `box` counted in the page. */
async function screenPixels(page: Page, file: string, box: ColourBox): Promise<number> {
  const png = await page
    .locator(MAP_CANVAS)
    .first()
    .screenshot({ type: 'png', path: `${ARTIFACTS}${file}` });
  return page.evaluate(
    async ([base64, { min, max }]) => {
      const image = new Image();
      image.src = `data:image/png;base64,${base64}`;
      await image.decode();
      const canvas = document.createElement('canvas');
      [canvas.width, canvas.height] = [image.naturalWidth, image.naturalHeight];
      const context = canvas.getContext('2d')!;
      context.drawImage(image, 0, 0);
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      let n = 0;
      for (let i = 0; i < data.length; i += 4)
        if ([0, 1, 2].every((c) => data[i + c]! >= min[c]! && data[i + c]! <= max[c]!)) n++;
      return n;
    },
    [png.toString('base64'), box] as const,
  );
}

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  tiles = await startTileServer(MAGENTA);
  pmtilesDir = await mkdtemp(join(tmpdir(), 'ioc-pmtiles-'));
  const file = join(pmtilesDir, 'hanoi.pmtiles');
  await writeFile(file, singleTilePmtiles(solidPng([0, 255, 255]), TileType.Png));
  [browser, raster, vector, bare, pmtiles] = await Promise.all([
    launchBrowser(),
    startTestEngine({ basemapUrl: `${tiles.url}/raster/{z}/{x}/{y}.png`, basemapAttribution: CREDIT }),
    startTestEngine({ basemapUrl: `${tiles.url}/vector/{z}/{x}/{y}.pbf` }),
    startTestEngine(),
    startTestEngine({ basemapUrl: pathToFileURL(file).href }),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([raster?.dispose(), vector?.dispose(), bare?.dispose(), pmtiles?.dispose(), tiles?.close()]);
  if (pmtilesDir) await rm(pmtilesDir, { recursive: true, force: true });
});

describe('the base map under the wall', () => {
  it('tells the page what to draw, and lets only the tile service in through the CSP', async () => {
    expect((await raster.get('/api/basemap')).body).toEqual({
      basemap: {
        kind: 'raster',
        url: `${tiles.url}/raster/{z}/{x}/{y}.png`,
        attribution: CREDIT,
        minZoom: 0,
        maxZoom: 19,
      },
    });
    expect((await vector.get('/api/basemap')).body).toMatchObject({
      basemap: { kind: 'vector', attribution: new URL(tiles.url).host },
    });
    expect((await bare.get('/api/basemap')).body).toEqual({ basemap: null });
    const csp = async (engine: TestEngine) =>
      (await fetch(`${engine.url}/`)).headers.get('content-security-policy') ?? '';
    const withTiles = await csp(raster);
    expect(withTiles).toMatch(new RegExp(`img-src [^;]*${tiles.url}`));
    expect(withTiles).toMatch(new RegExp(`connect-src [^;]*${tiles.url}`));
    expect(await csp(bare)).not.toContain(tiles.url);
  });

  it('draws raster tiles under the layers and credits them', async () => {
    const { page } = await openWall(raster, 'raster');
    await until(
      () => tiles.requests.filter((p) => p.startsWith('/raster/')).length,
      (n) => n > 0,
    );
    const magenta = await until(
      () => screenPixels(page, 'basemap-raster.png', DIMMED_MAGENTA),
      (n) => n > 10_000,
      10_000,
      SCREEN_POLL_MS,
    );
    expect(magenta).toBeGreaterThan(10_000);
    await expect(page.locator('#attribution').textContent()).resolves.toContain(CREDIT);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it('asks for no tiles without BASEMAP_URL', async () => {
    const before = tiles.requests.length;
    const { page, urls } = await openWall(bare, 'bare');
    // The wards' borders share the streets' colours: what the vector tiles add is counted over this.
    streetsWithout = await screenPixels(page, 'basemap-none.png', STREET);
    expect(urls.filter((u) => new URL(u).origin !== bare.url)).toEqual([]);
    expect(tiles.requests.length).toBe(before);
    expect(problems).toEqual([]);
    await page.context().close();
  });
  it('draws vector tiles as thin streets and credits the host when no credit is set', async () => {
    const { page } = await openWall(vector, 'vector');
    await until(
      () => tiles.requests.filter((p) => p.startsWith('/vector/')).length,
      (n) => n > 0,
    );
    const streets = await until(
      () => screenPixels(page, 'basemap-vector.png', STREET),
      (n) => n > streetsWithout + 5_000,
      10_000,
      SCREEN_POLL_MS,
    );
    expect(streets).toBeGreaterThan(streetsWithout + 5_000);
    await expect(page.locator('#attribution').textContent()).resolves.toContain(new URL(tiles.url).host);
    expect(problems).toEqual([]);
    await page.context().close();
  });

  it("draws a PMTiles file's tiles from the engine's own route, credited by the file's name", async () => {
    const { page, urls } = await openWall(pmtiles, 'pmtiles');
    // The file has zoom 0 only: the wall asks for that one tile and stretches it over the city.
    await until(
      () => urls.filter((u) => new URL(u).pathname === '/api/basemap/0/0/0').length,
      (n) => n > 0,
    );
    expect(urls.filter((u) => new URL(u).origin !== pmtiles.url)).toEqual([]);
    const cyan = await until(
      () => screenPixels(page, 'basemap-pmtiles.png', DIMMED_CYAN),
      (n) => n > 10_000,
      10_000,
      SCREEN_POLL_MS,
    );
    expect(cyan).toBeGreaterThan(10_000);
    await expect(page.locator('#attribution').textContent()).resolves.toContain('hanoi.pmtiles');
    expect(problems).toEqual([]);
    await page.context().close();
  });
});
