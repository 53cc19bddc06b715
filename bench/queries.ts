// Benchmark: the one-minute-per-area window over 10 M stored events and the last five minutes per area, in the engine's
// DuckDB and, on the same rows and machine, in PostgreSQL 15 (COPY, index on time) and InfluxDB 1.6 (line protocol).
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { spawnSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadAreas } from '../engine/geo/index.ts';
import { sqlThreadsOf } from '../engine/query/replica/settings.ts';
import { openStore } from '../engine/store/index.ts';
import { bucketSql } from '../engine/views/index.ts';
import { report, type BenchResult } from './report.ts';
import { InfluxDb } from './lib/influxdb.ts';
import { Postgres } from './lib/postgres.ts';
import { quantile, round } from './lib/stats.ts';

const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    events: { type: 'string' },
    'no-peers': { type: 'boolean', default: false },
  },
});
const N = Number(args.events ?? (args.quick ? 500_000 : 10_000_000));
const STEP_MS = 6; // 10 M events span 16.7 hours: 1,000 minutes × 30 areas
const T0 = Date.UTC(2026, 10, 20);
const T1 = T0 + N * STEP_MS;
const iso = (ms: number): string => new Date(ms).toISOString();
const log = (s: string): void => {
  process.stderr.write(s);
};

const codes = (await loadAreas()).areas.map((a) => `'${a.code}'`).join(',');
// Every peer gets these rows: a camera reports every 2.4 s, each camera in one area, in time order.
const ROWS = `SELECT 'q' || i AS id, make_timestamptz((${T0} + i * ${STEP_MS}) * 1000) AS ts, 'cam-' || (i % 400) AS camera_id,
    21.0 + (i % 400) / 4000.0 AS lat, 105.8 + (i % 400) / 4000.0 AS lon,
    ((i * 7) % 40)::INTEGER AS car, ((i * 13) % 200)::INTEGER AS motorbike, (i % 3)::INTEGER AS bus, ((i * 5) % 7)::INTEGER AS truck,
    ((i * 3) % 11)::INTEGER AS bicycle, ((i * 11) % 23)::INTEGER AS pedestrian, 60 AS interval_s, 5 + ((i * 37) % 550) / 10.0 AS avg_speed_kmh,
    ((i * 17) % 100) / 100.0 AS occupancy, 0.0 AS queue_m, [${codes}][1 + (i % 400) % 30] AS area, make_timestamptz((${T0} + i * ${STEP_MS}) * 1000) AS received_at`;
const COLUMNS =
  'id, ts, camera_id, lat, lon, car, motorbike, bus, truck, bicycle, pedestrian, interval_s, avg_speed_kmh, occupancy, queue_m, area, received_at';
const rowsOf = (from: number, to: number): string => `${ROWS} FROM range(${from}, ${to}) r(i)`;

// The same question in each dialect: per minute and area, the count, the sums per vehicle class and the mean speed.
const AGGREGATES =
  'count(*) AS n, sum(car) AS car, sum(motorbike) AS motorbike, sum(bus) AS bus, sum(truck) AS truck, sum(bicycle) AS bicycle, avg(avg_speed_kmh) AS speed';
// Each in its own idiom: the engine buckets as its views do ($bucket: whole-number arithmetic on Hanoi's fixed offset),
// PostgreSQL with date_trunc.
const sqlWindow = (from: number, to: number, bucket: string): string =>
  `SELECT ${bucket} AS t, area, ${AGGREGATES} FROM camera_events WHERE ts >= '${iso(from)}' AND ts < '${iso(to)}' GROUP BY 1, 2`;
const duckWindow = (from: number, to: number): string => sqlWindow(from, to, bucketSql(60_000));
const pgWindow = (from: number, to: number): string => sqlWindow(from, to, "date_trunc('minute', ts)");
const influxWindow = (from: number, to: number): string =>
  `SELECT count(car), sum(car), sum(motorbike), sum(bus), sum(truck), sum(bicycle), mean(avg_speed_kmh) FROM camera WHERE time >= '${iso(from)}' AND time < '${iso(to)}' GROUP BY time(1m), area fill(none)`;
const QUERIES = [
  { name: 'window_1m', from: T0, to: T1, runs: args.quick ? 5 : 10, peerRuns: args.quick ? 2 : 3 },
  { name: 'last_5m', from: T1 - 300_000, to: T1, runs: args.quick ? 20 : 50, peerRuns: args.quick ? 5 : 10 },
];

const results: BenchResult[] = [];
const work = await mkdtemp(path.join(os.tmpdir(), 'ioc-bench-queries-'));
const engineMs: Record<string, number> = {};
try {
  // The engine: its own store (tables, settings) filled in time order, queried as the API queries it.
  log(`engine: loading ${N.toLocaleString('en-US')} events… `);
  // With the threads of the analysts' replica, where ad-hoc queries like these run (the engine's own database keeps
  // one thread for its small statements).
  const store = await openStore({
    dataDir: path.join(work, 'engine'),
    duckdbThreads: sqlThreadsOf(undefined),
  });
  let began = performance.now();
  for (let from = 0; from < N; from += 2_000_000) {
    await store.writer.run(`INSERT INTO camera_events (${COLUMNS}) ${rowsOf(from, Math.min(N, from + 2_000_000))}`);
  }
  await store.writer.run('CHECKPOINT');
  log(`${((performance.now() - began) / 1000).toFixed(1)} s\n`);
  const size = (await stat(store.path)).size;
  results.push({
    name: 'footprint.duckdb_file_per_million',
    unit: 'MB',
    value: size / 2 ** 20 / (N / 1e6),
    details: { events: N },
  });
  let check = '';
  for (const q of QUERIES) {
    const times: number[] = [];
    for (let k = 0; k < q.runs + 1; k++) {
      const t = performance.now();
      const r = await store.reader.query(duckWindow(q.from, q.to));
      if (k > 0) times.push(performance.now() - t); // the first run warms the caches
      if (q.name === 'window_1m' && k === 0)
        check = `${r.rows.length} rows, ${r.rows.reduce((s, row) => s + Number(row[2]), 0)} events`;
    }
    engineMs[q.name] = quantile(times, 0.5);
    results.push({
      name: `query.${q.name}`,
      unit: 'ms',
      value: quantile(times, 0.5),
      details: { events: N, runs: q.runs, p95: round(quantile(times, 0.95)), p99: round(quantile(times, 0.99)) },
    });
    log(`engine ${q.name}: p50 ${quantile(times, 0.5).toFixed(1)} ms${q.name === 'window_1m' ? ` (${check})` : ''}\n`);
  }
  await store.close();

  if (!args['no-peers']) {
    // The rows for the peers, written once by DuckDB: CSV for PostgreSQL's COPY, line protocol for InfluxDB.
    const csv = path.join(work, 'camera.csv');
    const lp = path.join(work, 'camera.lp');
    const gen = await (await DuckDBInstance.create(':memory:', { threads: '2' })).connect();
    await gen.run("SET TimeZone = 'UTC'");
    await gen.run(`COPY (${rowsOf(0, N)}) TO '${csv}' (HEADER false)`);
    await gen.run(`COPY (SELECT 'camera,area=' || area || ',camera_id=' || camera_id || ' car=' || car || 'i,motorbike=' || motorbike || 'i,bus=' || bus ||
      'i,truck=' || truck || 'i,bicycle=' || bicycle || 'i,pedestrian=' || pedestrian || 'i,avg_speed_kmh=' || avg_speed_kmh || ',occupancy=' || occupancy ||
      ' ' || epoch_ms(ts) FROM (${rowsOf(0, N)})) TO '${lp}' (HEADER false, QUOTE '', DELIMITER '\t')`);
    gen.closeSync();

    const pg = await Postgres.start();
    if (pg) {
      try {
        await pg.psql(`CREATE TABLE camera_events (id text PRIMARY KEY, ts timestamptz NOT NULL, camera_id text, lat float8, lon float8, car int, motorbike int, bus int,
          truck int, bicycle int, pedestrian int, interval_s int, avg_speed_kmh float8, occupancy float8, queue_m float8, area text, received_at timestamptz)`);
        log('postgres: COPY… ');
        began = performance.now();
        await pg.psql(`\\copy camera_events (${COLUMNS}) FROM '${csv}' CSV`);
        const copySeconds = (performance.now() - began) / 1000;
        began = performance.now();
        await pg.psql('CREATE INDEX camera_events_ts ON camera_events (ts); ANALYZE camera_events;');
        const indexSeconds = (performance.now() - began) / 1000;
        log(
          `${Math.round(N / copySeconds).toLocaleString('en-US')} rows/s; index on ts ${indexSeconds.toFixed(1)} s\n`,
        );
        results.push({
          name: 'peer.postgres.copy',
          unit: 'events/s',
          value: N / copySeconds,
          details: { events: N, seconds: round(copySeconds, 1), indexSeconds: round(indexSeconds, 1) },
        });
        const bytes = Number((await pg.psql(`SELECT pg_total_relation_size('camera_events')`, true)).trim());
        results.push({
          name: 'footprint.postgres_per_million',
          unit: 'MB',
          value: bytes / 2 ** 20 / (N / 1e6),
          details: { events: N },
        });
        for (const q of QUERIES) {
          const times = (await pg.time(pgWindow(q.from, q.to), q.peerRuns + 1)).slice(1);
          const p50 = quantile(times, 0.5);
          log(`postgres ${q.name}: p50 ${p50.toFixed(1)} ms (${(p50 / engineMs[q.name]!).toFixed(1)}× ours)\n`);
          // The ratio is the peer's latency over ours: how many times faster the engine answers.
          results.push({
            name: `peer.postgres.${q.name === 'window_1m' ? 'window' : q.name}`,
            unit: 'ms',
            value: p50,
            ratio: p50 / engineMs[q.name]!,
            details: { events: N, runs: q.peerRuns, p95: round(quantile(times, 0.95)), ours: round(engineMs[q.name]!) },
          });
        }
      } catch (err) {
        log(`postgres failed: ${(err as Error).message}\n`);
      } finally {
        await pg.stop();
      }
    }

    const influx = await InfluxDb.start();
    if (influx) {
      try {
        await influx.query('CREATE DATABASE bench');
        log('influxdb: line protocol… ');
        began = performance.now();
        const points = await influx.writeFile(lp, 'bench');
        const seconds = (performance.now() - began) / 1000;
        log(`${Math.round(points / seconds).toLocaleString('en-US')} points/s\n`);
        results.push({
          name: 'peer.influxdb.line_protocol',
          unit: 'events/s',
          value: points / seconds,
          details: { events: points, seconds: round(seconds, 1) },
        });
        const du = spawnSync('du', ['-sb', influx.dataDir], { encoding: 'utf8' });
        const bytes = Number(du.stdout.split('\t')[0]);
        if (bytes > 0)
          results.push({
            name: 'footprint.influxdb_per_million',
            unit: 'MB',
            value: bytes / 2 ** 20 / (N / 1e6),
            details: { events: N },
          });
        for (const q of QUERIES) {
          const times: number[] = [];
          for (let k = 0; k < q.peerRuns + 1; k++) {
            const t = performance.now();
            await influx.query(influxWindow(q.from, q.to), 'bench');
            if (k > 0) times.push(performance.now() - t);
          }
          const p50 = quantile(times, 0.5);
          log(`influxdb ${q.name}: p50 ${p50.toFixed(1)} ms (${(p50 / engineMs[q.name]!).toFixed(1)}× ours)\n`);
          results.push({
            name: `peer.influxdb.${q.name === 'window_1m' ? 'window' : q.name}`,
            unit: 'ms',
            value: p50,
            ratio: p50 / engineMs[q.name]!,
            details: { events: N, runs: q.peerRuns, p95: round(quantile(times, 0.95)), ours: round(engineMs[q.name]!) },
          });
        }
      } catch (err) {
        log(`influxdb failed: ${(err as Error).message}\n`);
      } finally {
        await influx.stop();
      }
    }
  }
} finally {
  await rm(work, { recursive: true, force: true });
}
await report('queries', results);
