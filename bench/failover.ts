// Benchmark: a wall's gap when the replica it uses dies. Two engines (`ioc start`, each its own durable consumer of one
// JetStream stream on a private nats-server) and the built wall in headless Chromium, opened with ?engines=A,B. Each
// round kills (-9) the replica the wall is on, publishes one event at once, and times the kill → the wall showing that
// event (`failover.wall_gap_ms`) and the kill → the wall live on the other replica; the victim is then started again
// and catches up from its consumer, to be the next round's standby.
// `npx tsx bench/failover.ts [--rounds 4] [--quick]`
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../test/support/browser.ts';
import { freePort, privateNats } from '../test/support/brokers.ts';
import { EngineProcess } from '../test/support/engine-process.ts';
import { camera } from '../test/support/events.ts';
import { report } from './report.ts';
import { quantile } from './lib/stats.ts';

const { values: args } = parseArgs({
  options: { rounds: { type: 'string', default: '4' }, quick: { type: 'boolean', default: false } },
});
const ROUNDS = args.quick ? 2 : Number(args.rounds);
const MINUTE = 60_000;
const TILE = '[data-indicator="traffic_flow"] .tile-value .num';
/** Every event goes to a newer minute than the last, so the city tile shows it: values 100, 101, … in minutes base, base+1, … */
const BASE = Math.floor(Date.now() / MINUTE) * MINUTE - (ROUNDS + 3) * MINUTE;

const broker = await privateNats();
if (!broker) throw new Error('bench/failover needs /usr/sbin/nats-server (apt-get install -y nats-server)');
const nc = await connect({ servers: broker.url });
const js = jetstream(nc);
const dirs: string[] = [];
const running: EngineProcess[] = [];
const browser = await launchBrowser();

interface Replica {
  url: string;
  env: Record<string, string>;
}

async function replica(name: string, port: number, all: string): Promise<Replica> {
  const dir = await mkdtemp(join(tmpdir(), `ioc-bench-failover-${name}-`));
  dirs.push(dir);
  return {
    url: `http://127.0.0.1:${port}`,
    env: {
      DATA_DIR: dir,
      PORT: String(port),
      MQTT_PORT: String(await freePort()),
      NATS_URL: broker!.url,
      NATS_CONSUMER: `ioc-bench-${name}`,
      ENGINES: all,
      SIMULATE: '0',
      LOG_LEVEL: 'warn',
      TICK_MS: '200',
      BATCH_AGE_MS: '50',
    },
  };
}

const processes = new Map<string, EngineProcess>();
async function start(r: Replica): Promise<void> {
  const p = new EngineProcess(r.env);
  running.push(p);
  processes.set(r.url, p);
  await p.start(60_000);
}

async function publish(j: number): Promise<void> {
  const event = camera(j, {
    id: `bench-fo-${j}`,
    ts: new Date(BASE + j * MINUTE + 30_000).toISOString(),
    counts: { car: 100 + j, motorbike: 0, bus: 0, truck: 0, bicycle: 0, pedestrian: 0 },
  });
  await js.publish(`city.camera.${String(event['cameraId'])}`, JSON.stringify(event));
}

/** Until the engine at `url` serves event `j`'s minute: a restarted replica has caught up. */
async function caughtUp(url: string, j: number, timeoutMs = 30_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  const q = new URLSearchParams({ area: 'hanoi', from: new Date(BASE).toISOString() });
  while (Date.now() < end) {
    const res = await fetch(`${url}/api/indicators/traffic_flow?${q}`).catch(() => null);
    if (res?.ok) {
      const { rows } = (await res.json()) as { rows: { t: string; value: number }[] };
      if (rows.some((r) => Date.parse(r.t) === BASE + j * MINUTE && r.value === 100 + j)) return;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`${url} did not serve event ${j} within ${timeoutMs} ms`);
}

const tileShows = (page: Page, j: number) =>
  page.waitForFunction(([s, want]) => document.querySelector(s!)?.textContent === want, [TILE, String(100 + j)], {
    timeout: 30_000,
    polling: 10,
  });

const gaps: number[] = [];
const reconnects: number[] = [];
try {
  const [portA, portB] = [await freePort(), await freePort()];
  const all = `http://127.0.0.1:${portA},http://127.0.0.1:${portB}`;
  const replicas = [await replica('a', portA, all), await replica('b', portB, all)];
  for (const r of replicas) await start(r);

  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  await page.goto(`${replicas[0]!.url}/?kiosk=1&engines=${encodeURIComponent(all)}`);
  await page.locator('#conn[data-state="live"]').waitFor({ timeout: 30_000 });
  await publish(0);
  await tileShows(page, 0);
  await page.evaluate(() => {
    const el = document.getElementById('conn')!;
    const log: [number, string][] = [];
    (window as unknown as { connLog: typeof log }).connLog = log;
    new MutationObserver(() => log.push([Date.now(), el.dataset['state'] ?? ''])).observe(el, {
      attributes: true,
      attributeFilter: ['data-state'],
    });
  });

  for (let round = 1; round <= ROUNDS; round++) {
    const on = await page.locator('#engine').getAttribute('data-engine');
    const victim = replicas.find((r) => r.url === on);
    if (!victim) throw new Error(`the wall names no engine of the two (${String(on)})`);
    const killedAt = Date.now();
    await processes.get(victim.url)!.kill9();
    await publish(round);
    await tileShows(page, round);
    gaps.push(Date.now() - killedAt);
    const log = await page.evaluate(() => (window as unknown as { connLog: [number, string][] }).connLog);
    const live = log.find(([at, s]) => s === 'live' && at >= killedAt);
    if (live) reconnects.push(live[0] - killedAt);
    process.stderr.write(
      `round ${round}: killed ${victim.url}; wall live again after ${live ? live[0] - killedAt : '?'} ms, showed the new event after ${gaps.at(-1)} ms\n`,
    );
    // The victim comes back and catches up, to stand by for the next round.
    await start(victim);
    await caughtUp(victim.url, round);
  }

  const median = (xs: number[]) => quantile(xs, 0.5);
  await report('failover', [
    {
      name: 'failover.wall_gap_ms',
      unit: 'ms',
      value: median(gaps),
      details: { rounds: gaps.length, max: Math.max(...gaps) },
    },
    {
      name: 'failover.wall_reconnect_ms',
      unit: 'ms',
      value: median(reconnects),
      details: { rounds: reconnects.length, max: Math.max(...reconnects) },
    },
  ]);
} finally {
  await browser.close();
  await Promise.all(running.map((p) => p.kill9()));
  await nc.close();
  await broker.stop();
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
}
