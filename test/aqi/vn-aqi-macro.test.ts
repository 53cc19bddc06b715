// The DuckDB macro's copy of the VN_AQI tables against the wire table: every breakpoint, band edge, label and colour.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, type Connection } from '../../engine/db.ts';
import { subIndex } from '../../engine/aqi/index.ts';
import { POLLUTANTS, VN_AQI_CATEGORIES, VN_AQI_TABLE, type Pollutant } from '../../dashboards/shared/wire/index.ts';

const MACRO_SQL = readFileSync(new URL('../../views/_macros/vn_aqi.sql', import.meta.url), 'utf8');

let db: Database;
let conn: Connection;

beforeAll(async () => {
  db = await Database.open(':memory:');
  conn = await db.connect();
  await conn.run(MACRO_SQL);
});
afterAll(() => {
  conn.close();
  db.close();
});

async function rows(sql: string, params: Record<string, string | number | null> = {}): Promise<unknown[][]> {
  return (await conn.query(sql, params)).rows;
}

/** Every (pollutant, concentration) of the table: each breakpoint, the middle of each band and a point past the top. */
function probes(): { p: Pollutant; c: number }[] {
  return POLLUTANTS.flatMap((p) => {
    const bp: readonly number[] = VN_AQI_TABLE.breakpoints[p];
    const mids = bp.slice(1).map((hi, i) => (bp[i]! + hi) / 2);
    return [...bp, ...mids, bp[bp.length - 1]! * 1.5].map((c) => ({ p, c }));
  });
}

describe('Table 2 (levels and breakpoints)', () => {
  it('the macro knows exactly the pollutants of the table', () => {
    const breakpoints = MACRO_SQL.slice(MACRO_SQL.indexOf('MACRO vn_aqi_breakpoints'));
    const named = [...breakpoints.slice(0, breakpoints.indexOf('ELSE')).matchAll(/WHEN '(\w+)'/g)].map((m) => m[1]);
    expect(named.sort()).toEqual([...POLLUTANTS].sort());
  });

  it('the macro carries the same levels and breakpoints', async () => {
    expect((await rows('SELECT vn_aqi_levels()'))[0]![0]).toEqual([...VN_AQI_TABLE.levels]);
    for (const p of POLLUTANTS) {
      expect((await rows('SELECT vn_aqi_breakpoints($p)', { p }))[0]![0], p).toEqual([...VN_AQI_TABLE.breakpoints[p]]);
    }
  });

  it('on every breakpoint, mid-band and past the top, the macro gives what TypeScript gives', async () => {
    const points = probes();
    const got = await rows(
      `SELECT vn_aqi_sub(p, c)
       FROM (SELECT unnest(from_json($points::JSON, '[{"p":"VARCHAR","c":"DOUBLE"}]'), recursive := true))`,
      { points: JSON.stringify(points) },
    );
    expect(got.map((r) => r[0])).toEqual(points.map(({ p, c }) => subIndex(p, c)));
    for (const p of POLLUTANTS) {
      const bp: readonly number[] = VN_AQI_TABLE.breakpoints[p];
      bp.forEach((c, i) => expect(subIndex(p, c), `${p} ${c}`).toBe(VN_AQI_TABLE.levels[i]));
    }
  });
});

describe('Table 1 (categories, labels and colours)', () => {
  const sqlBand = async (x: number): Promise<unknown[]> => {
    const sql = 'SELECT vn_aqi_category($x::DOUBLE), vn_aqi_category_en($x::DOUBLE), vn_aqi_color($x::DOUBLE)';
    return (await rows(sql, { x }))[0]!;
  };

  it("each band, from its lowest to its highest rounded index, has the table's labels and colour", async () => {
    let low = 0;
    for (const c of VN_AQI_CATEGORIES) {
      const want = [c.vi, c.en, c.color];
      for (const x of [low, low + 0.49, (low + c.max) / 2, c.max, c.max + 0.49]) {
        expect(await sqlBand(x), `AQI ${x}`).toEqual(want);
      }
      low = c.max + 0.5;
    }
  });

  it('the bands follow one another without a gap, up to the top level', () => {
    expect(VN_AQI_CATEGORIES.map((c) => c.level)).toEqual([1, 2, 3, 4, 5, 6]);
    for (const c of VN_AQI_CATEGORIES.slice(0, -1)) expect(VN_AQI_TABLE.levels).toContain(c.max);
    const top = VN_AQI_TABLE.levels[VN_AQI_TABLE.levels.length - 1];
    expect(VN_AQI_CATEGORIES[VN_AQI_CATEGORIES.length - 1]!.max).toBe(top);
  });
});
