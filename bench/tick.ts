// Benchmark: the indicator refresh tick at a steady input rate while the stored history grows (1 M → 5 M → 20 M events),
// as the engine runs by default (the 126 wards, and every view again per former district); then at the first size
// with 100 views (the shipped ones plus renamed copies), with the wards alone (no district rows), and with the 30
// former districts as the only areas (the previous release). A tick folds or recomputes only the windows new rows
// touched, so its cost should follow the input, not the history or the views; the areas' rows it writes grow with them.
// `npx tsx bench/tick.ts [--sizes 1000000,5000000] [--ticks 30] [--rate 2000] [--quick]`
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { decodeMessage } from '../engine/decode.ts';
import { loadAreas, simulatorAreas, type AreaIndex } from '../engine/geo/index.ts';
import { Batcher } from '../engine/ingest/index.ts';
import { createLogger } from '../engine/log.ts';
import { openStore } from '../engine/store/index.ts';
import { loadMacros, loadViews, Rollups, type ViewDef } from '../engine/views/index.ts';
import { familyOfTopic } from '../sources/source.ts';
import { createSimulator } from '../sources/simulate/index.ts';
import { report, type BenchResult } from './report.ts';
import { writeHistory } from './lib/history.ts';

const { values: args } = parseArgs({
  options: {
    sizes: { type: 'string', default: '1000000,5000000,20000000' },
    ticks: { type: 'string', default: '30' },
    rate: { type: 'string', default: '2000' },
    quick: { type: 'boolean', default: false },
  },
});
const sizes = (args.quick ? '1000000' : args.sizes!).split(',').map(Number);
const ticks = Number(args.quick ? 12 : args.ticks);
const perTick = Number(args.rate);
// History: one event every 30 ms, so 20 M events reach a week back.
const STEP_MS = 30;
const log = createLogger('warn');
const wards = await loadAreas();
const districts = await loadAreas(fileURLToPath(new URL('../engine/geo/hanoi-districts.geojson', import.meta.url)));
const shipped = loadViews();

/** The areas events are placed in, and whether views also get a row per former district (the engine's default). */
interface Areas {
  index: AreaIndex;
  districtRows: boolean;
}
const DEFAULT: Areas = { index: wards, districtRows: true };

/** The shipped views plus renamed copies (a copy of a merged view merges the copy of its base), `total` in all. */
function manyViews(total: number): ViewDef[] {
  const out = [...shipped];
  for (let k = 1; out.length < total; k++) {
    const copy = shipped.map((v) => ({
      ...v,
      name: `${v.name}_v${k}`,
      ...(v.base ? { base: `${v.base}_v${k}` } : {}),
    }));
    if (out.length + copy.length <= total) out.push(...copy);
    else out.push(...copy.filter((v) => !v.base).slice(0, total - out.length));
  }
  // Bases before the views merged from them, as linkViews orders them.
  return [...out.filter((v) => !v.base), ...out.filter((v) => v.base)];
}

const label = (size: number) => (size >= 1e6 ? `${size / 1e6}M` : `${size / 1e3}k`);
const q = (xs: number[], p: number) =>
  [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;

/** One store grown through `runSizes`, ticking `ticks` times of `perTick` events at each size. */
async function run(
  views: ViewDef[],
  setup: Areas,
  runSizes: number[],
  name: (size: number) => string,
): Promise<BenchResult[]> {
  const dir = mkdtempSync(join(tmpdir(), 'ioc-bench-tick-'));
  const store = await openStore({ dataDir: dir });
  const codesList = setup.index.areas.map((a) => a.code);
  const locate = (lon: number, lat: number) => setup.index.locate(lon, lat);
  const rollups = new Rollups(await store.db.connect(), views, log, undefined, loadMacros());
  if (setup.districtRows) rollups.parents = setup.index.parents;
  await rollups.init();
  // As the engine runs them: the clock's work (snapshot views, views that recompute from raw events) once a second.
  rollups.clockWorkEveryMs = 1000;
  const batcher = new Batcher(
    store.writer,
    { batchRows: 1_000_000, batchAgeMs: 60_000 },
    (c) => rollups.onCommit(c),
    log,
  );
  const sim = createSimulator({
    rate: perTick,
    seed: 7,
    areas: simulatorAreas(setup.index),
  });
  const decodeOpts = { maxPayloadBytes: 1 << 20, maxFutureMs: 86_400_000, locate };
  const NOW0 = Date.now();
  const results: BenchResult[] = [];
  let have = 0;
  let clock = NOW0;
  for (const size of runSizes) {
    const began = performance.now();
    process.stderr.write(`${name(size)}: history → ${size.toLocaleString('en-US')} events… `);
    // Older history, written straight into the tables (three cameras for every sensor), in time order per insert.
    await writeHistory(store.writer, {
      from: have,
      to: size,
      now: NOW0,
      stepMs: STEP_MS,
      areas: codesList,
      total: size,
    });
    have = size;
    process.stderr.write(`${((performance.now() - began) / 1000).toFixed(1)} s; ${ticks} ticks of ${perTick} events\n`);
    const times: number[] = [];
    const flushes: number[] = [];
    const stages: number[] = [];
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
      // The first ticks after a history load warm caches and read whole windows; they are not counted.
      if (k >= 2) {
        times.push(performance.now() - t0);
        flushes.push(t0 - f0);
        stages.push(rollups.stageMs);
      }
    }
    results.push({
      name: name(size),
      unit: 'ms',
      value: q(times, 0.5),
      details: {
        events: size,
        views: views.length,
        areas: codesList.length,
        districtRows: setup.districtRows ? setup.index.districts.length : 0,
        p95: Math.round(q(times, 0.95) * 10) / 10,
        stageMs: Math.round(q(stages, 0.5) * 10) / 10,
        flushMs: Math.round(q(flushes, 0.5) * 10) / 10,
        perTick,
        folded: rollups.incremental.folded.length,
      },
    });
  }
  await batcher.close();
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return results;
}

const results = await run(shipped, DEFAULT, sizes, (s) => `tick.${label(s)}`);
results.push(...(await run(manyViews(100), DEFAULT, [sizes[0]!], () => 'tick.2k.views_100')));
results.push(...(await run(shipped, { index: wards, districtRows: false }, [sizes[0]!], () => 'tick.2k.areas_126')));
results.push(...(await run(shipped, { index: districts, districtRows: false }, [sizes[0]!], () => 'tick.2k.areas_30')));
await report('tick', results);
