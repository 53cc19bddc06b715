// Benchmark: an incident change made on one wall until it shows on 50 others (incident.push_ms). The engine runs in
// its own process (as `ioc start`, simulator off); this process holds the 50 walls, socket.io clients like the
// page's, and the operator's wall that changes the incident over HTTP (PATCH /api/incidents/:id, assigning it anew).
// The time of one change is until the last of the 50 has the event. The transport's ceiling, measured in the same
// run: a bare socket.io server in its own process relaying each POSTed body to the same 50 clients.
// `npx tsx bench/incident-push.ts [--walls 50] [--changes 100] [--quick]`
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { io, type Socket } from 'socket.io-client';
import { freePort } from '../test/support/ports.ts';
import type { BareSocketOut } from './lib/bare-socketio.ts';
import { Child } from './lib/child.ts';
import type { EngineOut } from './lib/engine-child.ts';
import { quantile, round } from './lib/stats.ts';
import { report, type BenchResult } from './report.ts';

const { values: args } = parseArgs({
  options: {
    walls: { type: 'string', default: '50' },
    changes: { type: 'string', default: '100' },
    quick: { type: 'boolean', default: false },
  },
});
const WALLS = Number(args.walls);
const CHANGES = args.quick ? 20 : Number(args.changes);

interface Heard {
  incident?: { id?: string; assignee?: string | null };
}

/** Connects `n` walls and resolves with them once each has its handshake done. */
async function walls(url: string, n: number): Promise<Socket[]> {
  const out: Socket[] = [];
  for (let i = 0; i < n; i++) {
    const s = io(url, { transports: ['websocket'], forceNew: true, reconnection: false });
    await new Promise<void>((resolve, reject) => {
      s.once('connect', () => resolve());
      s.once('connect_error', reject);
    });
    out.push(s);
  }
  return out;
}

/**
 * Makes `CHANGES` changes one after the other; each is timed from its request until every wall has heard of it
 * (`seen` tells whether an event is that change's).
 */
async function measure(
  sockets: Socket[],
  change: (k: number) => Promise<void>,
  seen: (e: Heard, k: number) => boolean,
): Promise<number[]> {
  const times: number[] = [];
  for (let k = 0; k < CHANGES; k++) {
    let left = sockets.length;
    let done!: () => void;
    const all = new Promise<void>((r) => (done = r));
    const handlers = sockets.map((s) => {
      const h = (e: Heard) => {
        if (!seen(e, k)) return;
        s.off('incident', h);
        if (--left === 0) done();
      };
      s.on('incident', h);
      return [s, h] as const;
    });
    const t0 = performance.now();
    await change(k);
    await Promise.race([
      all,
      new Promise((_, reject) => setTimeout(() => reject(new Error(`change ${k}: ${left} walls never heard`)), 10_000)),
    ]);
    times.push(performance.now() - t0);
    for (const [s, h] of handlers) s.off('incident', h);
  }
  return times;
}

const results: BenchResult[] = [];
const details = (ms: number[]) => ({ walls: WALLS, changes: ms.length, 'p95 ms': round(quantile(ms, 0.95)) });

const bare = new Child<BareSocketOut>('./bare-socketio.ts', {});
const bareUrl = (await bare.next('ready', 30_000)).url;
const bareWalls = await walls(bareUrl, WALLS);
const bareTimes = await measure(
  bareWalls,
  async (k) => {
    const res = await fetch(bareUrl, {
      method: 'POST',
      body: JSON.stringify({ type: 'changed', incident: { id: 'bare', assignee: `Đội cứu hộ số ${k + 1}` } }),
    });
    await res.arrayBuffer();
  },
  (e, k) => e.incident?.assignee === `Đội cứu hộ số ${k + 1}`,
);
for (const s of bareWalls) s.close();
await bare.end();
results.push({
  name: 'incident.push_ms.bare_socketio',
  unit: 'ms',
  value: round(quantile(bareTimes, 0.5)),
  details: details(bareTimes),
});

const dir = mkdtempSync(join(tmpdir(), 'ioc-bench-incident-'));
const engine = new Child<EngineOut>(
  './engine-child.ts',
  {},
  {
    ...process.env,
    DATA_DIR: dir,
    PORT: '0',
    MQTT_PORT: String(await freePort()),
    PG_PORT: '0',
    SIMULATE: '0',
    LOG_LEVEL: 'warn',
  },
);
try {
  const { url } = await engine.next('ready', 120_000);
  const opened = await fetch(`${url}/api/incidents`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'flooding',
      severity: 'critical',
      area: 'hoan_kiem',
      description: 'Ngập sâu phố Hàng Bài',
    }),
  });
  if (opened.status !== 201) throw new Error(`POST /api/incidents answered ${opened.status}: ${await opened.text()}`);
  const { id } = ((await opened.json()) as { incident: { id: string } }).incident;
  const others = await walls(url, WALLS);
  const times = await measure(
    others,
    async (k) => {
      const res = await fetch(`${url}/api/incidents/${id}`, {
        method: 'PATCH',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ assignee: `Đội cứu hộ số ${k + 1}` }),
      });
      if (!res.ok) throw new Error(`PATCH answered ${res.status}: ${await res.text()}`);
      await res.arrayBuffer();
    },
    (e, k) => e.incident?.id === id && e.incident.assignee === `Đội cứu hộ số ${k + 1}`,
  );
  for (const s of others) s.close();
  results.push({
    name: 'incident.push_ms',
    unit: 'ms',
    value: round(quantile(times, 0.5)),
    baseline: 'incident.push_ms.bare_socketio',
    details: details(times),
  });
  await report('incident-push', results);
  if (args.quick) process.stderr.write(`quick run: ${CHANGES} changes; the p95 of so few is indicative only\n`);
} finally {
  await engine.end();
  rmSync(dir, { recursive: true, force: true });
}
