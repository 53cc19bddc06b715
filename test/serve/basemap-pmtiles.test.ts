// A PMTiles file as the wall's base map: the engine reads the tile type from its header and serves its tiles at
// /api/basemap/{z}/{x}/{y}, refusing coordinates that are not small whole numbers and answering 404 for a tile it lacks.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { TileType } from 'pmtiles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestEngine, type TestEngine } from '../support/engine.ts';
import { solidPng } from '../support/png.ts';
import { singleTilePmtiles } from '../support/pmtiles.ts';

const dir = mkdtempSync(join(tmpdir(), 'ioc-pmtiles-'));
const file = join(dir, 'hanoi.pmtiles');
const png = solidPng([255, 0, 255]);
let engine: TestEngine;

beforeAll(async () => {
  writeFileSync(file, singleTilePmtiles(png, TileType.Png));
  engine = await startTestEngine({ basemapUrl: pathToFileURL(file).href });
});

afterAll(async () => {
  await engine?.dispose();
  rmSync(dir, { recursive: true, force: true });
});

describe('a PMTiles base map served by the engine', () => {
  it("tells the wall to fetch the engine's own tile route, of the kind and zooms the header gives", async () => {
    expect((await engine.get('/api/basemap')).body).toEqual({
      basemap: {
        kind: 'raster',
        url: '/api/basemap/{z}/{x}/{y}',
        attribution: 'hanoi.pmtiles',
        minZoom: 0,
        maxZoom: 0,
      },
    });
  });

  it('serves a tile with the content type of its kind', async () => {
    const res = await fetch(`${engine.url}/api/basemap/0/0/0`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/png');
    expect(Buffer.from(await res.arrayBuffer()).equals(png)).toBe(true);
  });

  it('answers 404 for a tile the file does not have', async () => {
    const res = await engine.get('/api/basemap/3/4/2');
    expect(res.status).toBe(404);
    expect(res.body.error.code).toBe('not_found');
  });

  it('refuses coordinates that are not small whole numbers, naming the field', async () => {
    for (const [path, field] of [
      ['a/0/0', 'z'],
      ['27/0/0', 'z'],
      ['1/2/0', 'x'],
      ['1/0/-1', 'y'],
      ['1/0/1.5', 'y'],
      ['2/0/99999999999', 'y'],
    ] as const) {
      const res = await engine.get(`/api/basemap/${path}`);
      expect(res.status, path).toBe(400);
      expect(res.body.error.message, path).toContain(`"${field}"`);
    }
  });
});
