// Benchmark: the indicator refresh tick at a steady input rate while the stored history grows (1 M → 5 M → 20 M events).
// A tick recomputes only the windows new rows touched, so its cost should follow the input, not the history.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeMessage } from '../engine/decode.ts';
import { loadAreas } from '../engine/geo/index.ts';
import { Batcher } from '../engine/ingest/index.ts';
import { createLogger } from '../engine/log.ts';
import { openStore } from '../engine/store/index.ts';
import { loadMacros, loadViews, Rollups } from '../engine/views/index.ts';
import { familyOfTopic } from '../sources/source.ts';
import { createSimulator } from '../sources/simulate/index.ts';
import { report, type BenchResult } from './report.ts';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000000,5000000,20000000' },
    ticks: { type: 'string', default: '30' },
    rate: { type: 'string', default: '2000' },
    quick: { type: 'boolean', default: false },
  },
});
const sizes = (args.quick ? '200000,1000000,2000000' : args.sizes!).split(',').map(Number);
const ticks = Number(args.quick ? 15 : args.ticks);
const perTick = Number(args.rate);
// History: one event every 30 ms, so 20 M events reach a week back.
const STEP_MS = 30;
const NOW0 = Date.now();

const log = createLogger('warn');
const dir = mkdtempSync(join(tmpdir(), 'ioc-bench-tick-'));
const store = await openStore({ dataDir: dir });
const areas = await loadAreas();
const codes = areas.areas.map((a) => `'${a.code}'`).join(',');
const rollups = new Rollups(await store.db.connect(), loadViews(), log, undefined, loadMacros());
await rollups.init();
// As the engine runs them: the clock's work (snapshot views, views that recompute from raw events) once a second.
rollups.clockWorkEveryMs = 1000;
const batcher = new Batcher(
  store.writer,
  { batchRows: 1_000_000, batchAgeMs: 60_000 },
  (c) => {
    rollups.onCommit(c);
  },
  log,
);
const sim = createSimulator({
  rate: perTick,
  seed: 7,
  areas: areas.areas.map((a) => ({
    code: a.code,
    name: a.name,
    centroid: a.centroid,
    urban: a.kind === 'quan',
    randomPoint: (r: () => number) => areas.randomPoint(a.code, r),
  })),
});
const decodeOpts = {
  maxPayloadBytes: 1 << 20,
  maxFutureMs: 86_400_000,
  locate: (lon: number, lat: number) => areas.locate(lon, lat),
};

/** Older history, written straight into the tables (three cameras for every sensor), in time order per insert. */
async function growTo(total: number, have: number): Promise<void> {
  const ts = `epoch_ms(${NOW0} - (${total} - i) * ${STEP_MS}) AT TIME ZONE 'UTC'`;
  const area = `[${codes}][1 + (i % ${areas.areas.length})]`;
  await store.writer
    .run(`INSERT INTO camera_events (id, ts, camera_id, lat, lon, car, motorbike, bus, truck, bicycle, pedestrian, interval_s, avg_speed_kmh, occupancy, queue_m, area, received_at)
    SELECT 'h' || i, ${ts}, 'cam-' || (i % 300), 21.02, 105.84, i % 9, i % 60, i % 2, i % 3, i % 4, i % 7, 60, 10 + i % 40, (i % 100) / 100.0, 0, ${area}, ${ts}
    FROM range(${have}, ${total}) r(i) WHERE i % 4 <> 0`);
  await store.writer.run(`INSERT INTO sensor_events (id, ts, sensor_id, kind, lat, lon, pm25, area, received_at)
    SELECT 'h' || i, ${ts}, 'sen-' || (i % 200), 'air', 21.02, 105.84, 20 + i % 80, ${area}, ${ts}
    FROM range(${have}, ${total}) r(i) WHERE i % 4 = 0`);
  await store.writer.run('CHECKPOINT');
}

const results: BenchResult[] = [];
let have = 0;
let clock = NOW0;
for (const size of sizes) {
  const began = performance.now();
  process.stderr.write(`history → ${size.toLocaleString('en-US')} events… `);
  await growTo(size, have);
  have = size;
  process.stderr.write(`${((performance.now() - began) / 1000).toFixed(1)} s; ${ticks} ticks of ${perTick} events\n`);
  const times: number[] = [];
  const flushes: number[] = [];
  for (let k = 0; k < ticks + 2; k++) {
    clock += 1000;
    for (const m of sim.generate(perTick, clock)) {
      batcher.push(
        { source: 'bench', topic: m.topic, payload: m.payload, receivedAt: clock, ack: () => undefined },
        decodeMessage(familyOfTopic(m.topic), m.payload, clock, decodeOpts),
      );
    }
    const f0 = performance.now();
    await batcher.flush();
    const t0 = performance.now();
    await rollups.tick();
    // The first ticks after a history load warm caches; they are not counted.
    if (k >= 2) {
      times.push(performance.now() - t0);
      flushes.push(t0 - f0);
    }
  }
  if (process.env.TICK_DETAIL) {
    process.stderr.write(`recomputed: ${JSON.stringify([...rollups.incremental.recomputed])}\n`);
    process.stderr.write(`stage ${rollups.stageMs.toFixed(1)} ms\n`);
  }
  if (process.env.TICK_DETAIL)
    process.stderr.write(`${[...rollups.viewMs].map(([n, ms]) => `${n} ${ms.toFixed(1)}`).join(', ')}\n`);
  times.sort((a, b) => a - b);
  flushes.sort((a, b) => a - b);
  const label = size >= 1e6 ? `${size / 1e6}M` : `${size / 1e3}k`;
  const q = (xs: number[], p: number) => xs[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
  results.push({
    name: `tick.${label}`,
    unit: 'ms',
    value: q(times, 0.5),
    baseline: `tick.${sizes[0]! >= 1e6 ? `${sizes[0]! / 1e6}M` : `${sizes[0]! / 1e3}k`}`,
    details: {
      events: size,
      p95: Math.round(q(times, 0.95) * 10) / 10,
      flushMs: Math.round(q(flushes, 0.5) * 10) / 10,
      perTick,
    },
  });
}
await batcher.close();
await store.close();
rmSync(dir, { recursive: true, force: true });
await report('tick', results);
