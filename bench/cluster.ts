// Benchmark: the price of availability. `catchup.events_per_s`: an empty replica replaying a JetStream stream, against
// a bare consumer's pull + ack of the same stream. `cluster.ingest.single` / `.batched`: events/s until both replicas
// of a 3-node cluster (R3 stream) stored everything, against one engine on one server, same events, same run; every
// engine runs as its own process (`ioc start`), as in production.
// `npx tsx bench/cluster.ts [--events 200000] [--quick]`
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { jetstream, jetstreamManager, type JetStreamClient } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { freePort, privateNats } from '../test/support/brokers.ts';
import { EngineProcess } from '../test/support/engine-process.ts';
import { camera, sensor, service } from '../test/support/events.ts';
import { startNatsCluster } from '../test/support/nats-cluster.ts';
import { barePull } from './lib/bare-pull.ts';
import { report, type BenchResult } from './report.ts';

const { values: args } = parseArgs({
  options: { events: { type: 'string', default: '200000' }, quick: { type: 'boolean', default: false } },
});
const N = args.quick ? 30_000 : Number(args.events);
const results: BenchResult[] = [];
const dir = await mkdtemp(path.join(os.tmpdir(), 'ioc-bench-cluster-'));
const round = (n: number) => Math.round(n * 100) / 100;

function messages(total: number, perMessage: number): { subject: string; body: string }[] {
  const base = Date.now() - 3 * 3_600_000;
  const event = (j: number) => {
    const ts = new Date(base + j * 40).toISOString();
    const f = perMessage === 1 ? j % 3 : 0;
    return f === 0
      ? camera(j, { id: `cb-${j}`, ts })
      : f === 1
        ? sensor(j, 'air', { id: `cb-${j}`, ts })
        : service(j, { id: `cb-${j}`, ts });
  };
  const out: { subject: string; body: string }[] = [];
  for (let i = 0; i < total; i += perMessage) {
    const family = ['camera', 'sensor', 'service'][perMessage === 1 ? i % 3 : 0];
    const body =
      perMessage === 1 ? event(i) : Array.from({ length: Math.min(perMessage, total - i) }, (_, k) => event(i + k));
    out.push({ subject: `city.${family}.d${i % 100}`, body: JSON.stringify(body) });
  }
  return out;
}

async function publishAll(js: JetStreamClient, list: { subject: string; body: string }[]): Promise<void> {
  for (let i = 0; i < list.length; i += 1000)
    await Promise.all(list.slice(i, i + 1000).map((m) => js.publish(m.subject, m.body)));
}

async function storedOn(port: number): Promise<number> {
  try {
    const r = await fetch(`http://127.0.0.1:${port}/api/health`, { signal: AbortSignal.timeout(5000) });
    const rows = ((await r.json()) as { rows: Record<string, number> }).rows;
    return Object.values(rows).reduce((s, n) => s + n, 0);
  } catch {
    return 0;
  }
}

/** Engine processes on `natsUrl`; resolves with the seconds from `t0` until each stored `total` events. */
async function engines(
  natsUrl: string,
  names: string[],
  env: Record<string, string>,
): Promise<{ ports: number[]; procs: EngineProcess[] }> {
  const ports: number[] = [];
  const procs: EngineProcess[] = [];
  for (const name of names) {
    const port = await freePort();
    const proc = new EngineProcess({
      ...env,
      ...(name === 'single' ? { NATS_CONSUMER: 'single' } : { REPLICA: name }),
      NATS_URL: natsUrl,
      PORT: String(port),
      MQTT_PORT: String(await freePort()),
      DATA_DIR: path.join(dir, `${name}-${Date.now()}`),
      SIMULATE: '0',
      LOG_LEVEL: 'warn',
    });
    await proc.start(60_000);
    ports.push(port);
    procs.push(proc);
  }
  return { ports, procs };
}

async function untilStored(ports: number[], total: number): Promise<void> {
  for (;;) {
    const counts = await Promise.all(ports.map(storedOn));
    if (counts.every((c) => c >= total)) return;
    await new Promise((r) => setTimeout(r, 50));
  }
}

try {
  // Catch-up: the stream is there before the replica is.
  const single = await privateNats();
  if (!single) throw new Error('bench/cluster needs /usr/sbin/nats-server (apt-get install -y nats-server)');
  try {
    const nc = await connect({ servers: single.url });
    const jsm = await jetstreamManager(nc);
    await jsm.streams.add({ name: 'CITY', subjects: ['city.>'] });
    await publishAll(jetstream(nc), messages(N, 1));
    const bareS = await barePull(nc, 'CITY', N);
    results.push({ name: 'catchup.bare', unit: 'events/s', value: Math.round(N / bareS), details: { events: N } });
    const { ports, procs } = await engines(single.url, ['catchup'], {});
    const t = performance.now();
    await untilStored(ports, N);
    const s = (performance.now() - t) / 1000;
    results.push({
      name: 'catchup.events_per_s',
      unit: 'events/s',
      value: Math.round(N / s),
      baseline: 'catchup.bare',
      details: { events: N, seconds: round(s) },
    });
    for (const p of procs) await p.stop();
    await nc.close();
  } finally {
    await single.stop();
  }

  // Live ingestion: one engine on one server, then two replicas on a 3-node cluster, each fed the same events.
  // A quick run (CI) measures the batched path only: one event per message at this size says little.
  const paths = [
    ['single', 1],
    ['batched', 100],
  ] as const;
  for (const [label, perMessage] of args.quick ? paths.slice(1) : paths) {
    const list = messages(N, perMessage);
    const rates: Record<string, number> = {};
    for (const setup of ['one', 'cluster'] as const) {
      const server = setup === 'one' ? await privateNats() : undefined;
      const cluster = setup === 'cluster' ? await startNatsCluster({ nodes: 3, mqtt: false }) : undefined;
      if (cluster) await cluster.ready();
      const url = server?.url ?? cluster!.urls;
      const nc = await connect({ servers: url.split(',') });
      const jsm = await jetstreamManager(nc);
      await jsm.streams.add({ name: 'CITY', subjects: ['city.>'], num_replicas: cluster ? 3 : 1 });
      const { ports, procs } = await engines(url, setup === 'one' ? ['single'] : ['a', 'b'], {
        NATS_REPLICAS: cluster ? '3' : '1',
      });
      const t = performance.now();
      await publishAll(jetstream(nc), list);
      await untilStored(ports, N);
      rates[setup] = N / ((performance.now() - t) / 1000);
      for (const p of procs) await p.stop();
      await nc.close();
      await (server ?? cluster)!.stop();
    }
    results.push({ name: `cluster.ingest.${label}.one_server`, unit: 'events/s', value: Math.round(rates.one!) });
    results.push({
      name: `cluster.ingest.${label}`,
      unit: 'events/s',
      value: Math.round(rates.cluster!),
      baseline: `cluster.ingest.${label}.one_server`,
      details: { events: N, perMessage, replicas: 2, nodes: 3 },
    });
  }
  await report('cluster', results);
  if (args.quick)
    process.stderr.write(
      `quick run: ${N.toLocaleString('en-US')} events; start-up and JetStream leader elections weigh on such short runs, so the cluster ratios are indicative only\n`,
    );
} finally {
  await rm(dir, { recursive: true, force: true });
}
