// VN_AQI: the decision's worked examples and edge cases, each checked in the TypeScript reference and the DuckDB macros, then both compared on random inputs.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, type Connection } from '../../engine/db.ts';
import { mulberry32 as rng } from '../../sources/simulate/prng.ts';
import {
  POLLUTANTS,
  VN_AQI_CATEGORIES,
  VN_AQI_TABLE,
  aqi,
  category,
  color,
  nowcast,
  subIndex,
  type Pollutant,
} from '../../engine/aqi/index.ts';

const MACROS = new URL('../../views/_macros/vn_aqi.sql', import.meta.url);

let db: Database;
let conn: Connection;

beforeAll(async () => {
  db = await Database.open(':memory:');
  conn = await db.connect();
  await conn.run(readFileSync(MACROS, 'utf8'));
});
afterAll(() => {
  conn.close();
  db.close();
});

async function one<T>(sql: string, params: Record<string, string | number | null> = {}): Promise<T> {
  const { rows } = await conn.query(sql, params);
  return rows[0]![0] as T;
}
const sqlSub = (p: Pollutant, c: number | null) => one<number | null>('SELECT vn_aqi_sub($p, $c::DOUBLE)', { p, c });
const sqlNowcast = (vals: readonly (number | null)[]) =>
  one<number | null>('SELECT vn_nowcast(CAST($v::JSON AS DOUBLE[]))', { v: JSON.stringify(vals) });
const sqlBand = async (x: number | null) =>
  (
    await conn.query('SELECT vn_aqi_category($x::DOUBLE), vn_aqi_category_en($x::DOUBLE), vn_aqi_color($x::DOUBLE)', {
      x,
    })
  ).rows[0]!;

/** Sub-index in both implementations: the same double, or both null. */
async function bothSub(p: Pollutant, c: number | null): Promise<number | null> {
  const ts = subIndex(p, c);
  expect(await sqlSub(p, c), `${p} ${c}`).toBe(ts);
  return ts;
}
async function bothNowcast(vals: readonly (number | null)[]): Promise<number | null> {
  const ts = nowcast(vals);
  const sql = await sqlNowcast(vals);
  if (ts === null) expect(sql).toBeNull();
  else expect(sql).toBeCloseTo(ts, 12);
  return ts;
}

// The decision's example, 09:00 → 20:00. c1 is the current hour (20:00), so the list runs backwards in time:
// read the other way round it gives 23.98, not the decision's 20.3.
const SERIES_0900_TO_2000 = [26.9, 24.7, 20.5, 23.5, 19.5, 16.5, 19.0, 16.5, 20.3, 22.4, 19.6, 20.6];
const C1_FIRST = [...SERIES_0900_TO_2000].reverse();

describe('the tables', () => {
  it('an unknown pollutant is an error in SQL, not a silent NULL', async () => {
    await expect(sqlSub('pm2.5' as Pollutant, 10)).rejects.toThrow(/unknown pollutant 'pm2.5'/);
    expect(() => subIndex('pm2.5' as Pollutant, 10)).toThrow(RangeError);
  });
});

describe('NowCast (Formula 2)', () => {
  it('reproduces the worked example: w* = 16.5/26.9, NowCast 20.27 → AQI 41', async () => {
    const w = 16.5 / 26.9;
    expect(w).toBeCloseTo(0.61, 2);
    const expected = C1_FIRST.reduce((s, c, i) => s + w ** i * c, 0) / C1_FIRST.reduce((s, _, i) => s + w ** i, 0);
    const nc = await bothNowcast(C1_FIRST);
    expect(nc).toBeCloseTo(expected, 12);
    expect(nc!.toFixed(2)).toBe('20.27');
    expect(nc!.toFixed(1)).toBe('20.3');
    expect(Math.round((await bothSub('pm25', nc))!)).toBe(41);
    expect(aqi({ pm25: nc })!.aqi).toBe(41);
  });

  it('pins the order: the chronological list (c1 = 09:00) would give 23.98', async () => {
    expect((await bothNowcast(SERIES_0900_TO_2000))!.toFixed(2)).toBe('23.98');
  });

  it('w = ½ when w* ≤ ½, and the mean is normalised', async () => {
    const vals = [100, 10, 10, 10];
    const den = 1 + 0.5 + 0.25 + 0.125;
    expect(await bothNowcast(vals)).toBeCloseTo((100 + 5 + 2.5 + 1.25) / den, 12);
  });

  it('steady hours give that value (w = 1)', async () => {
    expect(await bothNowcast(Array(12).fill(37.5))).toBeCloseTo(37.5, 12);
    expect(await bothNowcast([0, 0, 0])).toBe(0);
  });

  it('a missing hour has weight 0 and is left out of w*', async () => {
    const vals = [20, null, 10, null, null, null, null, null, null, null, null, 1];
    const w = 0.5; // 1/20 ≤ ½
    expect(await bothNowcast(vals)).toBeCloseTo((20 + w ** 2 * 10 + w ** 11 * 1) / (1 + w ** 2 + w ** 11), 12);
    const noOutlier = [20, null, 16];
    expect(await bothNowcast(noOutlier)).toBeCloseTo((20 + 0.8 ** 2 * 16) / (1 + 0.8 ** 2), 12);
  });

  it('needs at least 2 of the 3 latest hours', async () => {
    expect(await bothNowcast([null, 15, 20, 18, 18])).not.toBeNull();
    expect(await bothNowcast([15, null, 20])).not.toBeNull();
    expect(await bothNowcast([null, null, 20, 18, 18, 18, 18, 18, 18, 18, 18, 18])).toBeNull();
    expect(await bothNowcast([15, null, null, 18, 18])).toBeNull();
    expect(await bothNowcast([15])).toBeNull();
    expect(await bothNowcast([])).toBeNull();
    expect(await sqlNowcast(null as unknown as number[])).toBeNull();
  });

  it('only the first 12 hours count', async () => {
    expect(await bothNowcast([...C1_FIRST, 500, 500])).toBe(nowcast(C1_FIRST));
  });
});

describe('sub-indices (Formula 1)', () => {
  it('the daily worked example: O3 8h 89.3 → 45, O3 1h 114.6 → 36, NO2 130.8 → 65, PM2.5 55.7 → 110; AQI^d 110', async () => {
    const day = { o3_8h: 89.3, o3_1h: 114.6, no2: 130.8, pm25: 55.7 };
    expect(await bothSub('o3_8h', day.o3_8h)).toBeCloseTo(44.65, 9);
    expect(await bothSub('o3_1h', day.o3_1h)).toBeCloseTo(35.8125, 9);
    expect(await bothSub('no2', day.no2)).toBeCloseTo(65.4, 9);
    // 100 + 50/30 × 5.7 = 109.5 exactly: the decision's 110 is rounding half up (Math.round and DuckDB round agree).
    expect(await bothSub('pm25', day.pm25)).toBe(109.5);
    const rounded = Object.fromEntries(Object.entries(aqi(day)!.subIndices).map(([p, v]) => [p, Math.round(v)]));
    expect(rounded).toEqual({ o3_8h: 45, o3_1h: 36, no2: 65, pm25: 110 });
    expect(aqi(day)).toMatchObject({ aqi: 110, dominant: 'pm25', capped: false });
    expect(
      await one(`SELECT round(greatest(vn_aqi_sub('o3_8h', 89.3), vn_aqi_sub('o3_1h', 114.6),
      vn_aqi_sub('no2', 130.8), vn_aqi_sub('pm25', 55.7)))`),
    ).toBe(110);
  });

  it('the known inconsistency: NO2 118.7 gives 59.35 by the formula (the decision prints 60); we keep the formula', async () => {
    expect(await bothSub('no2', 118.7)).toBeCloseTo(59.35, 9);
    expect(Math.round(subIndex('no2', 118.7)!)).toBe(59);
  });

  it('the side-by-side table: PM2.5 20.3 → 41, 30 → 60, 60 → 117, 100 → 164', async () => {
    for (const [c, want] of [
      [20.3, 41],
      [30, 60],
      [60, 117],
      [100, 164],
    ] as const) {
      expect(Math.round((await bothSub('pm25', c))!), `PM2.5 ${c}`).toBe(want);
      expect(aqi({ pm25: c })!.aqi).toBe(want);
    }
  });

  it('band edges are continuous: PM2.5 25, 50, 80 µg/m³ are exactly 50, 100, 150', async () => {
    expect(await bothSub('pm25', 0)).toBe(0);
    expect(await bothSub('pm25', 25)).toBe(50);
    expect(await bothSub('pm25', 50)).toBe(100);
    expect(await bothSub('pm25', 80)).toBe(150);
    expect(await bothSub('pm25', 25.1)).toBeCloseTo(50.2, 9); // no "+0.1" gap of the US-EPA kind
    expect(await bothSub('pm25', 24.9)).toBeCloseTo(49.8, 9);
    expect(category(subIndex('pm25', 25))!.vi).toBe('Tốt');
    expect(category(subIndex('pm25', 50))!.vi).toBe('Trung bình');
    expect(category(subIndex('pm25', 80))!.vi).toBe('Kém');
  });

  it('every breakpoint of every pollutant maps to its level', async () => {
    for (const p of POLLUTANTS) {
      const bp = VN_AQI_TABLE.breakpoints[p];
      for (let i = 0; i < bp.length; i++)
        expect(await bothSub(p, bp[i]!), `${p} ${bp[i]}`).toBe(VN_AQI_TABLE.levels[i]);
    }
  });

  it('"≥" top bands cap at 500', async () => {
    expect(await bothSub('pm25', 500)).toBe(500);
    expect(await bothSub('pm25', 1234)).toBe(500);
    expect(await bothSub('pm25', 425)).toBeCloseTo(450, 9);
    expect(await bothSub('co', 150_000)).toBe(500);
    expect(await bothSub('so2', 9999)).toBe(500);
    expect(await bothSub('o3_1h', 1200)).toBe(500);
    expect(aqi({ pm25: 600 })).toMatchObject({ aqi: 500, capped: true });
    expect(aqi({ pm25: 499.9 })).toMatchObject({ capped: false });
    expect(aqi({ pm10: 10, no2: 4000 })).toMatchObject({ aqi: 500, dominant: 'no2', capped: true });
  });

  it('O3 (8h) stops at 400 µg/m³ → 300; above it only the 1-hour O3 counts', async () => {
    expect(await bothSub('o3_8h', 400)).toBe(300);
    expect(await bothSub('o3_8h', 400.5)).toBeNull();
    const r = aqi({ pm25: 10, o3_8h: 450, o3_1h: 900 })!;
    expect(r.subIndices.o3_8h).toBeUndefined();
    expect(r).toMatchObject({ aqi: 350, dominant: 'o3_1h' });
  });

  it('missing, negative and non-finite concentrations give NULL', async () => {
    expect(await bothSub('pm25', null)).toBeNull();
    expect(await bothSub('pm25', -0.5)).toBeNull();
    expect(await one("SELECT vn_aqi_sub('pm25', 'NaN'::DOUBLE)")).toBeNull();
    expect(await one("SELECT vn_aqi_sub('pm25', 'Infinity'::DOUBLE)")).toBeNull();
    expect(subIndex('pm25', Number.NaN)).toBeNull();
    expect(subIndex('pm25', Number.POSITIVE_INFINITY)).toBeNull();
    expect(subIndex('pm25', undefined)).toBeNull();
  });

  it('the index needs PM10 or PM2.5', () => {
    expect(aqi({ no2: 130.8, o3_1h: 114.6 })).toBeNull();
    expect(aqi({ pm10: null, no2: 130.8 })).toBeNull();
    expect(aqi({ pm10: 40, no2: 130.8 })).toMatchObject({ aqi: 65, dominant: 'no2' });
    expect(aqi({})).toBeNull();
  });
});

describe('categories and colours (Table 1)', () => {
  const cases: [number, string, string, string][] = [
    [0, 'Tốt', 'Good', '#00E400'],
    [50, 'Tốt', 'Good', '#00E400'],
    [50.4, 'Tốt', 'Good', '#00E400'],
    [50.5, 'Trung bình', 'Moderate', '#FFFF00'],
    [100, 'Trung bình', 'Moderate', '#FFFF00'],
    [101, 'Kém', 'Poor', '#FF7E00'],
    [150.49, 'Kém', 'Poor', '#FF7E00'],
    [151, 'Xấu', 'Bad', '#FF0000'],
    [200, 'Xấu', 'Bad', '#FF0000'],
    [201, 'Rất xấu', 'Very bad', '#8F3F97'],
    [300, 'Rất xấu', 'Very bad', '#8F3F97'],
    [301, 'Nguy hại', 'Hazardous', '#7E0023'],
    [500, 'Nguy hại', 'Hazardous', '#7E0023'],
  ];
  it.each(cases)('AQI %d → %s / %s / %s', async (x, vi, en, hex) => {
    expect(category(x)).toMatchObject({ vi, en, color: hex });
    expect(color(x)).toBe(hex);
    expect(await sqlBand(x)).toEqual([vi, en, hex]);
  });

  it('no category for a missing or negative index', async () => {
    expect(category(null)).toBeNull();
    expect(category(-1)).toBeNull();
    expect(color(Number.NaN)).toBeNull();
    expect(await sqlBand(null)).toEqual([null, null, null]);
    expect(await sqlBand(-1)).toEqual([null, null, null]);
  });

  it('the daily example is Kém (orange) and the NowCast example Tốt (green)', () => {
    expect(category(110)).toMatchObject({ level: 3, vi: 'Kém', color: '#FF7E00' });
    expect(category(41)).toMatchObject({ level: 1, vi: 'Tốt', color: '#00E400' });
    expect(VN_AQI_CATEGORIES.map((c) => c.max)).toEqual([50, 100, 150, 200, 300, 500]);
  });
});

describe('TypeScript and SQL agree on random inputs', () => {
  const N = 4000;

  it(`sub-indices, final index and category on ${N} concentrations`, async () => {
    const r = rng(1459);
    const rows = Array.from({ length: N }, (_, i) => {
      const p = POLLUTANTS[Math.floor(r() * POLLUTANTS.length)]!;
      const bp = VN_AQI_TABLE.breakpoints[p];
      const top = bp[bp.length - 1]!;
      const k = r();
      // Mostly inside the table, some exactly on a breakpoint, some above the top, a few missing or negative.
      const c =
        k < 0.1
          ? bp[Math.floor(r() * bp.length)]!
          : k < 0.15
            ? top * (1 + r())
            : k < 0.17
              ? null
              : k < 0.19
                ? -r()
                : Math.round(r() * top * 1000) / 1000;
      return { i, p, c };
    });
    const sql = await conn.query(
      `SELECT i, vn_aqi_sub(p, c) AS v, vn_aqi_category(vn_aqi_sub(p, c)) AS cat, vn_aqi_color(vn_aqi_sub(p, c)) AS hex
      FROM (SELECT unnest(from_json($rows::JSON, '[{"i":"INTEGER","p":"VARCHAR","c":"DOUBLE"}]'), recursive := true)) ORDER BY i`,
      { rows: JSON.stringify(rows) },
    );
    expect(sql.rows).toHaveLength(N);
    let mismatches = 0;
    for (const [i, v, cat, hex] of sql.rows as [number, number | null, string | null, string | null][]) {
      const { p, c } = rows[i]!;
      const ts = subIndex(p, c);
      if (v !== ts || cat !== (category(ts)?.vi ?? null) || hex !== color(ts)) {
        mismatches++;
        expect.soft({ p, c, sql: [v, cat, hex] }).toEqual({ p, c, sql: [ts, category(ts)?.vi ?? null, color(ts)] });
      }
    }
    expect(mismatches).toBe(0);
  });

  it(`NowCast on ${N} series with gaps`, async () => {
    const r = rng(2019);
    const rows = Array.from({ length: N }, (_, i) => {
      const len = 1 + Math.floor(r() * 14);
      const level = r() * 300;
      const vals = Array.from({ length: len }, () => (r() < 0.2 ? null : Math.round(level * (0.3 + r()) * 10) / 10));
      return { i, vals };
    });
    const sql = await conn.query(
      `SELECT i, vn_nowcast(vals) AS nc, round(vn_aqi_sub('pm25', vn_nowcast(vals))) AS a
      FROM (SELECT unnest(from_json($rows::JSON, '[{"i":"INTEGER","vals":["DOUBLE"]}]'), recursive := true)) ORDER BY i`,
      { rows: JSON.stringify(rows) },
    );
    let valid = 0;
    for (const [i, nc, a] of sql.rows as [number, number | null, number | null][]) {
      const ts = nowcast(rows[i]!.vals);
      if (ts === null) {
        expect(nc, JSON.stringify(rows[i])).toBeNull();
        continue;
      }
      valid++;
      expect(nc, JSON.stringify(rows[i])).not.toBeNull();
      expect(Math.abs(nc! - ts), JSON.stringify(rows[i])).toBeLessThanOrEqual(1e-9 * Math.max(1, ts));
      expect(a).toBe(aqi({ pm25: ts })?.aqi ?? null);
    }
    expect(valid).toBeGreaterThan(N / 2);
  });
});
