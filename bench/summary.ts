// The run's headline: gathers this run's bench/results/*.json into latest.json (and <date>.json) and latest.md, with targets.
import { readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { machine, type BenchReport, type BenchResult } from './report.ts';

const { values: args } = parseArgs({
  options: { since: { type: 'string', default: '0' }, quick: { type: 'boolean', default: false } },
});
const since = Number(args.since);
const DIR = new URL('./results/', import.meta.url);

export interface SummaryRow {
  name: string;
  unit: string;
  value: number;
  /** What the value is compared with, in the same unit (the bare client, the bulk append, our own latency…). */
  baseline: number | null;
  /** engine / baseline; for peers, how many times better the engine does (their latency over ours, our rate over theirs). */
  ratio: number | null;
  /** What the baseline is. */
  versus?: string;
  target?: string;
  met?: boolean;
  /** The last full run's ratio where both runs have one, else its value. */
  full?: number;
  fullIsRatio?: boolean;
  /** Quick runs: whether this figure is within 15 % of the last full run's. */
  trusted?: boolean;
}

async function load(name: string): Promise<Map<string, BenchResult>> {
  try {
    const doc = JSON.parse(await readFile(new URL(`${name}.json`, DIR), 'utf8')) as BenchReport;
    // Results left over from an earlier run would pass for this run's: only this run's count.
    if (Date.parse(doc.date) < since) return new Map();
    return new Map(doc.results.map((r) => [r.name, r]));
  } catch {
    return new Map();
  }
}

const [ingest, freshness, queries, tick] = (await Promise.all(
  ['ingest', 'freshness', 'queries', 'tick'].map(load),
)) as [Map<string, BenchResult>, Map<string, BenchResult>, Map<string, BenchResult>, Map<string, BenchResult>];
const rows: SummaryRow[] = [];
const add = (
  r: BenchResult | undefined,
  base: number | null,
  ratio: number | null,
  versus?: string,
  target?: { text: string; min: number },
): void => {
  if (!r || !Number.isFinite(r.value)) return;
  rows.push({
    name: r.name,
    unit: r.unit,
    value: r.value,
    baseline: base,
    ratio,
    ...(versus ? { versus } : {}),
    ...(target ? { target: target.text, met: ratio !== null && ratio >= target.min } : {}),
  });
};

for (const t of ['mqtt.qos0', 'mqtt.qos1', 'nats.core', 'nats.jetstream']) {
  const r = ingest.get(`ingest.${t}.single`);
  const bare = ingest.get(`ingest.${t}.single.bare`);
  if (r && bare) add(r, bare.value, r.value / bare.value, 'bare client', { text: '≥ 0.6×', min: 0.6 });
}
const bulk = ingest.get('ingest.bulk_append');
for (const t of ['mqtt.qos0', 'mqtt.qos1', 'nats.core', 'nats.jetstream']) {
  const r = ingest.get(`ingest.${t}.batched`);
  if (r && bulk) add(r, bulk.value, r.value / bulk.value, 'bulk append alone', { text: '≥ 0.5×', min: 0.5 });
}
add(bulk, null, null);
const window = queries.get('query.window_1m');
const last5 = queries.get('query.last_5m');
add(window, null, null);
add(last5, null, null);
for (const [peer, min] of [
  ['postgres', 5],
  ['influxdb', 20],
] as const) {
  const w = queries.get(`peer.${peer}.window`);
  if (w && window) add(w, window.value, w.value / window.value, 'ours (ms)', { text: `≥ ${min}×`, min });
  const l = queries.get(`peer.${peer}.last_5m`);
  if (l && last5) add(l, last5.value, l.value / last5.value, 'ours (ms)', { text: `≥ ${min}×`, min });
}
const best = ingest.get('ingest.mqtt.qos0.batched');
for (const name of ['peer.postgres.copy', 'peer.influxdb.line_protocol']) {
  const p = queries.get(name);
  if (p)
    add(
      p,
      best?.value ?? null,
      best ? best.value / p.value : null,
      best ? 'ours: ingest.mqtt.qos0.batched' : undefined,
    );
}
for (const [k, r] of freshness) {
  if (!k.startsWith('freshness.p')) continue;
  add(r, null, null, undefined);
  if (k === 'freshness.p99' && rows.at(-1)?.name === k) {
    const last = rows.at(-1)!;
    last.target = '< 1000 ms';
    last.met = r.value < 1000;
  }
}
add(freshness.get('freshness.sustainable_rate'), null, null);
// A tick after 2,000 new events with every shipped view, at the first history size; flat as the history grows.
const ticks = [...tick.values()];
const first = ticks[0];
if (first) {
  add({ ...first, name: 'tick.2k' }, null, null, undefined, { text: '≤ 30 ms', min: -Infinity });
  rows.at(-1)!.met = first.value <= 30;
}
for (const r of ticks) {
  const most = r.name.endsWith('views_100') ? 3 : 1.5;
  // The 126 wards against the 30 former districts, both without district rows; the rest against the first size.
  const base = (r.name === 'tick.2k.areas_126' ? tick.get('tick.2k.areas_30') : undefined) ?? first!;
  add(r, base.value, r.value / base.value, base.name, { text: `≤ ${most}×`, min: -Infinity });
  rows.at(-1)!.met = r.value / base.value <= most;
}
// A wall's gap when its replica is killed; the reconnect itself must take under 5 s.
const failover = await load('failover');
add(failover.get('failover.wall_gap_ms'), null, null);
add(failover.get('failover.wall_reconnect_ms'), null, null);
if (rows.at(-1)?.name === 'failover.wall_reconnect_ms') {
  const last = rows.at(-1)!;
  last.target = '< 5000 ms';
  last.met = last.value < 5000;
}
// What availability costs: a new replica replaying the stream against a bare consumer, and two replicas on a 3-node
// cluster against one engine on one server.
const cluster = await load('cluster');
const catchup = cluster.get('catchup.events_per_s');
const bareCatchup = cluster.get('catchup.bare');
if (catchup && bareCatchup)
  add(catchup, bareCatchup.value, catchup.value / bareCatchup.value, 'bare JetStream consumer', {
    text: '≥ 0.5×',
    min: 0.5,
  });
for (const label of ['single', 'batched']) {
  const r = cluster.get(`cluster.ingest.${label}`);
  const one = cluster.get(`cluster.ingest.${label}.one_server`);
  if (r && one) add(r, one.value, r.value / one.value, 'one engine on one server');
}
// What a quiet city costs: the engine alone at the simulator's 200 events/s.
const rest = await load('rest');
const cpu = rest.get('rest.cpu_pct');
if (cpu) add(cpu, null, null, undefined, { text: '≤ 10 %', min: -Infinity });
if (cpu && rows.at(-1)?.name === 'rest.cpu_pct') rows.at(-1)!.met = cpu.value <= 10;
const rss = rest.get('rest.rss_mb');
if (rss) add(rss, null, null, undefined, { text: '≤ 300 MB', min: -Infinity });
if (rss && rows.at(-1)?.name === 'rest.rss_mb') rows.at(-1)!.met = rss.value <= 300;
// Analysts: a million-row result read by BI clients over the PostgreSQL door against the same result as Arrow over
// HTTP, and a view created at run time filled from the stored history against its batch query over the same events.
const pg = await load('pg');
const arrow = pg.get('pg.rows_per_s.arrow_http');
for (const [k, r] of pg)
  if (k !== 'pg.rows_per_s.arrow_http' && arrow) add(r, arrow.value, r.value / arrow.value, 'Arrow IPC over HTTP');
const views = await load('views');
for (const [k, r] of views) {
  if (!k.startsWith('views.backfill_rows_per_s.')) continue;
  const batch = views.get(k.replace('backfill', 'batch'));
  if (batch) add(r, batch.value, r.value / batch.value, 'the batch query');
}
// The operators' wall with 100,000 devices (10,000 changing every second) in headless Chromium.
const wall = await load('wall');
for (const name of ['wall.first_load_ms', 'wall.fps', 'wall.fps.heat']) add(wall.get(name), null, null);
// The incident room: a change on one wall until 50 others show it, against a bare socket.io relay of the same change;
// and the morning briefing rendered to PDF.
const incident = await load('incident-push');
const push = incident.get('incident.push_ms');
const bareSocket = incident.get('incident.push_ms.bare_socketio');
if (push && bareSocket) add(push, bareSocket.value, push.value / bareSocket.value, 'a bare socket.io relay');
add((await load('briefing')).get('briefing.pdf_ms'), null, null);
add(ingest.get('rss.peak'), null, null);
for (const [k, r] of [...ingest, ...queries]) if (k.startsWith('footprint.')) add(r, null, null);

// The last full run's figures stand beside this run's; a quick run says which of its figures it cannot stand behind
// (more than 15 % away from the full run's: too short a sample for what it measures). Only a full run replaces them.
const FULL = new URL('full.json', DIR);
const previous = await readFile(FULL, 'utf8')
  .then((t) => JSON.parse(t) as { date: string; results: SummaryRow[] })
  .catch(() => null);
const lastFull = new Map((previous?.results ?? []).map((r) => [r.name, r]));
const TRUST = 0.15;
for (const r of rows) {
  const f = lastFull.get(r.name);
  if (!f) continue;
  // Like with like: ratios where both runs have one, else the values (a row may gain a ratio after the full run).
  r.fullIsRatio = r.ratio !== null && f.ratio !== null;
  r.full = r.fullIsRatio ? f.ratio! : f.value;
  if (args.quick) {
    const drift = Math.abs((r.fullIsRatio ? r.ratio! : r.value) / r.full - 1);
    r.trusted = drift <= TRUST;
  }
}

// How busy the machine was meanwhile (other people's tests share it): the load averages over 1, 5 and 15 minutes at the end.
const loadAvg = os.loadavg().map((x) => Math.round(x * 10) / 10);
const doc = {
  machine: { ...machine(), load: loadAvg },
  date: new Date().toISOString(),
  quick: args.quick,
  results: rows,
};
const day = doc.date.slice(0, 10);
await writeFile(new URL('latest.json', DIR), `${JSON.stringify(doc, null, 2)}\n`);
if (!args.quick) await writeFile(FULL, `${JSON.stringify({ date: doc.date, results: rows }, null, 2)}\n`);
await writeFile(new URL(`${day}.json`, DIR), `${JSON.stringify(doc, null, 2)}\n`);

const num = (x: number, unit: string): string =>
  unit === 'ms' && x < 100 ? x.toFixed(1) : Math.round(x).toLocaleString('en-US');
const md = [
  `Measured ${day} with \`npm run bench${args.quick ? ' -- --quick' : ''}\` on ${doc.machine.cpus} cores (${doc.machine.cpu ?? 'unknown CPU'}), ` +
    `${doc.machine.memoryGiB ?? '?'} GiB, Node ${doc.machine.node}, load average ${loadAvg.join(' / ')} (1 / 5 / 15 min) from other work on the same machine: ` +
    'compare the ratios, measured in the same run, rather than the absolute figures.',
  '',
  ...(previous ? [`Last full run: ${previous.date.slice(0, 10)}.`, ''] : []),
  `| result | value | unit | compared with | baseline | ratio | target | last full run |${args.quick ? ' quick run |' : ''}`,
  `|---|---:|---|---|---:|---:|---|---:|${args.quick ? '---|' : ''}`,
  ...rows.map(
    (r) =>
      `| ${r.name} | ${num(r.value, r.unit)} | ${r.unit} | ${r.versus ?? ''} | ${r.baseline === null ? '' : num(r.baseline, r.unit)} | ` +
      `${r.ratio === null ? '' : `${r.ratio.toFixed(2)}×`} | ${r.target ? `${r.target} ${r.met ? '✓' : '✗'}` : ''} | ` +
      `${r.full === undefined ? '' : r.fullIsRatio ? `${r.full.toFixed(2)}×` : num(r.full, r.unit)} |` +
      (args.quick
        ? ` ${r.trusted === undefined ? 'no full figure' : r.trusted ? 'within 15 %' : 'cannot stand behind it: more than 15 % from the full run'} |`
        : ''),
  ),
  '',
].join('\n');
await writeFile(new URL('latest.md', DIR), md);
process.stdout.write(
  `\nsummary\n${md}\nwritten to bench/results/latest.json, bench/results/${day}.json and bench/results/latest.md\n`,
);
