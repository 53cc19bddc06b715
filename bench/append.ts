// Benchmark: DuckDB ingest of camera rows by the row appender, by data chunks, and by the staged dedup path.
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  DOUBLE,
  DuckDBDataChunk,
  DuckDBInstance,
  DuckDBTimestampTZValue,
  INTEGER,
  TIMESTAMPTZ,
  VARCHAR,
  type DuckDBAppender,
  type DuckDBConnection,
  type DuckDBType,
  type DuckDBValue,
} from '@duckdb/node-api';
import { report, type BenchResult } from './report.ts';
import { storedIdsIn, timeRanges } from '../engine/store/dedup.ts';
import { mulberry32 } from '../sources/simulate/prng.ts';

const CHUNK = 2048; // DuckDB's vector size: a chunk cannot hold more
const BATCH = 10_000; // rows per transaction on the dedup path, as the engine flushes
const COUNTS = ['car', 'motorbike', 'bus', 'truck', 'bicycle', 'pedestrian'] as const;

/** Column-major camera rows, generated once so every path appends the same data. */
interface CameraRows {
  length: number;
  id: string[];
  tsMs: number[];
  cameraId: string[];
  area: string[];
  lat: number[];
  lon: number[];
  counts: number[][]; // one array per COUNTS entry
  avgSpeedKmh: number[];
  occupancy: number[];
}

const AREAS = [
  'ba-dinh',
  'hoan-kiem',
  'tay-ho',
  'long-bien',
  'cau-giay',
  'dong-da',
  'hai-ba-trung',
  'hoang-mai',
  'thanh-xuan',
  'ha-dong',
  'bac-tu-liem',
  'nam-tu-liem',
];

function generate(length: number, cameras = 400): CameraRows {
  const random = mulberry32(20_260_101);
  const start = Date.UTC(2026, 0, 1);
  const home = Array.from({ length: cameras }, (_, c) => ({
    id: `cam-${String(c).padStart(4, '0')}`,
    area: AREAS[c % AREAS.length] ?? 'hoan-kiem',
    lat: 21.0285 + (random() - 0.5) * 0.2,
    lon: 105.8542 + (random() - 0.5) * 0.2,
  }));
  const rows: CameraRows = {
    length,
    id: [],
    tsMs: [],
    cameraId: [],
    area: [],
    lat: [],
    lon: [],
    counts: COUNTS.map(() => []),
    avgSpeedKmh: [],
    occupancy: [],
  };
  for (let i = 0; i < length; i++) {
    const minute = Math.floor(i / cameras);
    const camera = home[i % cameras]!;
    // Each camera reports once a minute, spread over the minute: rows arrive in time order.
    const ts = start + minute * 60_000 + Math.floor(((i % cameras) * 60_000) / cameras);
    rows.id.push(`${camera.id}:${ts}`);
    rows.tsMs.push(ts);
    rows.cameraId.push(camera.id);
    rows.area.push(camera.area);
    rows.lat.push(camera.lat);
    rows.lon.push(camera.lon);
    rows.counts.forEach((column, k) => column.push(Math.floor(random() * (k === 1 ? 400 : 60))));
    rows.avgSpeedKmh.push(5 + random() * 55);
    rows.occupancy.push(random());
  }
  return rows;
}

const COLUMNS_SQL = `camera_id VARCHAR, area VARCHAR, lat DOUBLE, lon DOUBLE, ${COUNTS.map((c) => `${c} INTEGER`).join(', ')}, avg_speed_kmh DOUBLE, occupancy DOUBLE`;
const TAIL_TYPES: DuckDBType[] = [VARCHAR, VARCHAR, DOUBLE, DOUBLE, ...COUNTS.map(() => INTEGER), DOUBLE, DOUBLE];
const TAIL_NAMES = `camera_id, area, lat, lon, ${COUNTS.join(', ')}, avg_speed_kmh, occupancy`;

function micros(ms: number): DuckDBTimestampTZValue {
  return new DuckDBTimestampTZValue(BigInt(ms) * 1000n);
}

async function rowAppender(con: DuckDBConnection, rows: CameraRows): Promise<void> {
  await con.run(`CREATE TABLE camera_events (id VARCHAR, ts TIMESTAMPTZ, ${COLUMNS_SQL})`);
  const appender = await con.createAppender('camera_events');
  const [car, motorbike, bus, truck, bicycle, pedestrian] = rows.counts as [
    number[],
    number[],
    number[],
    number[],
    number[],
    number[],
  ];
  for (let i = 0; i < rows.length; i++) {
    appender.appendVarchar(rows.id[i]!);
    appender.appendTimestampTZ(micros(rows.tsMs[i]!));
    appender.appendVarchar(rows.cameraId[i]!);
    appender.appendVarchar(rows.area[i]!);
    appender.appendDouble(rows.lat[i]!);
    appender.appendDouble(rows.lon[i]!);
    appender.appendInteger(car[i]!);
    appender.appendInteger(motorbike[i]!);
    appender.appendInteger(bus[i]!);
    appender.appendInteger(truck[i]!);
    appender.appendInteger(bicycle[i]!);
    appender.appendInteger(pedestrian[i]!);
    appender.appendDouble(rows.avgSpeedKmh[i]!);
    appender.appendDouble(rows.occupancy[i]!);
    appender.endRow();
  }
  appender.flushSync();
  appender.closeSync();
}

/** Appends rows [from, to) in chunks; the ts column is whatever `tsColumn` makes of a slice of epoch ms. */
function appendChunks(
  appender: DuckDBAppender,
  chunk: DuckDBDataChunk,
  rows: CameraRows,
  from: number,
  to: number,
  tsColumn: (ms: number[]) => DuckDBValue[],
): void {
  for (let start = from; start < to; start += CHUNK) {
    const end = Math.min(start + CHUNK, to);
    // Changing the row count drops the chunk's cached vectors, so only do it for a short last chunk.
    if (chunk.rowCount !== end - start) chunk.rowCount = end - start;
    let c = 0;
    chunk.setColumnValues(c++, rows.id.slice(start, end));
    chunk.setColumnValues(c++, tsColumn(rows.tsMs.slice(start, end)));
    chunk.setColumnValues(c++, rows.cameraId.slice(start, end));
    chunk.setColumnValues(c++, rows.area.slice(start, end));
    chunk.setColumnValues(c++, rows.lat.slice(start, end));
    chunk.setColumnValues(c++, rows.lon.slice(start, end));
    for (const column of rows.counts) chunk.setColumnValues(c++, column.slice(start, end));
    chunk.setColumnValues(c++, rows.avgSpeedKmh.slice(start, end));
    chunk.setColumnValues(c, rows.occupancy.slice(start, end));
    appender.appendDataChunk(chunk);
  }
}

async function dataChunks(con: DuckDBConnection, rows: CameraRows): Promise<void> {
  await con.run(`CREATE TABLE camera_events (id VARCHAR, ts TIMESTAMPTZ, ${COLUMNS_SQL})`);
  const appender = await con.createAppender('camera_events');
  const chunk = DuckDBDataChunk.create([VARCHAR, TIMESTAMPTZ, ...TAIL_TYPES], CHUNK);
  appendChunks(appender, chunk, rows, 0, rows.length, (ms) => ms.map(micros));
  appender.flushSync();
  appender.closeSync();
}

// Epoch ms travel as DOUBLE (no per-value timestamp objects); make_timestamptz takes UTC microseconds,
// so the result does not depend on the session's TimeZone (a TIMESTAMP cast to TIMESTAMPTZ would).
const DEDUP_INSERT = `INSERT OR IGNORE INTO camera_events
  SELECT id, make_timestamptz(ts_ms::BIGINT * 1000), ${TAIL_NAMES} FROM temp.main.staging`;

async function stagedDedup(con: DuckDBConnection, rows: CameraRows): Promise<void> {
  await con.run(`CREATE TABLE camera_events (id VARCHAR PRIMARY KEY, ts TIMESTAMPTZ, ${COLUMNS_SQL})`);
  // A temporary staging table lives in memory: the raw batch never reaches the WAL twice.
  await con.run(`CREATE TEMP TABLE staging (id VARCHAR, ts_ms DOUBLE, ${COLUMNS_SQL})`);
  const appender = await con.createAppender('staging', 'main', 'temp');
  const chunk = DuckDBDataChunk.create([VARCHAR, DOUBLE, ...TAIL_TYPES], CHUNK);
  for (let from = 0; from < rows.length; from += BATCH) {
    await con.run('BEGIN TRANSACTION');
    appendChunks(appender, chunk, rows, from, Math.min(from + BATCH, rows.length), (ms) => ms);
    appender.flushSync();
    await con.run(DEDUP_INSERT);
    await con.run('DELETE FROM temp.main.staging');
    await con.run('COMMIT');
  }
  appender.closeSync();
}

// The engine's path since: no key; each batch is checked for repeats among the stored rows of its own stretches of time.
async function stagedRangeDedup(con: DuckDBConnection, rows: CameraRows): Promise<void> {
  await con.run(`CREATE TABLE camera_events (id VARCHAR NOT NULL, ts TIMESTAMPTZ NOT NULL, ${COLUMNS_SQL})`);
  await con.run(`CREATE TEMP TABLE staging (id VARCHAR, ts_ms DOUBLE, ${COLUMNS_SQL})`);
  const appender = await con.createAppender('staging', 'main', 'temp');
  const chunk = DuckDBDataChunk.create([VARCHAR, DOUBLE, ...TAIL_TYPES], CHUNK);
  for (let from = 0; from < rows.length; from += BATCH) {
    const to = Math.min(from + BATCH, rows.length);
    const spans = new Map<number, [number, number]>();
    for (let i = from; i < to; i++) {
      const ts = rows.tsMs[i]!;
      const m = ts - (ts % 60_000);
      const s = spans.get(m);
      if (!s) spans.set(m, [ts, ts]);
      else {
        s[0] = Math.min(s[0], ts);
        s[1] = Math.max(s[1], ts);
      }
    }
    await con.run('BEGIN TRANSACTION');
    appendChunks(appender, chunk, rows, from, to, (ms) => ms);
    appender.flushSync();
    const ranges = timeRanges(spans.values());
    const repeats = await con.runAndReadAll(
      `SELECT (SELECT count(*) - count(DISTINCT id) FROM temp.main.staging) + (SELECT count(*) FROM (${storedIdsIn('camera_events', ranges)}) e WHERE e.id IN (SELECT id FROM temp.main.staging))`,
    );
    if (Number(repeats.getRows()[0]![0]) !== 0) throw new Error('the bench rows hold no repeats');
    await con.run(
      `INSERT INTO camera_events SELECT id, make_timestamptz(ts_ms::BIGINT * 1000), ${TAIL_NAMES} FROM temp.main.staging`,
    );
    await con.run('DELETE FROM temp.main.staging');
    await con.run('COMMIT');
  }
  appender.closeSync();
}

interface Path {
  name: string;
  run(con: DuckDBConnection, rows: CameraRows): Promise<void>;
}

const PATHS: Path[] = [
  { name: 'row appender', run: rowAppender },
  { name: 'data chunks', run: dataChunks },
  { name: 'chunks → staging → INSERT OR IGNORE (PK)', run: stagedDedup },
  { name: "chunks → staging → repeats in the batch's time → INSERT (engine)", run: stagedRangeDedup },
];

/** Runs one path in a fresh database file; returns seconds, after checking every row landed intact. */
async function measure(p: Path, rows: CameraRows, expectedTsSum: bigint): Promise<number> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ioc-bench-append-'));
  const db = await DuckDBInstance.create(path.join(dir, 'bench.duckdb'));
  const con = await db.connect();
  try {
    const started = performance.now();
    await p.run(con, rows);
    const seconds = (performance.now() - started) / 1000;
    const check = await con.runAndReadAll(
      'SELECT count(*)::BIGINT AS n, sum(epoch_ms(ts))::HUGEINT AS ts_sum, count(DISTINCT id)::BIGINT AS ids FROM camera_events',
    );
    const [n, tsSum, ids] = check.getRows()[0] ?? [];
    if (n !== BigInt(rows.length) || ids !== BigInt(rows.length) || tsSum !== expectedTsSum) {
      throw new Error(
        `${p.name}: stored ${String(n)} rows, ${String(ids)} ids, ts sum ${String(tsSum)}; expected ${rows.length} and ${expectedTsSum}`,
      );
    }
    return seconds;
  } finally {
    con.closeSync();
    db.closeSync();
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rows: { type: 'string', default: '1000000' } } });
  const count = Number(values.rows);
  if (!Number.isInteger(count) || count <= 0) throw new Error(`--rows must be a positive integer, got ${values.rows}`);

  const rows = generate(count);
  const expectedTsSum = rows.tsMs.reduce((sum, ms) => sum + BigInt(ms), 0n);
  const results: BenchResult[] = [];
  for (const p of PATHS) {
    const seconds = await measure(p, rows, expectedTsSum);
    results.push({
      name: p.name,
      unit: 'rows/s',
      value: count / seconds,
      baseline: PATHS[0]!.name,
      details: { rows: count, seconds: Number(seconds.toFixed(3)) },
    });
  }
  await report('append', results);
}

await main();
