// A city tile service for a test: raster tiles of one solid colour and vector tiles of a street grid over Hanoi, on
// 127.0.0.1, with the CORS a wall on another origin needs, recording every tile asked for.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import GeoJSONVT from 'geojson-vt';
import { fromGeojsonVt } from 'vt-pbf';
import { solidPng } from './png.ts';

/** Streets every 0.01° (about a kilometre) across the city's box, as the `road` layer of the vector tiles. */
function streetGrid(): GeoJSON.FeatureCollection {
  const features: GeoJSON.Feature[] = [];
  const [west, south, east, north] = [105.6, 20.85, 106.05, 21.25];
  for (let lon = west; lon <= east; lon += 0.01)
    features.push({
      type: 'Feature',
      properties: { class: 'street' },
      geometry: {
        type: 'LineString',
        coordinates: [
          [lon, south],
          [lon, north],
        ],
      },
    });
  for (let lat = south; lat <= north; lat += 0.01)
    features.push({
      type: 'Feature',
      properties: { class: 'primary' },
      geometry: {
        type: 'LineString',
        coordinates: [
          [west, lat],
          [east, lat],
        ],
      },
    });
  return { type: 'FeatureCollection', features };
}

export interface TileServer {
  /** `http://127.0.0.1:port`. */
  url: string;
  /** The paths asked for, in order (`/raster/11/1626/901.png`). */
  requests: string[];
  close(): Promise<void>;
}

const TILE_PATH = /^\/(raster|vector)\/(\d+)\/(\d+)\/(\d+)\.(png|pbf)$/;

export async function startTileServer(colour: readonly [number, number, number]): Promise<TileServer> {
  const png = solidPng(colour);
  const roads = new GeoJSONVT(streetGrid(), { maxZoom: 14 });
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    requests.push(path);
    res.setHeader('access-control-allow-origin', '*');
    const m = TILE_PATH.exec(path);
    if (!m) {
      res.writeHead(404).end();
      return;
    }
    const [, kind, z, x, y] = m;
    if (kind === 'raster') {
      res.writeHead(200, { 'content-type': 'image/png' }).end(png);
      return;
    }
    const tile = roads.getTile(Number(z), Number(x), Number(y));
    // An empty body is a valid tile with no layers: a tile outside the grid.
    const body = tile ? fromGeojsonVt({ road: tile }, { version: 2 }) : new Uint8Array();
    res.writeHead(200, { 'content-type': 'application/x-protobuf' }).end(Buffer.from(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
