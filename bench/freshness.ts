// Benchmark: publish → socket.io `indicator` update that includes the event, at 10, 50 and 90 % of the engine's
// sustainable MQTT QoS 1 rate (taken from this run's ingest results, or --rate).
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { report, type BenchResult, type BenchReport } from './report.ts';
import { privateBroker } from './lib/brokers.ts';
import { Child } from './lib/child.ts';
import { BenchEngine } from './lib/engine.ts';
import { startProbes } from './lib/probes.ts';
import type { PublisherArgs, PublisherOut } from './lib/publisher.ts';
import { quantile, sleep } from './lib/stats.ts';

const { values: args } = parseArgs({
  options: { quick: { type: 'boolean', default: false }, rate: { type: 'string' } },
});
const SECONDS = args.quick ? 4 : 20;
const PROBE_MS = 50;

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
  let probes = 0;
  // The shipped settings at three loads; then the same 50 % load with a shorter tick gap and batch age, the levers on latency.
  const setups: { suffix: string; env: Record<string, string>; fractions: number[] }[] = [
    { suffix: '', env: {}, fractions: [0.1, 0.5, 0.9] },
    ...(args.quick ? [] : [{ suffix: '.fast', env: { TICK_MIN_MS: '100', BATCH_AGE_MS: '50' }, fractions: [0.5] }]),
  ];
  try {
    for (const setup of setups) {
      const engine = await BenchEngine.start({ MQTT_URL: mosquitto.url, ...setup.env });
      try {
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
          const probe = await startProbes({
            engineUrl: engine.url,
            mqttUrl: mosquitto.url,
            everyMs: PROBE_MS,
            first: probes,
          });
          await sleep(SECONDS * 1000);
          await load.end();
          const { sent, latencies: seen, next } = await probe.stop(); // waits for the last probes' updates
          probes = next;
          // A run that saw no probe measured nothing: it fails rather than writing NaN for a figure.
          const label = `${Math.round(fraction * 100)}%`;
          if (seen.length === 0) throw new Error(`no probe of ${sent} reached the live feed at ${label}`);
          process.stderr.write(
            `${label} of sustainable (${perSecond.toLocaleString('en-US')} events/s)${setup.suffix}: ${seen.length}/${sent} probes, ` +
              `p50 ${quantile(seen, 0.5)} ms, p99 ${quantile(seen, 0.99)} ms\n`,
          );
          for (const q of [50, 95, 99]) {
            results.push({
              name: `freshness.p${q}${fraction === 0.5 ? '' : `@${label}`}${setup.suffix}`,
              unit: 'ms',
              value: quantile(seen, q / 100),
              details: { rate: perSecond, probes: sent, seen: seen.length },
            });
          }
          await sleep(1000);
        }
      } finally {
        await engine.stop((await engine.stats()).dbPath);
      }
    }
  } finally {
    await mosquitto.stop();
  }
  results.push({ name: 'freshness.sustainable_rate', unit: 'events/s', value: rate, details: { from } });
}
await report('freshness', results);
