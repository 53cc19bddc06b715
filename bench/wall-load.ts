// The wall under load in headless Chromium: 100,000 entities from an Arrow layer, 10,000 of them changing every second
// over socket.io as Arrow batches (a synthetic stream in front of the built wall), measuring frame time and JS heap.
// `npx tsx bench/wall-load.ts [--entities 100000] [--updates 10000] [--seconds 20] [--calm: every device ok] [--profile: top functions]`
import { readFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { Float64, Table, Utf8, makeVector, tableToIPC, vectorFromArray } from 'apache-arrow';
import { Server } from 'socket.io';
import { dashboardsOutDir } from '../dashboards/paths.ts';
import { DEFAULT_AREAS_FILE, loadAreas } from '../engine/geo/index.ts';
import { launchBrowser } from '../test/support/browser.ts';
import { report } from './report.ts';
import { mulberry32 } from '../sources/simulate/prng.ts';

const { values: args } = parseArgs({
  options: {
    entities: { type: 'string', default: '100000' },
    updates: { type: 'string', default: '10000' },
    seconds: { type: 'string', default: '20' },
    calm: { type: 'boolean', default: false },
    profile: { type: 'boolean', default: false },
  },
});
const ENTITIES = Number(args.entities);
const UPDATES = Number(args.updates);
const SECONDS = Number(args.seconds);
const RESULTS = fileURLToPath(new URL('./results/', import.meta.url));

// A seeded generator: the same city every run.
const rand = mulberry32(20261127);

const KINDS = [
  ['camera', 0.4],
  ['air', 0.3],
  ['water', 0.1],
  ['noise', 0.1],
  ['network', 0.1],
] as const;
const UNIT: Record<string, string> = { camera: 'km/h', air: 'µg/m³', water: 'cm', noise: 'dB(A)', network: 'Mbps' };
const ids: string[] = [];
const kinds: string[] = [];
const lon = new Float64Array(ENTITIES);
const lat = new Float64Array(ENTITIES);
const values = new Float64Array(ENTITIES);
const status = new Uint8Array(ENTITIES);
const lastTs = new Float64Array(ENTITIES);

function valueFor(kind: string): [number, number] {
  const v =
    kind === 'camera'
      ? 5 + rand() * 45
      : kind === 'air'
        ? 5 + rand() * 120
        : kind === 'water'
          ? rand() * 60
          : kind === 'noise'
            ? 50 + rand() * 35
            : 10 + rand() * 90;
  const alert =
    kind === 'camera'
      ? v <= 15
      : kind === 'air'
        ? v >= 80
        : kind === 'water'
          ? v >= 50
          : kind === 'noise'
            ? v >= 80
            : v <= 20;
  const warn =
    kind === 'camera'
      ? v <= 20
      : kind === 'air'
        ? v >= 50
        : kind === 'water'
          ? v >= 30
          : kind === 'noise'
            ? v >= 70
            : v <= 40;
  if (args.calm) return [v, 0];
  return [v, alert ? 2 : warn ? 1 : 0];
}

for (let i = 0; i < ENTITIES; i++) {
  let r = rand();
  const kind = KINDS.find(([, p]) => (r -= p) < 0)?.[0] ?? 'camera';
  ids.push(`${kind === 'camera' ? 'cam' : 'sen'}-${i}`);
  kinds.push(kind);
  // Dense in the urban core, thinner outside, as the city's devices are.
  const core = rand() < 0.7;
  lon[i] = core ? 105.78 + rand() * 0.12 : 105.3 + rand() * 0.7;
  lat[i] = core ? 20.96 + rand() * 0.12 : 20.6 + rand() * 0.75;
  [values[i], status[i]] = valueFor(kind);
  lastTs[i] = Date.now();
}

function fullLayer(): Uint8Array {
  return tableToIPC(
    new Table({
      id: vectorFromArray(ids, new Utf8()),
      family: vectorFromArray(
        kinds.map((k) => (k === 'camera' ? 'camera' : 'sensor')),
        new Utf8(),
      ),
      kind: vectorFromArray(kinds, new Utf8()),
      area: vectorFromArray(
        ids.map(() => null),
        new Utf8(),
      ),
      unit: vectorFromArray(
        kinds.map((k) => UNIT[k] ?? null),
        new Utf8(),
      ),
      lon: makeVector(lon),
      lat: makeVector(lat),
      value: vectorFromArray(Array.from(values), new Float64()),
      status: makeVector(status),
      lastTs: makeVector(lastTs),
    }),
    'stream',
  );
}

/** 10,000 entities change: only their id, value, status and time travel. */
function updateBatch(): Uint8Array {
  const pick: number[] = [];
  for (let k = 0; k < UPDATES; k++) pick.push(Math.floor(rand() * ENTITIES));
  const now = Date.now();
  const v = new Float64Array(pick.length);
  const s = new Uint8Array(pick.length);
  const t = new Float64Array(pick.length).fill(now);
  pick.forEach((i, k) => {
    [values[i], status[i]] = valueFor(kinds[i]!);
    v[k] = values[i]!;
    s[k] = status[i]!;
  });
  return tableToIPC(
    new Table({
      id: vectorFromArray(
        pick.map((i) => ids[i]!),
        new Utf8(),
      ),
      value: makeVector(v),
      status: makeVector(s),
      lastTs: makeVector(t),
    }),
    'stream',
  );
}

const MIME: Record<string, string> = {
  '.js': 'text/javascript',
  '.css': 'text/css',
  '.html': 'text/html; charset=utf-8',
};
const areas = (await loadAreas(DEFAULT_AREAS_FILE)).featureCollection();
const layer = fullLayer();
const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://x');
  const json = (body: unknown): void => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  if (url.pathname === '/') {
    res.writeHead(200, { 'content-type': MIME['.html']! });
    res.end(readFileSync(join(dashboardsOutDir, 'wall', 'index.html')));
    return;
  }
  if (url.pathname.startsWith('/assets/')) {
    const file = join(dashboardsOutDir, url.pathname);
    if (!existsSync(file)) {
      res.writeHead(404);
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
    return;
  }
  if (url.pathname === '/api/areas') return json(areas);
  if (url.pathname === '/api/indicators') return json({ indicators: [], rollupRetentionDays: 400 });
  if (url.pathname === '/api/alerts') return json({ alerts: [] });
  if (url.pathname === '/api/layers/devices') {
    res.writeHead(200, { 'content-type': 'application/vnd.apache.arrow.stream' });
    res.end(layer);
    return;
  }
  json({ error: { code: 'not_found', message: url.pathname } });
});
const io = new Server(server, { serveClient: false });
io.of('/queries');
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const port = (server.address() as { port: number }).port;
let sent = 0;
let encodeMs = 0;
const pusher = setInterval(() => {
  const t0 = performance.now();
  const batch = updateBatch();
  encodeMs += performance.now() - t0;
  io.emit('devices:arrow', batch);
  sent++;
}, 1_000);

const browser = await launchBrowser();
const page = await browser.newPage({ viewport: { width: 1920, height: 1080 }, deviceScaleFactor: 1 });
const errors: string[] = [];
page.on('pageerror', (e) => errors.push(e.message));
const cdp = await page.context().newCDPSession(page);
await cdp.send('Performance.enable');
const t0 = Date.now();
await page.goto(`http://127.0.0.1:${port}/?kiosk=1`);
await page.waitForFunction(
  (n) => document.querySelector('#device-legend .legend-unit')?.textContent?.replace(/\D/g, '') === String(n),
  ENTITIES,
  { timeout: 60_000 },
);
const loadMs = Date.now() - t0;

async function measure(label: string): Promise<Record<string, number | string>> {
  // A string, not a function: the TypeScript runner would wrap a function with helpers the page does not have.
  await page.evaluate(`(() => {
    window.__frames = []; window.__stop = false; window.__last = performance.now();
    const loop = (now) => { window.__frames.push(now - window.__last); window.__last = now; if (!window.__stop) requestAnimationFrame(loop); };
    requestAnimationFrame(loop);
  })()`);
  const heaps: number[] = [];
  for (let s = 0; s < SECONDS; s++) {
    await page.waitForTimeout(1_000);
    const { metrics } = await cdp.send('Performance.getMetrics');
    heaps.push(metrics.find((m) => m.name === 'JSHeapUsedSize')!.value);
  }
  const frames = await page.evaluate<number[]>(`(() => { window.__stop = true; return window.__frames.slice(1); })()`);
  const sorted = [...frames].sort((a, b) => a - b);
  const q = (p: number): number => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))]!;
  const r = {
    phase: label,
    frames: frames.length,
    fps: Math.round((frames.length / SECONDS) * 10) / 10,
    frameMsP50: Math.round(q(0.5) * 10) / 10,
    frameMsP95: Math.round(q(0.95) * 10) / 10,
    frameMsMax: Math.round(sorted.at(-1)! * 10) / 10,
    framesOver50ms: frames.filter((f) => f > 50).length,
    heapMbStart: Math.round(heaps[0]! / 1e5) / 10,
    heapMbEnd: Math.round(heaps.at(-1)! / 1e5) / 10,
    heapMbMax: Math.round(Math.max(...heaps) / 1e5) / 10,
  };
  process.stderr.write(`${JSON.stringify(r)}\n`);
  return r;
}

if (args.profile) {
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.start');
  await page.waitForTimeout(8_000);
  const { profile } = await cdp.send('Profiler.stop');
  const self = new Map<string, number>();
  const dt = profile.timeDeltas ?? [];
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  (profile.samples ?? []).forEach((id, k) => {
    const n = byId.get(id)!;
    const key = `${n.callFrame.functionName || '(anon)'} ${n.callFrame.url.split('/').pop()}:${n.callFrame.lineNumber}`;
    self.set(key, (self.get(key) ?? 0) + (dt[k] ?? 0) / 1000);
  });
  process.stderr.write(
    [...self]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 25)
      .map(([k, v]) => `${v.toFixed(0)} ms ${k}`)
      .join('\n') + '\n',
  );
}
const shown = async (): Promise<number> =>
  Number((await page.locator('#device-legend .legend-unit').textContent())?.replace(/\D/g, ''));
const phases = [await measure('devices')];
await page.evaluate(() => {
  localStorage.setItem('ioc.wall.hex', 'pm25');
});
await page.reload();
await page.waitForFunction(
  (n) => document.querySelector('#device-legend .legend-unit')?.textContent?.replace(/\D/g, '') === String(n),
  ENTITIES,
  { timeout: 60_000 },
);
phases.push(await measure('devices + H3 PM2.5 heat'));
const counted = await shown();
clearInterval(pusher);
const result = {
  at: new Date().toISOString(),
  renderer: 'headless Chromium, software WebGL (SwiftShader), 1920×1080, 2 CPU cores',
  entities: ENTITIES,
  updatesPerSecond: UPDATES,
  seconds: SECONDS,
  layerBytes: layer.byteLength,
  firstLoadMs: loadMs,
  batchesSent: sent,
  batchEncodeMs: Math.round((encodeMs / Math.max(sent, 1)) * 10) / 10,
  entitiesShown: counted,
  pageErrors: errors,
  phases,
};
mkdirSync(RESULTS, { recursive: true });
writeFileSync(join(RESULTS, 'wall-load.json'), `${JSON.stringify(result, null, 2)}\n`);
// The headline figures, for the run's summary.
await report('wall', [
  { name: 'wall.first_load_ms', unit: 'ms', value: loadMs, details: { entities: ENTITIES } },
  ...phases.map((p, i) => ({
    name: i === 0 ? 'wall.fps' : 'wall.fps.heat',
    unit: 'frames/s',
    value: Number(p['fps']),
    details: { entities: ENTITIES, updatesPerSecond: UPDATES, frameMsP95: Number(p['frameMsP95']) },
  })),
]);
process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
await browser.close();
io.close();
server.close();
