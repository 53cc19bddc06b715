// Which views fold: the planner reads DuckDB's own syntax tree of each view and keeps recomputation for any view it
// cannot fold exactly, with the reason `/api/health` shows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../engine/store/index.ts';
import { parseView } from '../../engine/views/definition.ts';
import { readCatalog, type Catalog } from '../../engine/views/describe.ts';
import { planView } from '../../engine/views/incremental/plan.ts';

let store: Store;
let catalog: Catalog;
beforeAll(async () => {
  store = await openStore({ dataDir: '.', dbFile: ':memory:' });
  catalog = await readCatalog(store.writer);
});
afterAll(() => store.close());

const HEAD =
  '-- name: probe\n-- title.vi: Thử\n-- title.en: Probe\n-- unit: vehicles\n-- window: 1m\n-- source: camera\n-- theme: traffic\n';
const view = (select: string, extra = '') => parseView('views/traffic/probe.sql', `${HEAD}${extra}${select}`);
const plan = (select: string) => planView(store.writer, view(select), catalog);
const FLOW = (t: string, tail = '') => `SELECT ${t} AS t, $area AS area, sum(car)::DOUBLE AS value, count(*) AS n
  FROM camera_events WHERE ts >= $from AND ts < $to GROUP BY $group ${tail}`;

describe('the fold planner', () => {
  it('folds a plain grouped SELECT of decomposable aggregates over its window bucket', async () => {
    const p = await plan(FLOW('$bucket'));
    expect(typeof p).not.toBe('string');
    expect(typeof p === 'string' ? [] : p.aggregates.map((a) => a.fold)).toEqual(['sum', 'count_star']);
  });

  it('keeps recomputation when t is not the window bucket: its rows would fold into windows never staged', async () => {
    expect(await plan(FLOW('time_bucket(INTERVAL 5 MINUTE, ts)'))).toBe('t is not $bucket');
    expect(await plan(FLOW('$bucket + INTERVAL 1 MINUTE'))).toBe('t is not $bucket');
  });

  it('keeps recomputation for what does not decompose, with the reason', async () => {
    expect(await plan(FLOW('$bucket', 'HAVING count(*) > 1'))).toBe('WITH, HAVING, QUALIFY, ORDER BY or LIMIT');
    expect(
      await plan(`SELECT $bucket AS t, $area AS area, median(car)::DOUBLE AS value, count(*) AS n
        FROM camera_events WHERE ts >= $from AND ts < $to GROUP BY $group`),
    ).toBe('median(…) does not fold');
  });
});
