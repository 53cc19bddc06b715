// Benchmark: a view created on a running engine, filled from a stored history of 10 M events (a day per tick, newest
// first, between the other views' ticks), against the same view's SELECT run once as a batch query over the same
// history: what the backfill's slicing and its writes cost over the cheapest way to compute the same rows.
// `npx tsx bench/views.ts [--events 10000000] [--quick]`
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadAreas } from '../engine/geo/index.ts';
import { createLogger } from '../engine/log.ts';
import { openStore } from '../engine/store/index.ts';
import { levelsSql, linkViews, loadMacros, parseView, Rollups, type ViewDef } from '../engine/views/index.ts';
import { FAMILY_DEFS } from '../engine/schema/index.ts';
import { writeHistory } from './lib/history.ts';
import { report, type BenchResult } from './report.ts';

const { values: args } = parseArgs({
  options: { events: { type: 'string', default: '10000000' }, quick: { type: 'boolean', default: false } },
});
const total = args.quick ? 1_000_000 : Number(args.events);
// One event every 30 ms: 10 M events are 3.5 days of history.
const STEP_MS = 30;
const log = createLogger('warn');
const wards = await loadAreas();

/** The shipped file view under another name, as an analyst would post it. */
function copy(file: string, name: string): ViewDef {
  const text = readFileSync(new URL(`../views/${file}`, import.meta.url), 'utf8').replace(
    /-- name: \w+/,
    `-- name: ${name}`,
  );
  return parseView(`api:${name}`, text);
}

const dir = mkdtempSync(join(tmpdir(), 'ioc-bench-views-'));
const store = await openStore({ dataDir: dir });
const results: BenchResult[] = [];
try {
  const now = Date.now();
  process.stderr.write(`history of ${total.toLocaleString('en-US')} events… `);
  const t0 = performance.now();
  await writeHistory(store.writer, {
    from: 0,
    to: total,
    now,
    stepMs: STEP_MS,
    areas: wards.areas.map((a) => a.code),
    total,
  });
  process.stderr.write(`${((performance.now() - t0) / 1000).toFixed(1)} s\n`);

  for (const [file, name] of [
    ['traffic/avg_speed.sql', 'bench_avg_speed'],
    ['air/pm25_1m.sql', 'bench_pm25_1m'],
  ] as const) {
    const [view] = linkViews([copy(file, name)]);
    const v = view!;
    const table = FAMILY_DEFS[v.source].table;
    const [span] = await store.writer.objects<{ lo: number; hi: number; n: number }>(
      `SELECT epoch_ms(min(ts)) AS lo, epoch_ms(max(ts)) AS hi, count(*)::BIGINT AS n FROM ${table}`,
    );
    const events = Number(span!.n);
    const [lo, hi] = [Number(span!.lo), Number(span!.hi) + v.windowMs];

    // The batch query: the view's own SELECT over the whole history, both levels (wards and city, and the former
    // districts), its rows counted where they land.
    const b0 = performance.now();
    const [batch] = await store.writer.objects<{ rows: number }>(
      `SELECT count(*)::BIGINT AS rows FROM (${levelsSql(v, lo, hi, wards.parents)})`,
    );
    const batchS = (performance.now() - b0) / 1000;

    // The backfill, as POST /api/views runs it: the view joins a running set (here alone) and fills tick by tick.
    const rollups = new Rollups(await store.db.connect(), [], log, undefined, loadMacros());
    rollups.parents = wards.parents;
    await rollups.init();
    const f0 = performance.now();
    await rollups.changeViews([v], [v], []);
    let ticks = 0;
    while (rollups.backfilling) {
      await rollups.tick();
      if (rollups.failedRefreshes > 0) throw new Error(`${v.name}: a backfill refresh failed (see the log)`);
      ticks++;
    }
    const fillS = (performance.now() - f0) / 1000;
    const [filled] = await store.writer.objects<{ rows: number }>(
      `SELECT count(*)::BIGINT AS rows FROM rollups WHERE view = '${v.name}'`,
    );
    if (Number(filled!.rows) !== Number(batch!.rows))
      throw new Error(`${v.name}: the backfill wrote ${filled!.rows} rows, the batch query gives ${batch!.rows}`);
    const details = { events, rows: Number(batch!.rows), window: v.window };
    results.push(
      {
        name: `views.batch_rows_per_s.${name.slice(6)}`,
        unit: 'events/s',
        value: Math.round(events / batchS),
        details: { ...details, seconds: Math.round(batchS * 100) / 100 },
      },
      {
        name: `views.backfill_rows_per_s.${name.slice(6)}`,
        unit: 'events/s',
        value: Math.round(events / fillS),
        baseline: `views.batch_rows_per_s.${name.slice(6)}`,
        details: { ...details, seconds: Math.round(fillS * 100) / 100, ticks },
      },
    );
  }
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
await report('views', results);
