// Hanoi time three ways: the TypeScript functions, the SQL expressions of engine/sql and the views' macros, agreeing
// on every instant tried (either side of midnight, before 1970, window edges), and the SQL literals read back exactly.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, type Connection } from '../../engine/db.ts';
import {
  DAY_MS,
  HANOI_OFFSET_MS,
  HOUR_MS,
  hanoiDate,
  hanoiDateOfMsSql,
  hanoiDateSql,
  hanoiDateStart,
  hanoiDay,
  hanoiHour,
  hanoiHourSql,
  hanoiIso,
  hanoiMidnight,
  hanoiMsOfDay,
  hanoiWindowStart,
  hanoiWindowStartMsSql,
  hanoiWindowStartSql,
  inStringsSql,
  sqlString,
  stringsParam,
  timestampLiteral,
  timestampParam,
} from '../../engine/sql/index.ts';
import { mulberry32 } from '../../sources/simulate/prng.ts';

const macro = (name: string) => readFileSync(new URL(`../../views/_macros/${name}.sql`, import.meta.url), 'utf8');
const MINUTE_MS = 60_000;
const WINDOWS = [MINUTE_MS, 5 * MINUTE_MS, 15 * MINUTE_MS, HOUR_MS, 3 * HOUR_MS, DAY_MS, 7 * DAY_MS];

/** Hanoi midnight of 2026-11-27 (17:00 UTC the day before). */
const MIDNIGHT = Date.parse('2026-11-27T00:00:00+07:00');
const random = mulberry32(12);
const INSTANTS = [
  0,
  -1,
  1,
  -HANOI_OFFSET_MS,
  -HANOI_OFFSET_MS - 1,
  -HANOI_OFFSET_MS + 1,
  -DAY_MS,
  -DAY_MS - 1,
  MIDNIGHT,
  MIDNIGHT - 1,
  MIDNIGHT + 1,
  MIDNIGHT + 7 * HOUR_MS,
  MIDNIGHT + 7 * HOUR_MS - 1,
  MIDNIGHT + DAY_MS - 1,
  Date.parse('1969-12-31T23:30:00+07:00'),
  Date.parse('1900-02-28T23:59:59.999+07:00'),
  Date.parse('1000-01-01T12:00:00Z'),
  Date.parse('2000-02-29T16:59:59.999Z'),
  Date.parse('2100-03-01T00:00:00+07:00'),
  ...Array.from({ length: 200 }, () => Math.round((random() - 0.3) * 5e12)),
];

let db: Database;
let conn: Connection;

beforeAll(async () => {
  db = await Database.open(':memory:');
  conn = await db.connect();
  await conn.run(macro('hanoi_time'));
  await conn.run(macro('working_days'));
});
afterAll(() => {
  conn.close();
  db.close();
});

/** Evaluates `expr(t, ms)` for every instant at once: `t` the exact TIMESTAMPTZ, `ms` its epoch milliseconds. */
async function each(expr: (t: string, ms: string) => string): Promise<unknown[]> {
  const rows = await conn.objects<{ i: number; v: unknown }>(
    `
    SELECT i, ${expr('t', 'ms')} AS v FROM (
      SELECT i, ms, TIMESTAMPTZ '1970-01-01 00:00:00+00' + to_milliseconds(ms) AS t
      FROM (SELECT unnest(range(len(l))) AS i, unnest(l) AS ms FROM (SELECT from_json($ms::JSON, '["BIGINT"]') AS l))
    ) ORDER BY i`,
    { ms: JSON.stringify(INSTANTS) },
  );
  return rows.map((r) => r.v);
}

const expectEach = (got: unknown[], want: (ms: number) => unknown) =>
  INSTANTS.forEach((ms, i) => expect(got[i], `${new Date(ms).toISOString()} (${ms})`).toEqual(want(ms)));

describe('Hanoi time in SQL agrees with the TypeScript functions', () => {
  it('the day: hanoiDateSql, hanoiDateOfMsSql and the hanoi_date macro', async () => {
    expectEach(await each((t) => `${hanoiDateSql(t)}::VARCHAR`), hanoiDate);
    expectEach(await each((_t, ms) => `${hanoiDateOfMsSql(ms)}::VARCHAR`), hanoiDate);
    expectEach(await each((_t, ms) => `${hanoiDateOfMsSql(`${ms}::DOUBLE`)}::VARCHAR`), hanoiDate);
    expectEach(await each(() => 'hanoi_date(t)::VARCHAR'), hanoiDate);
  });

  it('the hour of day: hanoiHourSql and the hanoi_hour macro', async () => {
    expectEach(await each((t) => hanoiHourSql(t)), hanoiHour);
    expectEach(await each(() => 'hanoi_hour(t)'), hanoiHour);
  });

  it('the day number and the time of day of working_days.sql', async () => {
    expectEach(await each(() => 'hanoi_day_number(t)'), hanoiDay);
    expectEach(await each(() => 'hanoi_ms_of_day(t)'), hanoiMsOfDay);
  });

  it('the start of a Hanoi-aligned window, in milliseconds and as a TIMESTAMPTZ', async () => {
    for (const w of WINDOWS) {
      expectEach(await each((t) => hanoiWindowStartMsSql(t, w)), (ms) => hanoiWindowStart(ms, w));
      expectEach(await each((t) => `epoch_ms(${hanoiWindowStartSql(t, w)})`), (ms) => hanoiWindowStart(ms, w));
    }
  });

  it('matches the time-zone database since 1976 (Asia/Ho_Chi_Minh has kept UTC+7 since)', async () => {
    const since = Date.parse('1976-01-01T00:00:00+07:00');
    const zone = await each(() => "strftime(t AT TIME ZONE 'Asia/Ho_Chi_Minh', '%Y-%m-%d %H')");
    const ours = await each((t) => `${hanoiDateSql(t)}::VARCHAR || ' ' || lpad(${hanoiHourSql(t)}::VARCHAR, 2, '0')`);
    INSTANTS.forEach((ms, i) => {
      if (ms >= since) expect(ours[i], String(ms)).toBe(zone[i]);
    });
    expect(INSTANTS.filter((ms) => ms >= since).length).toBeGreaterThan(50);
  });

  it('refuses a window that is not a whole positive number of milliseconds', () => {
    expect(() => hanoiWindowStartMsSql('t', 0)).toThrow(RangeError);
    expect(() => hanoiWindowStartMsSql('t', 1.5)).toThrow(RangeError);
  });
});

describe('the pure Hanoi-time functions', () => {
  it('split an instant into a day and a time of day, before 1970 too', () => {
    for (const ms of INSTANTS) {
      const f = hanoiMsOfDay(ms);
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(DAY_MS);
      expect(hanoiDay(ms) * DAY_MS + f - HANOI_OFFSET_MS).toBe(ms);
      expect(hanoiMidnight(ms)).toBe(ms - f);
      expect(hanoiHour(ms)).toBe(Math.floor(f / HOUR_MS));
      expect(hanoiDateStart(hanoiDate(ms))).toBe(hanoiMidnight(ms));
      expect(Date.parse(hanoiIso(ms))).toBe(ms);
    }
  });

  it('turn the day at Hanoi midnight, 17:00 UTC', () => {
    expect(hanoiDate(MIDNIGHT - 1)).toBe('2026-11-26');
    expect(hanoiDate(MIDNIGHT)).toBe('2026-11-27');
    expect(hanoiHour(MIDNIGHT - 1)).toBe(23);
    expect(hanoiHour(MIDNIGHT)).toBe(0);
    expect(new Date(MIDNIGHT).toISOString()).toBe('2026-11-26T17:00:00.000Z');
    expect(hanoiDate(-HANOI_OFFSET_MS - 1)).toBe('1969-12-31');
    expect(hanoiDate(-HANOI_OFFSET_MS)).toBe('1970-01-01');
    expect(hanoiDay(-HANOI_OFFSET_MS - 1)).toBe(-1);
    expect(hanoiIso(MIDNIGHT)).toBe('2026-11-27T00:00:00.000+07:00');
  });

  it('start day windows at Hanoi midnight and hour windows on the hour, before 1970 too', () => {
    for (const ms of INSTANTS) {
      expect(hanoiWindowStart(ms, DAY_MS)).toBe(hanoiMidnight(ms));
      expect(hanoiWindowStart(ms, HOUR_MS)).toBe(Math.floor(ms / HOUR_MS) * HOUR_MS);
      for (const w of WINDOWS) {
        const start = hanoiWindowStart(ms, w);
        expect(start).toBeLessThanOrEqual(ms);
        expect(ms - start).toBeLessThan(w);
        expect(hanoiWindowStart(start, w)).toBe(start);
      }
    }
    // A week window starts on a Hanoi midnight, every seven days from 1970-01-01 (a Thursday).
    expect(hanoiIso(hanoiWindowStart(MIDNIGHT + 3 * DAY_MS, 7 * DAY_MS))).toBe('2026-11-26T00:00:00.000+07:00');
  });

  it('read only YYYY-MM-DD as a date', () => {
    expect(hanoiDateStart('2026-11-27')).toBe(MIDNIGHT);
    expect(hanoiDateStart('27/11/2026')).toBeNaN();
    expect(hanoiDateStart('2026-11-27T00:00')).toBeNaN();
  });
});

describe('SQL literals and parameters read back exactly', () => {
  it('timestampLiteral and timestampParam: the same instant, to the millisecond', async () => {
    for (const ms of INSTANTS.slice(0, 30)) {
      const [row] = await conn.objects<{ a: number; b: number }>(
        `SELECT epoch_ms(${timestampLiteral(ms)}) AS a, epoch_ms($t::TIMESTAMPTZ) AS b`,
        { t: timestampParam(ms) },
      );
      expect(row, String(ms)).toEqual({ a: ms, b: ms });
    }
    expect(() => timestampLiteral(Number.NaN)).toThrow(RangeError);
    expect(() => timestampParam(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });

  it('sqlString: quotes, backslashes and any text come back unchanged', async () => {
    const texts = ["it's", "''", '\\n\\', 'Hà Nội — Đống Đa', '', "a'; DROP TABLE x; --", '"quoted"', 'line\nbreak'];
    const got = await conn.objects<{ v: string[] }>(`SELECT [${texts.map(sqlString).join(', ')}] AS v`);
    expect(got[0]!.v).toEqual(texts);
  });

  it('inStringsSql with stringsParam: membership in a bound list', async () => {
    const rows = await conn.objects<{ s: string }>(
      `SELECT s FROM (VALUES ('a'), ('b'''), ('c')) v(s) WHERE ${inStringsSql('s', 'list')} ORDER BY s`,
      { list: stringsParam(["b'", 'c', 'zz']) },
    );
    expect(rows.map((r) => r.s)).toEqual(["b'", 'c']);
  });
});
