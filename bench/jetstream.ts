// Benchmark: events per second sustained from JetStream into DuckDB by the engine (pull, decode, validate, batch,
// commit, acknowledge), against a bare consumer that only pulls and acknowledges, on a private nats-server.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { startEngine } from '../engine/main.ts';
import { freePort, privateNats } from '../test/support/brokers.ts';
import { camera, sensor, service } from '../test/support/events.ts';
import { barePull } from './lib/bare-pull.ts';
import { report, type BenchResult } from './report.ts';

const { values } = parseArgs({
  options: {
    events: { type: 'string', default: '200000' },
    'per-message': { type: 'string', default: '1' },
    'batch-rows': { type: 'string', default: '10000' },
    'in-flight': { type: 'string', default: '20000' },
  },
});
const N = Number(values.events);
const PER_MESSAGE = Number(values['per-message']);
const BATCH_ROWS = Number(values['batch-rows']);
const IN_FLIGHT = Number(values['in-flight']);

const broker = await privateNats();
if (!broker) throw new Error('bench/jetstream needs /usr/sbin/nats-server (apt-get install -y nats-server)');
const dir = await mkdtemp(path.join(os.tmpdir(), 'ioc-bench-js-'));
const nc = await connect({ servers: broker.url });
const results: BenchResult[] = [];

try {
  const jsm = await jetstreamManager(nc);
  await jsm.streams.add({ name: 'CITY', subjects: ['city.>'] });
  const published = await publish(nc, N, PER_MESSAGE);
  process.stderr.write(
    `published ${N.toLocaleString('en-US')} events in ${published.messages.toLocaleString('en-US')} messages at ${Math.round(N / published.seconds).toLocaleString('en-US')} events/s\n`,
  );

  // A bare consumer: pull and acknowledge (AckAll, once per batch), no decoding, no store.
  const bareS = await barePull(nc, 'CITY', published.messages);
  results.push({
    name: 'bare consumer: pull + ack',
    unit: 'events/s',
    value: Math.round(N / bareS),
    details: { events: N, seconds: round(bareS) },
  });

  // The engine: from start-up to the last event committed.
  const t = performance.now();
  const engine = await startEngine(
    {
      dataDir: dir,
      port: 0,
      pgPort: 0,
      mqttPort: await freePort(),
      simulate: false,
      logLevel: 'warn',
      natsUrl: broker.url,
      natsConsumer: 'engine',
      batchRows: BATCH_ROWS,
      natsMaxInFlight: IN_FLIGHT,
    },
    {},
  );
  const startS = (performance.now() - t) / 1000;
  const stored = (): number => Object.values(engine.batcher.stats.stored).reduce((a, b) => a + b, 0);
  let peakRss = 0;
  while (stored() < N) {
    peakRss = Math.max(peakRss, process.memoryUsage().rss);
    await new Promise((r) => setTimeout(r, 20));
  }
  const engineS = (performance.now() - t) / 1000 - startS;
  const flush = (await engine.metrics.registry.getSingleMetric('ioc_batch_flush_seconds')!.get()).values;
  const flushSum =
    flush.find((v) => (v as { metricName?: string }).metricName === 'ioc_batch_flush_seconds_sum')?.value ?? 0;
  const batches = engine.batcher.stats.batches;
  await engine.stop();
  results.push({
    name: 'engine: JetStream → DuckDB',
    unit: 'events/s',
    value: Math.round(N / engineS),
    baseline: 'bare consumer: pull + ack',
    details: {
      events: N,
      perMessage: PER_MESSAGE,
      batchRows: BATCH_ROWS,
      inFlight: IN_FLIGHT,
      seconds: round(engineS),
      batches,
      flushMsMean: Math.round((flushSum * 1000) / Math.max(1, batches)),
      startupS: round(startS),
      peakRssMB: Math.round(peakRss / 1e6),
    },
  });
  await report('jetstream', results);
} finally {
  await nc.close();
  await broker.stop();
  await rm(dir, { recursive: true, force: true });
}

/** One event per message rotates the three families; arrays (--per-message N) hold camera events. */
async function publish(
  conn: NatsConnection,
  total: number,
  perMessage: number,
): Promise<{ messages: number; seconds: number }> {
  const js = jetstream(conn);
  const base = Date.now() - 6 * 3_600_000;
  const event = (j: number): Record<string, unknown> => {
    const ts = new Date(base + j * 50).toISOString();
    const f = perMessage === 1 ? j % 3 : 0;
    return f === 0
      ? camera(j, { id: `b-${j}`, ts })
      : f === 1
        ? sensor(j, 'air', { id: `b-${j}`, ts })
        : service(j, { id: `b-${j}`, ts });
  };
  const t = performance.now();
  let pending: Promise<unknown>[] = [];
  let messages = 0;
  for (let i = 0; i < total; i += perMessage) {
    const family = ['camera', 'sensor', 'service'][perMessage === 1 ? i % 3 : 0];
    const body =
      perMessage === 1 ? event(i) : Array.from({ length: Math.min(perMessage, total - i) }, (_, k) => event(i + k));
    pending.push(js.publish(`city.${family}.d${i % 100}`, JSON.stringify(body)));
    messages++;
    if (pending.length >= 1000) {
      await Promise.all(pending);
      pending = [];
    }
  }
  await Promise.all(pending);
  return { messages, seconds: (performance.now() - t) / 1000 };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}
