// Benchmark: events/s stored and committed by the engine from MQTT (QoS 0, 1), NATS core and JetStream, one event and
// 100 events per message, each beside the transport's ceiling (a bare client receiving the same messages) in the same run.
import { parseArgs } from 'node:util';
import { connect } from '@nats-io/transport-node';
import { DiscardPolicy, jetstreamManager, RetentionPolicy, StorageType } from '@nats-io/jetstream';
import { report, type BenchResult } from './report.ts';
import { privateBroker, type BrokerHandle } from './lib/brokers.ts';
import { bulkAppendRate } from './lib/bulk.ts';
import { Child } from './lib/child.ts';
import type { BareArgs, BareOut } from './lib/bare-client.ts';
import { BenchEngine, type EngineStats } from './lib/engine.ts';
import type { PublisherArgs, PublisherOut } from './lib/publisher.ts';
import { round, settle, sleep } from './lib/stats.ts';

const { values: args } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, only: { type: 'string' } },
});
const quick = args.quick!;
// Messages per case: enough for several seconds of steady state at the engine's rate.
const SINGLE = quick ? 20_000 : 300_000;
const BATCHED = quick ? 1_500 : 10_000;

interface Case {
  transport: 'mqtt' | 'nats' | 'jetstream';
  qos?: 0 | 1;
  label: string;
}
const CASES: Case[] = [
  { transport: 'mqtt', qos: 0, label: 'mqtt.qos0' },
  { transport: 'mqtt', qos: 1, label: 'mqtt.qos1' },
  { transport: 'nats', label: 'nats.core' },
  { transport: 'jetstream', label: 'nats.jetstream' },
];

interface Run {
  events: number;
  rate: number;
  seconds: number;
  sent: number;
}

const log = (s: string): void => {
  process.stderr.write(s);
};
let runs = 0;
const runId = (): string => `b${process.pid}r${++runs}`;

async function publish(
  c: Case,
  url: string,
  messages: number,
  perMessage: number,
  rate = 0,
): Promise<Child<PublisherOut>> {
  const pub = new Child<PublisherOut>('./publisher.ts', {
    transport: c.transport,
    url,
    qos: c.qos,
    messages,
    perMessage,
    rate,
    run: runId(),
  } satisfies PublisherArgs);
  await pub.next('ready', 60_000);
  pub.send({ type: 'go' });
  return pub;
}

const STREAM = 'BENCH';

/** A fresh stream holding `messages` messages published beforehand: consumers are timed draining it. */
async function preload(c: Case, url: string, messages: number, perMessage: number): Promise<number> {
  const nc = await connect({ servers: url });
  const jsm = await jetstreamManager(nc);
  await jsm.streams.delete(STREAM).catch(() => undefined);
  await jsm.streams.add({
    name: STREAM,
    subjects: ['city.>'],
    storage: StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    num_replicas: 1,
  });
  await nc.close();
  const pub = await publish(c, url, messages, perMessage);
  const done = await pub.next('done');
  await pub.end();
  return done.sent;
}

async function bare(c: Case, broker: BrokerHandle, messages: number, perMessage: number): Promise<Run> {
  const sent = c.transport === 'jetstream' ? await preload(c, broker.url, messages, perMessage) : messages;
  const client = new Child<BareOut>('./bare-client.ts', {
    transport: c.transport,
    url: broker.url,
    qos: c.qos,
    stream: STREAM,
    consumer: `bare${runs}`,
  } satisfies BareArgs);
  await client.next('ready', 60_000);
  let published = sent;
  if (c.transport !== 'jetstream') {
    const pub = await publish(c, broker.url, messages, perMessage);
    published = (await pub.next('done')).sent;
    await pub.end();
  }
  let last = { messages: 0, firstAt: 0, lastAt: 0 };
  await settle(
    async () => {
      client.send({ type: 'count' });
      last = await client.next('count');
      return last.messages;
    },
    published,
    1500,
  );
  await client.end();
  const seconds = (last.lastAt - last.firstAt) / 1000;
  return {
    events: last.messages * perMessage,
    rate: (last.messages * perMessage) / seconds,
    seconds,
    sent: published * perMessage,
  };
}

/**
 * Waits until the engine has stored `target` events, or has stopped receiving and holds nothing uncommitted (a QoS 0
 * or NATS core message lost on the way never comes). A commit of a large backlog can take seconds: that is not idle.
 */
async function drained(e: BenchEngine, target: number, perMessage: number): Promise<EngineStats> {
  let s = await e.stats();
  let progress = -1;
  let changedAt = Date.now();
  for (;;) {
    if (s.stored >= target) return s;
    const busy = s.pendingRows > 0 || s.messages * perMessage > s.stored + s.deadLetters;
    if (s.stored + s.messages !== progress) {
      progress = s.stored + s.messages;
      changedAt = Date.now();
    }
    const idle = Date.now() - changedAt;
    if (idle > (s.messages === 0 ? 60_000 : busy ? 30_000 : 2000)) return s;
    await sleep(100);
    s = await e.stats();
  }
}

let peakRssKb = 0;
let dbBytesPerMillion = 0;

async function engine(
  c: Case,
  broker: BrokerHandle,
  mqtt: BrokerHandle,
  messages: number,
  perMessage: number,
): Promise<Run> {
  const sent = c.transport === 'jetstream' ? await preload(c, broker.url, messages, perMessage) : messages;
  const env: Record<string, string> = { MQTT_URL: mqtt.url };
  if (c.transport !== 'mqtt')
    Object.assign(env, {
      NATS_URL: broker.url,
      NATS_MODE: c.transport === 'nats' ? 'core' : 'jetstream',
      NATS_STREAM: STREAM,
      NATS_CONSUMER: `engine${runs}`,
    });
  const e = await BenchEngine.start(env);
  let published = sent;
  if (c.transport !== 'jetstream') {
    const pub = await publish(c, broker.url, messages, perMessage);
    published = (await pub.next('done')).sent;
    await pub.end();
  }
  const s = await drained(e, published * perMessage, perMessage);
  peakRssKb = Math.max(peakRssKb, s.maxRssKb);
  const size = await e.stop(s.dbPath);
  if (s.stored >= 100_000 && size > 0) dbBytesPerMillion = Math.max(dbBytesPerMillion, (size / s.stored) * 1e6);
  const seconds = (s.lastCommitAt - s.firstAt) / 1000;
  return { events: s.stored, rate: s.stored / seconds, seconds, sent: published * perMessage };
}

const results: BenchResult[] = [];
const mosquitto = await privateBroker('mosquitto');
const nats = await privateBroker('nats-server');
try {
  let bulk: { rate: number; seconds: number } | null = null;
  for (const perMessage of [1, 100]) {
    const shape = perMessage === 1 ? 'single' : 'batched';
    for (const c of CASES) {
      const name = `ingest.${c.label}.${shape}`;
      if (args.only && !name.includes(args.only)) continue;
      // The quick run keeps one batched case: the one the summary holds to its target.
      if (quick && perMessage > 1 && c.label !== 'mqtt.qos0') continue;
      const broker = c.transport === 'mqtt' ? mosquitto : nats;
      if (!broker || !mosquitto) {
        log(`${name}: skipped (no ${c.transport === 'mqtt' ? 'mosquitto' : 'nats-server'})\n`);
        continue;
      }
      const messages = perMessage === 1 ? SINGLE : BATCHED;
      log(`${name}: ${messages.toLocaleString('en-US')} messages × ${perMessage}; bare client… `);
      const b = await bare(c, broker, messages, perMessage);
      log(`${Math.round(b.rate).toLocaleString('en-US')} events/s; engine… `);
      const en = await engine(c, broker, mosquitto, messages, perMessage);
      log(`${Math.round(en.rate).toLocaleString('en-US')} events/s (${(en.rate / b.rate).toFixed(2)}×)\n`);
      results.push({
        name: `${name}.bare`,
        unit: 'events/s',
        value: b.rate,
        details: { events: b.events, sent: b.sent, seconds: round(b.seconds, 2) },
      });
      if (perMessage === 1) {
        results.push({
          name,
          unit: 'events/s',
          value: en.rate,
          baseline: `${name}.bare`,
          details: { events: en.events, sent: en.sent, seconds: round(en.seconds, 2) },
        });
      } else {
        // Batched messages are held to the bulk append alone; the bare client's rate stays beside it for reference.
        if (!bulk) {
          log('bulk DuckDB append alone (data chunks) of the same rows… ');
          bulk = await bulkAppendRate(BATCHED * 100);
          log(`${Math.round(bulk.rate).toLocaleString('en-US')} rows/s\n`);
          results.push({
            name: 'ingest.bulk_append',
            unit: 'events/s',
            value: bulk.rate,
            details: { events: BATCHED * 100, seconds: round(bulk.seconds, 2) },
          });
        }
        results.push({
          name,
          unit: 'events/s',
          value: en.rate,
          baseline: 'ingest.bulk_append',
          details: {
            events: en.events,
            sent: en.sent,
            seconds: round(en.seconds, 2),
            vsBare: round(en.rate / b.rate, 2),
          },
        });
      }
    }
  }
} finally {
  await mosquitto?.stop();
  await nats?.stop();
}
if (peakRssKb > 0) results.push({ name: 'rss.peak', unit: 'MB', value: peakRssKb / 1024 });
if (dbBytesPerMillion > 0)
  results.push({ name: 'footprint.duckdb_per_million', unit: 'MB', value: dbBytesPerMillion / 2 ** 20 });
await report('ingest', results);
