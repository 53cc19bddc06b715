// Benchmark: what the engine burns while the city is quiet. The engine runs as `ioc start` (its own process, on a
// private Mosquitto); the Hanoi simulator publishes its default 200 events/s from this process. Over the measured span
// the engine process's CPU time (user + system, from /proc) and its resident memory are read: `rest.cpu_pct` is the
// share of one core, `rest.rss_mb` the RSS at the end. The simulator and the broker are counted apart (not at all).
// Cheap must not mean stale: a probe a second then measures publish → wall (`rest.freshness_p99`) over a span of its own.
// The city has a past, as `npm start` gives it: a first run of the engine writes the simulated history of the last
// `--history-h` hours (the default start's backfill), and the measured run starts on that database. A tick's
// statements join the stored rollups, so an empty database measured far less than the engine burns.
// `npx tsx bench/rest.ts [--seconds 60] [--history-h 24] [--quick]`
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_AREAS_FILE, loadAreas, simulatorAreas } from '../engine/geo/index.ts';
import { startMqttSimulator } from '../sources/simulate/index.ts';
import { freePort } from '../test/support/brokers.ts';
import { EngineProcess } from '../test/support/engine-process.ts';
import { privateBroker } from './lib/brokers.ts';
import { startProbes } from './lib/probes.ts';
import { quantile } from './lib/stats.ts';
import { report, type BenchResult } from './report.ts';

const { values: args } = parseArgs({
  options: {
    seconds: { type: 'string', default: '60' },
    'history-h': { type: 'string', default: '24' },
    quick: { type: 'boolean', default: false },
  },
});
const SECONDS = args.quick ? 20 : Number(args.seconds);
/** The freshness span's length, after the cost's. */
const PROBE_SECONDS = args.quick ? 20 : 30;
const RATE = 200;
const HISTORY_H = Number(args['history-h']);
/** Clock ticks per second of /proc's CPU times (USER_HZ, 100 on Linux). */
const HZ = 100;

/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (in parentheses, which may hold spaces): utime and stime are the 12th and 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / HZ;
}

function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((l) => l.startsWith('VmRSS:'));
  return Math.round(Number(line?.split(/\s+/)[1] ?? 0) / 1024);
}

const broker = await privateBroker('mosquitto');
if (!broker) throw new Error('bench/rest needs mosquitto (apt-get install -y mosquitto)');
const dir = await mkdtemp(path.join(os.tmpdir(), 'ioc-bench-rest-'));
const results: BenchResult[] = [];
const port = await freePort();
const engine = new EngineProcess({
  MQTT_URL: broker.url,
  PORT: String(port),
  DATA_DIR: dir,
  SIMULATE: '0',
  LOG_LEVEL: 'warn',
});
try {
  if (HISTORY_H > 0) {
    // The default start's backfill, on the broker of the measured run; the engine stops once it is up.
    const history = new EngineProcess({
      MQTT_URL: broker.url,
      PORT: String(await freePort()),
      DATA_DIR: dir,
      SIMULATE: '1',
      SIM_BACKFILL_H: String(HISTORY_H),
      LOG_LEVEL: 'warn',
    });
    await history.start(300_000);
    await history.stop();
  }
  await engine.start(60_000);
  const pid = engine.pid!;
  const simulator = await startMqttSimulator({
    url: broker.url,
    rate: RATE,
    seed: 7,
    areas: simulatorAreas(await loadAreas(DEFAULT_AREAS_FILE)),
  });
  // The first seconds fill the windows of every view; the span measured is the steady state after them.
  await new Promise((r) => setTimeout(r, 10_000));
  const [cpu0, t0] = [cpuSeconds(pid), performance.now()];
  await new Promise((r) => setTimeout(r, SECONDS * 1000));
  const [cpu1, t1] = [cpuSeconds(pid), performance.now()];
  const rss = rssMb(pid);
  // Freshness in a span of its own, after the cost's: a probe is an event two days late (each its own minute, see
  // probes.ts), which the city at rest does not send once a second, and each costs the engine a refresh of that day's
  // windows and their rolling hops (18 points of a core at one a second, over a day of history).
  const probes = await startProbes({ engineUrl: `http://127.0.0.1:${port}`, mqttUrl: broker.url, everyMs: 1000 });
  const [cpu2, t2] = [cpuSeconds(pid), performance.now()];
  await new Promise((r) => setTimeout(r, PROBE_SECONDS * 1000));
  const [cpu3, t3] = [cpuSeconds(pid), performance.now()];
  const seen = await probes.stop();
  simulator.stop();
  if (seen.latencies.length === 0) throw new Error(`no probe of ${seen.sent} reached the live feed`);
  for (const q of [50, 99])
    results.push({
      name: `rest.freshness_p${q}`,
      unit: 'ms',
      value: quantile(seen.latencies, q / 100),
      details: { eventsPerS: RATE, probes: seen.sent, seen: seen.latencies.length },
    });
  const pct = ((cpu1 - cpu0) / ((t1 - t0) / 1000)) * 100;
  results.push({
    name: 'rest.cpu_pct',
    unit: '% of a core',
    value: Math.round(pct * 10) / 10,
    details: {
      eventsPerS: RATE,
      seconds: SECONDS,
      historyH: HISTORY_H,
      // The same city with a probe a second, over the freshness span.
      probedCpuPct: Math.round(((cpu3 - cpu2) / ((t3 - t2) / 1000)) * 1000) / 10,
    },
  });
  results.push({
    name: 'rest.rss_mb',
    unit: 'MB',
    value: rss,
    details: { eventsPerS: RATE, seconds: SECONDS, historyH: HISTORY_H },
  });
  await report('rest', results);
  if (args.quick)
    process.stderr.write(`quick run: ${SECONDS} s measured; the CPU share of so short a span is indicative only\n`);
} finally {
  await engine.stop();
  await broker.stop();
  await rm(dir, { recursive: true, force: true });
}
