// Benchmark: a large result over the PostgreSQL door, read by psql and by node-postgres (pg-cursor), against the same
// result downloaded as Arrow IPC over HTTP (POST /api/sql?format=arrow) from the same engine in the same run.
// `pg.rows_per_s.*` are rows per second end to end (query, transfer, the client's parsing); ratios are to Arrow's.
// `npx tsx bench/pg.ts [--rows 1000000] [--quick]`
import { spawn } from 'node:child_process';
import { parseArgs } from 'node:util';
import pg from 'pg';
import Cursor from 'pg-cursor';
import { freePort } from '../test/support/ports.ts';
import { BenchEngine } from './lib/engine.ts';
import { report, type BenchResult } from './report.ts';

const { values: args } = parseArgs({
  options: { rows: { type: 'string', default: '1000000' }, quick: { type: 'boolean', default: false } },
});
const ROWS = args.quick ? 200_000 : Number(args.rows);
/** Four columns of the kinds BI tools read most: an integer, a double, text and a TIMESTAMPTZ. */
const SQL = `SELECT range AS i, range * 0.5 AS x, 'row ' || range AS label,
  TIMESTAMPTZ '2026-12-01 00:00:00+00' + to_seconds(range) AS t FROM range(${ROWS})`;

async function timed(run: () => Promise<number>): Promise<{ rows: number; seconds: number }> {
  const t0 = performance.now();
  const rows = await run();
  return { rows, seconds: (performance.now() - t0) / 1000 };
}

async function arrow(url: string): Promise<number> {
  const res = await fetch(`${url}/api/sql?format=arrow`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ sql: SQL }),
  });
  if (!res.ok) throw new Error(`Arrow download failed: ${res.status} ${await res.text()}`);
  let bytes = 0;
  const reader = res.body!.getReader();
  for (let r = await reader.read(); !r.done; r = await reader.read()) bytes += r.value.byteLength;
  if (bytes === 0) throw new Error('empty Arrow download');
  return Number(res.headers.get('x-row-count') ?? ROWS);
}

/** psql in unaligned, tuples-only mode to /dev/null: libpq reads the whole result, psql formats every row. */
function psql(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      'psql',
      ['-X', '-w', '-A', '-t', '-o', '/dev/null', `host=127.0.0.1 port=${port} user=bench dbname=ioc`, '-c', SQL],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let err = '';
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(ROWS) : reject(new Error(`psql failed (${code}): ${err}`))));
  });
}

async function pgCursor(port: number): Promise<number> {
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'bench', database: 'ioc' });
  await client.connect();
  try {
    const cursor = client.query(new Cursor(SQL));
    let rows = 0;
    for (;;) {
      const got = await cursor.read(10_000);
      if (got.length === 0) break;
      rows += got.length;
    }
    await cursor.close();
    return rows;
  } finally {
    await client.end();
  }
}

const pgPort = await freePort();
const engine = await BenchEngine.start({
  PG_PORT: String(pgPort),
  MQTT_PORT: String(await freePort()),
  SQL_EXPORT_TIMEOUT_MS: '600000',
});
const results: BenchResult[] = [];
try {
  // One warm-up of each path, so the first measured run does not pay for DuckDB's and the clients' first use.
  await arrow(engine.url);
  await pgCursor(pgPort);
  const runs: [string, () => Promise<number>][] = [
    ['pg.rows_per_s.arrow_http', () => arrow(engine.url)],
    ['pg.rows_per_s.psql', () => psql(pgPort)],
    ['pg.rows_per_s.pg_cursor', () => pgCursor(pgPort)],
  ];
  for (const [name, run] of runs) {
    const { rows, seconds } = await timed(run);
    if (rows !== ROWS) throw new Error(`${name}: read ${rows} rows, expected ${ROWS}`);
    results.push({
      name,
      unit: 'rows/s',
      value: Math.round(rows / seconds),
      ...(name.endsWith('arrow_http') ? {} : { baseline: 'pg.rows_per_s.arrow_http' }),
      details: { rows, seconds: Math.round(seconds * 100) / 100 },
    });
  }
} finally {
  await engine.stop(`${engine.dataDir}/ioc.duckdb`);
}
await report('pg', results);
