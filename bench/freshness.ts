// Benchmark: publish → socket.io `indicator` update that includes the event, at 10, 50 and 90 % of the engine's
// sustainable MQTT QoS 1 rate (taken from this run's ingest results, or --rate).
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import mqtt from 'mqtt';
import { io } from 'socket.io-client';
import { report, type BenchResult, type BenchReport } from './report.ts';
import { privateBroker } from './lib/brokers.ts';
import { Child } from './lib/child.ts';
import { BenchEngine } from './lib/engine.ts';
import { cameraEvent, cameras, nowStamp } from './lib/events.ts';
import type { PublisherArgs, PublisherOut } from './lib/publisher.ts';
import { quantile, sleep } from './lib/stats.ts';

const { values: args } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, rate: { type: 'string' } },
});
const SECONDS = args.quick ? 4 : 20;
const PROBE_MS = 50;
const INDICATOR = 'traffic_flow';
/** The first probe's minute: two days back, well inside the raw data's retention and apart from the load's. */
const PROBE_BASE = Math.floor((Date.now() - 2 * 86_400_000) / 60_000) * 60_000;

/** The engine's sustainable rate: its committed QoS 1 rate in this run's ingest benchmark, when that ran in the last hours. */
async function sustainableRate(): Promise<{ rate: number; from: string }> {
  if (args.rate) return { rate: Number(args.rate), from: '--rate' };
  try {
    const doc = JSON.parse(await readFile(new URL('./results/ingest.json', import.meta.url), 'utf8')) as BenchReport;
    const r = doc.results.find((x) => x.name === 'ingest.mqtt.qos1.single');
    if (r && Date.now() - Date.parse(doc.date) < 6 * 3_600_000)
      return { rate: r.value, from: 'ingest.mqtt.qos1.single' };
  } catch {
    /* no ingest results: fall back */
  }
  return { rate: 10_000, from: 'default' };
}

const mosquitto = await privateBroker('mosquitto');
const results: BenchResult[] = [];
if (mosquitto) {
  const { rate, from } = await sustainableRate();
  process.stderr.write(`sustainable rate ${Math.round(rate).toLocaleString('en-US')} events/s (${from})\n`);
  const prober = await mqtt.connectAsync(mosquitto.url, { clientId: `bench-probe-${process.pid}`, clean: true });
  const cams = await cameras();
  let probes = 0;
  // The shipped settings at three loads; then the same 50 % load with a shorter tick gap and batch age, the levers on latency.
  const setups: { suffix: string; env: Record<string, string>; fractions: number[] }[] = [
    { suffix: '', env: {}, fractions: [0.1, 0.5, 0.9] },
    ...(args.quick ? [] : [{ suffix: '.fast', env: { TICK_MIN_MS: '100', BATCH_AGE_MS: '50' }, fractions: [0.5] }]),
  ];
  try {
    for (const setup of setups) {
      const engine = await BenchEngine.start({ MQTT_URL: mosquitto.url, ...setup.env });
      const socket = io(engine.url, { transports: ['websocket'] });
      try {
        await new Promise<void>((resolve, reject) => {
          socket.once('connect', resolve);
          socket.once('connect_error', reject);
        });
        await socket.emitWithAck('subscribe', { indicators: [INDICATOR] });
        // Probe k is one event in a minute of its own two days back (the load is stamped now), so the city-wide row of
        // that minute in an update is the probe's. (An area code of its own would not do: unknown areas are placed by
        // the event's position.)
        const sentAt = new Map<number, number>();
        const latency = new Map<number, number>();
        socket.on('indicator', (change: { rows: { t: string; area: string }[] }) => {
          const now = Date.now();
          for (const row of change.rows) {
            if (row.area !== 'hanoi') continue;
            const minute = Date.parse(row.t);
            const sent = sentAt.get(minute);
            if (sent !== undefined && !latency.has(minute)) latency.set(minute, now - sent);
          }
        });
        for (const fraction of setup.fractions) {
          const perSecond = Math.max(1, Math.round(rate * fraction));
          const load = new Child<PublisherOut>('./publisher.ts', {
            transport: 'mqtt',
            url: mosquitto.url,
            qos: 1,
            messages: perSecond * (SECONDS + 5),
            perMessage: 1,
            rate: perSecond,
            run: `f${process.pid}-${probes}`,
          } satisfies PublisherArgs);
          await load.next('ready', 60_000);
          load.send({ type: 'go' });
          await sleep(2000); // the load settles before probes count
          const mine: number[] = [];
          const until = Date.now() + SECONDS * 1000;
          while (Date.now() < until) {
            const minute = PROBE_BASE + probes * 60_000;
            const now = Date.now();
            const camera = cams[probes % cams.length]!;
            sentAt.set(minute, now);
            mine.push(minute);
            prober.publish(
              `city/camera/${camera.id}`,
              cameraEvent(`probe${process.pid}`, probes, nowStamp(minute + 30_000), camera),
              { qos: 1 },
            );
            probes++;
            await sleep(PROBE_MS);
          }
          await load.end();
          await sleep(2500); // the last probes' updates
          const seen = mine.map((a) => latency.get(a)).filter((x): x is number => x !== undefined);
          // A run that saw no probe measured nothing: it fails rather than writing NaN for a figure.
          const label = `${Math.round(fraction * 100)}%`;
          if (seen.length === 0) throw new Error(`no probe of ${mine.length} reached the live feed at ${label}`);
          process.stderr.write(
            `${label} of sustainable (${perSecond.toLocaleString('en-US')} events/s)${setup.suffix}: ${seen.length}/${mine.length} probes, ` +
              `p50 ${quantile(seen, 0.5)} ms, p99 ${quantile(seen, 0.99)} ms\n`,
          );
          for (const q of [50, 95, 99]) {
            results.push({
              name: `freshness.p${q}${fraction === 0.5 ? '' : `@${label}`}${setup.suffix}`,
              unit: 'ms',
              value: quantile(seen, q / 100),
              details: { rate: perSecond, probes: mine.length, seen: seen.length },
            });
          }
          await sleep(1000);
        }
      } finally {
        socket.close();
        await engine.stop((await engine.stats()).dbPath);
      }
    }
  } finally {
    await prober.endAsync();
    await mosquitto.stop();
  }
  results.push({ name: 'freshness.sustainable_rate', unit: 'events/s', value: rate, details: { from } });
}
await report('freshness', results);
