// Benchmark: analysts' SQL over 10 M stored camera events through POST /api/sql, and what four such queries cost ingestion.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startEngine, type Engine } from '../engine/main.ts';
import { report, type BenchResult } from './report.ts';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000000' },
    seconds: { type: 'string', default: '15' },
    runs: { type: 'string', default: '5' },
  },
});
const ROWS = Number(args.rows);
const SECONDS = Number(args.seconds);
const RUNS = Number(args.runs);
const CAMERAS = 400;
const ANALYSTS = 4;
const EVENTS_PER_MESSAGE = 100;

/** The analyst's question: vehicles per minute per district over everything stored. */
const AGGREGATION = `SELECT time_bucket(INTERVAL 1 MINUTE, ts) AS t, area, sum(car + motorbike + bus + truck) AS vehicles, count(*) AS n
FROM camera_events GROUP BY ALL ORDER BY t, area`;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** 10 M rows straight into the table, in time order like a live stream (400 cameras, one report a minute each: 17 days). */
async function loadHistory(engine: Engine): Promise<number> {
  const started = performance.now();
  // The history ends now, so it stays within the raw-event retention (RETAIN_RAW_DAYS) of the engine.
  const minutes = Math.ceil(ROWS / CAMERAS);
  const start = `TIMESTAMPTZ '${new Date(Math.floor(Date.now() / 60_000 - minutes - 1) * 60_000).toISOString()}'`;
  await engine.store.writer
    .run(`INSERT INTO camera_events (id, ts, camera_id, lat, lon, car, motorbike, bus, truck, bicycle, pedestrian, interval_s, avg_speed_kmh, occupancy, area, received_at)
    SELECT 'hist-' || i, ts, 'cam-' || (i % ${CAMERAS}), 21.0 + (i % ${CAMERAS}) * 0.0004, 105.8 + (i % 97) * 0.001,
      (hash(i) % 60)::INTEGER, (hash(i + 1) % 400)::INTEGER, (hash(i + 2) % 5)::INTEGER, (hash(i + 3) % 8)::INTEGER, (hash(i + 4) % 10)::INTEGER, (hash(i + 5) % 30)::INTEGER,
      60, 5 + (hash(i + 6) % 550) / 10.0, (hash(i + 7) % 100) / 100.0, codes[1 + (i % ${CAMERAS}) % len(codes)], ts
    FROM (SELECT range AS i, ${start} + to_milliseconds((range // ${CAMERAS}) * 60000 + (range % ${CAMERAS}) * 150) AS ts FROM range(${ROWS})),
         (SELECT list(code ORDER BY code) AS codes FROM areas)`);
  // Written to disk like hours of a live stream would be; a busy moment (a tick's transaction) only defers it.
  await engine.store.writer.run('CHECKPOINT').catch(() => undefined);
  return (performance.now() - started) / 1000;
}

async function ask(url: string): Promise<number> {
  const t0 = performance.now();
  const res = await fetch(`${url}/api/sql`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sql: AGGREGATION }),
  });
  const body = (await res.json()) as { rowCount?: number; error?: { message: string } };
  if (res.status !== 200) throw new Error(`analyst query failed (${res.status}): ${body.error?.message}`);
  return performance.now() - t0;
}

/** Feeds camera events through the engine's own ingest path (decode → batch → commit) as fast as it takes them. */
async function ingestFor(engine: Engine, seconds: number, tag: string): Promise<number> {
  const stored = (): number => engine.batcher.stats.stored.camera;
  const before = stored();
  const end = Date.now() + seconds * 1000;
  let seq = 0;
  const started = performance.now();
  while (Date.now() < end) {
    // Back-pressure: keep a few batches in flight, no more.
    if (engine.batcher.stats.pendingRows > 3 * engine.config.batchRows) {
      await new Promise((r) => setTimeout(r, 2));
      continue;
    }
    const now = Date.now();
    let payload = '[';
    for (let k = 0; k < EVENTS_PER_MESSAGE; k++, seq++) {
      const cam = seq % CAMERAS;
      payload += `${k ? ',' : ''}{"id":"${tag}-${seq}","ts":${now - 5000},"cameraId":"cam-${cam}","lat":${21.0 + cam * 0.0004},"lon":105.85,"counts":{"car":${seq % 60},"motorbike":${seq % 400},"bus":1,"truck":2,"bicycle":3,"pedestrian":4},"avgSpeedKmh":31.5}`;
    }
    engine.ingest({
      source: 'bench',
      topic: 'city/camera/bench',
      payload: Buffer.from(`${payload}]`),
      receivedAt: now,
      ack() {},
    });
    if (seq % (EVENTS_PER_MESSAGE * 20) === 0) await new Promise((r) => setImmediate(r));
  }
  await engine.batcher.flush();
  return (stored() - before) / ((performance.now() - started) / 1000);
}

const dir = await mkdtemp(path.join(os.tmpdir(), 'ioc-bench-sql-'));
const results: BenchResult[] = [];
let loadS = 0;
try {
  // The same stored events under three settings: two scans at a time, one, and one that gives way to ingestion.
  const settings = [
    { concurrency: 2, yieldMs: 0 },
    { concurrency: 1, yieldMs: 0 },
    { concurrency: 1, yieldMs: 2_000 },
  ];
  for (const [k, { concurrency, yieldMs }] of settings.entries()) {
    const label = `SQL_CONCURRENCY=${concurrency}, SQL_YIELD_MS=${yieldMs}`;
    const engine = await startEngine(
      {
        dataDir: dir,
        port: 0,
        pgPort: 0,
        mqttPort: 0,
        simulate: false,
        logLevel: 'error',
        sqlTimeoutMs: 120_000,
        sqlConcurrency: concurrency,
        sqlYieldMs: yieldMs,
        retainRawDays: 30,
      },
      {},
    );
    try {
      // A restarted engine first recomputes the windows the previous run touched: not part of what is measured.
      await engine.settle();
      if (loadS === 0) {
        process.stderr.write(`loading ${ROWS.toLocaleString('en-US')} camera events…\n`);
        loadS = await loadHistory(engine);
        process.stderr.write(`loaded in ${loadS.toFixed(1)} s\n`);
        await ask(engine.url); // warm-up: the first scan also reads the blocks from disk
        const alone: number[] = [];
        for (let r = 0; r < RUNS; r++) alone.push(await ask(engine.url));
        results.push({
          name: `1-min × area aggregation over ${ROWS.toLocaleString('en-US')} events, /api/sql JSON`,
          unit: 'ms',
          value: median(alone),
          details: { runs: RUNS, max: Math.round(Math.max(...alone)) },
        });
      }
      const baseline = `ingestion alone (${label})`;
      results.push({
        name: baseline,
        unit: 'events/s',
        value: await ingestFor(engine, SECONDS, `alone${k}`),
        details: { seconds: SECONDS },
      });
      // Four analysts, each asking again as soon as answered, for as long as the ingestion phase runs.
      let analysing = true;
      const underLoad: number[] = [];
      const analysts = Array.from({ length: ANALYSTS }, async () => {
        while (analysing) underLoad.push(await ask(engine.url));
      });
      const busy = await ingestFor(engine, SECONDS, `busy${k}`);
      analysing = false;
      await Promise.all(analysts);
      results.push({
        name: `ingestion while ${ANALYSTS} analysts ask it (${label})`,
        unit: 'events/s',
        value: busy,
        baseline,
        details: { seconds: SECONDS },
      });
      results.push({
        name: `  the aggregation meanwhile (${ANALYSTS} asking)`,
        unit: 'ms',
        value: median(underLoad),
        details: { runs: underLoad.length, max: Math.round(Math.max(...underLoad)) },
      });
      // Let the views' tick in flight finish before the engine stops.
      await engine.settle().catch(() => undefined);
    } finally {
      await engine.stop();
    }
  }
  await report('sql', results);
  process.stderr.write(`(history load: ${loadS.toFixed(1)} s)\n`);
} finally {
  await rm(dir, { recursive: true, force: true });
}
