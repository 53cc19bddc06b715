// Working days: the shipped holidays file, weekends, Tết, deadlines across Tết and swapped days, and TypeScript and DuckDB agreeing.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Database, type Connection } from '../../engine/db.ts';
import { mulberry32 as rng } from '../../sources/simulate/prng.ts';
import {
  HolidaysFileError,
  WorkingCalendar,
  addWorkingDays,
  defaultCalendar,
  isWorkingDay,
  loadCalendar,
  loadHolidays,
  parseHolidays,
  readHolidaysFile,
  toEpochMs,
  workingDaysBetween,
  type Holiday,
} from '../../engine/calendar/index.ts';

const MACROS = readFileSync(new URL('../../views/_macros/working_days.sql', import.meta.url), 'utf8');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** An instant in Hanoi local time. */
const hn = (local: string) => new Date(`${local}+07:00`);
const iso = (d: Date) => new Date(d.getTime() + 7 * HOUR).toISOString().replace('Z', '+07:00');

const holidays = readHolidaysFile();
const cal = defaultCalendar();

let db: Database;
let conn: Connection;

beforeAll(async () => {
  db = await Database.open(':memory:');
  conn = await db.connect();
  await conn.run(MACROS);
  await loadHolidays(conn);
});
afterAll(() => {
  conn.close();
  db.close();
});

/** SQL for the TIMESTAMPTZ at an epoch-milliseconds expression, exactly (no float seconds on the way). */
const ts = (ms: string) => `(TIMESTAMPTZ '1970-01-01 00:00:00+00' + to_milliseconds(CAST(${ms} AS BIGINT)))`;
async function one<T>(sql: string, params: Record<string, string | number | null> = {}): Promise<T> {
  return (await conn.query(sql, params)).rows[0]![0] as T;
}
const sqlIsWorking = (date: string) => one<boolean>('SELECT is_working_day($d::DATE)', { d: date });
const sqlBetween = (a: Date, b: Date) =>
  one<number>(`SELECT working_days_between(${ts('$a')}, ${ts('$b')})`, { a: a.getTime(), b: b.getTime() });
const sqlAdd = async (t: Date, n: number) =>
  new Date(await one<number>(`SELECT epoch_ms(add_working_days(${ts('$t')}, $n::INTEGER))`, { t: t.getTime(), n }));

async function bothWorking(date: string): Promise<boolean> {
  const v = isWorkingDay(date);
  expect(await sqlIsWorking(date), date).toBe(v);
  return v;
}
async function bothBetween(a: Date, b: Date): Promise<number> {
  const v = workingDaysBetween(a, b);
  expect(await sqlBetween(a, b), `${iso(a)} → ${iso(b)}`).toBe(v);
  return v;
}
async function bothAdd(t: Date, n: number): Promise<string> {
  const v = addWorkingDays(t, n);
  expect((await sqlAdd(t, n)).getTime(), `${iso(t)} + ${n}`).toBe(v.getTime());
  expect(workingDaysBetween(t, v)).toBe(n);
  return iso(v);
}

describe('the shipped holidays file', () => {
  const byYear = (y: number) => holidays.filter((h) => h.date.startsWith(`${y}-`));
  const dow = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();
  const names = (y: number, pattern: RegExp) =>
    byYear(y)
      .filter((h) => pattern.test(h.name_vi))
      .map((h) => h.date);

  it('covers 2024–2027', () => {
    expect(cal.coverage).toEqual({ from: '2024-01-01', to: '2027-12-31' });
  });

  it('has the lunar dates right: mùng 1 Tết and Giỗ Tổ (10/3 lunar) each year', () => {
    for (const [y, tet, hung] of [
      [2024, '2024-02-10', '2024-04-18'],
      [2025, '2025-01-29', '2025-04-07'],
      [2026, '2026-02-17', '2026-04-26'],
      [2027, '2027-02-06', '2027-04-16'],
    ] as const) {
      expect(names(y, /^Tết Nguyên đán \(Mùng 1\)$/), `${y}`).toEqual([tet]);
      expect(names(y, /^Giỗ Tổ/), `${y}`).toEqual([hung]);
    }
  });

  it('has the fixed-date holidays every year', () => {
    for (const y of [2024, 2025, 2026, 2027]) {
      for (const md of ['01-01', '04-30', '05-01', '09-02']) {
        expect(
          holidays.find((h) => h.date === `${y}-${md}`),
          `${y}-${md}`,
        ).toMatchObject({ kind: 'off', basis: 'law' });
      }
      expect(
        names(y, /^Quốc khánh \(ngày liền kề\)$/).map((d) => Math.abs(Date.parse(d) - Date.parse(`${y}-09-02`)) / DAY),
      ).toEqual([1]);
    }
  });

  it('each year gives the Labour Code’s 11 holidays as weekdays off: swaps net out, weekend holidays are compensated', () => {
    for (const y of [2024, 2025, 2026, 2027]) {
      const weekdaysOff = byYear(y).filter((h) => h.kind === 'off' && dow(h.date) % 6 !== 0).length;
      const saturdaysWorked = byYear(y).filter((h) => h.kind === 'work').length;
      expect(weekdaysOff - saturdaysWorked, `${y}`).toBe(11);
      expect(names(y, /hoán đổi/).length, `${y} swaps`).toBe(saturdaysWorked);
    }
  });

  it('Tết takes 5 weekdays each year', () => {
    for (const y of [2024, 2025, 2026, 2027]) {
      expect(
        names(y, /Tết Nguyên đán/).filter((d) => dow(d) % 6 !== 0),
        `${y}`,
      ).toHaveLength(5);
    }
  });

  it('marks only 2027’s undecided days as statutory', () => {
    const statutory = holidays.filter((h) => h.basis === 'statutory').map((h) => h.date);
    expect(statutory.every((d) => d.startsWith('2027-'))).toBe(true);
    expect(statutory).toContain('2027-02-05');
    expect(statutory).toContain('2027-09-03');
  });

  it('rejects a broken file with the line', () => {
    const head = '# comment\ndate,name_vi,name_en,kind,basis\n';
    const parse = (rows: string) => () => parseHolidays(head + rows, 'h.csv');
    expect(parse('2026-02-30,a,b,off,law')).toThrow(/h\.csv:3: date/);
    expect(parse('2026-01-01,a,b,off,law\n2026-01-01,c,d,off,law')).toThrow(
      /h\.csv:4: 2026-01-01 is already listed on line 3/,
    );
    expect(parse('2026-01-05,a,b,work,decided')).toThrow(/weekday/);
    expect(parse('2026-01-01,a,b,holiday,law')).toThrow(/h\.csv:3: kind/);
    expect(parse('2026-01-01,a,b,off')).toThrow(/expected 5 fields/);
    expect(() => parseHolidays('date,name\n', 'h.csv')).toThrow(HolidaysFileError);
    expect(parseHolidays(head + '2026-01-01,"Tết, Dương lịch","New Year\'s ""Day""",off,law')[0]).toMatchObject({
      name_vi: 'Tết, Dương lịch',
      name_en: 'New Year\'s "Day"',
    });
    expect(() => loadCalendar('/nonexistent/holidays.csv')).toThrow(/cannot be read/);
  });
});

describe('working days', () => {
  it('weekends are off, Monday to Friday work', async () => {
    expect(await bothWorking('2026-03-06')).toBe(true); // Friday
    expect(await bothWorking('2026-03-07')).toBe(false); // Saturday
    expect(await bothWorking('2026-03-08')).toBe(false); // Sunday
    expect(await bothWorking('2026-03-09')).toBe(true); // Monday
  });

  it('Tết, holidays and compensatory days are off; a make-up Saturday is worked', async () => {
    for (const d of ['2026-02-16', '2026-02-17', '2026-02-20', '2026-04-27', '2026-09-01', '2027-02-10', '2027-05-03'])
      expect(await bothWorking(d), d).toBe(false);
    for (const d of ['2026-01-10', '2026-08-22', '2024-05-04', '2025-04-26', '2026-02-23'])
      expect(await bothWorking(d), d).toBe(true);
  });

  it('the day is the Hanoi day, not the UTC one', () => {
    expect(isWorkingDay(new Date('2026-03-08T18:00:00Z'))).toBe(true); // Monday 01:00 in Hanoi
    expect(isWorkingDay(new Date('2026-03-06T17:30:00Z'))).toBe(false); // Saturday 00:30 in Hanoi
    expect(isWorkingDay('2026-03-07T00:30:00+07:00')).toBe(false);
    expect(() => isWorkingDay('2026-03-07T00:30:00')).toThrow(/time zone/);
  });

  it('workingDaysBetween counts working time in days', async () => {
    expect(await bothBetween(hn('2026-03-09T09:00:00'), hn('2026-03-10T09:00:00'))).toBe(1);
    expect(await bothBetween(hn('2026-03-06T16:00:00'), hn('2026-03-09T16:00:00'))).toBe(1); // over a weekend
    expect(await bothBetween(hn('2026-03-07T10:00:00'), hn('2026-03-09T00:00:00'))).toBe(0); // weekend only
    expect(await bothBetween(hn('2026-03-09T00:00:00'), hn('2026-03-09T18:00:00'))).toBe(0.75);
    expect(await bothBetween(hn('2026-03-10T09:00:00'), hn('2026-03-09T09:00:00'))).toBe(-1);
    expect(await bothBetween(hn('2026-03-10T09:00:00'), hn('2026-03-10T09:00:00'))).toBe(0);
    expect(workingDaysBetween('2026-03-02', '2026-03-30')).toBe(20);
  });

  it('a span across Tết 2026 skips 14–22 February', async () => {
    expect(await bothBetween(hn('2026-02-13T10:00:00'), hn('2026-02-23T10:00:00'))).toBe(1);
    expect(await bothBetween(hn('2026-02-09T00:00:00'), hn('2026-02-23T00:00:00'))).toBe(5);
    expect(workingDaysBetween('2026-01-01', '2027-01-01')).toBe(250);
  });
});

describe('deadlines (addWorkingDays)', () => {
  it('a 5-working-day deadline received before Tết 2026 lands after it', async () => {
    expect(await bothAdd(hn('2026-02-12T14:00:00'), 5)).toBe('2026-02-26T14:00:00.000+07:00');
    expect(await bothAdd(hn('2026-02-13T14:00:00'), 1)).toBe('2026-02-23T14:00:00.000+07:00');
  });

  it('across the statutory Tết 2027 (5 and 8–11 February off)', async () => {
    expect(await bothAdd(hn('2027-02-04T09:00:00'), 3)).toBe('2027-02-16T09:00:00.000+07:00');
  });

  it('received on a day off: counting starts with the next working day, due at its end', async () => {
    expect(await bothAdd(hn('2026-03-07T10:00:00'), 1)).toBe('2026-03-10T00:00:00.000+07:00'); // Saturday
    expect(await bothAdd(hn('2026-02-14T10:00:00'), 1)).toBe('2026-02-24T00:00:00.000+07:00'); // first day of Tết
  });

  it('swapped days: a make-up Saturday counts, the swapped weekday does not', async () => {
    expect(await bothAdd(hn('2026-01-09T10:00:00'), 1)).toBe('2026-01-10T10:00:00.000+07:00');
    expect(await bothAdd(hn('2025-12-31T10:00:00'), 1)).toBe('2026-01-05T10:00:00.000+07:00');
    expect(await bothAdd(hn('2026-08-28T10:00:00'), 1)).toBe('2026-09-03T10:00:00.000+07:00');
  });

  it('from midnight, the deadline is the end of the last working day counted', async () => {
    expect(await bothAdd(hn('2026-03-06T00:00:00'), 1)).toBe('2026-03-07T00:00:00.000+07:00'); // Friday → end of Friday
    expect(await bothAdd(hn('2026-03-06T00:00:00'), 2)).toBe('2026-03-10T00:00:00.000+07:00'); // → end of Monday
    expect(await bothAdd(hn('2026-03-07T00:00:00'), 1)).toBe('2026-03-10T00:00:00.000+07:00'); // Saturday → end of Monday
    expect(await bothAdd(hn('2026-03-06T00:00:00.001'), 1)).toBe('2026-03-09T00:00:00.001+07:00');
  });

  it('n = 0 is the start itself; n must be a whole number ≥ 0', async () => {
    expect(await bothAdd(hn('2026-03-07T10:00:00'), 0)).toBe('2026-03-07T10:00:00.000+07:00');
    expect(() => addWorkingDays(hn('2026-03-09T10:00:00'), -1)).toThrow(RangeError);
    expect(() => addWorkingDays(hn('2026-03-09T10:00:00'), 1.5)).toThrow(RangeError);
    await expect(sqlAdd(hn('2026-03-09T10:00:00'), -1)).rejects.toThrow(/n must be 0 or more/);
  });

  it('beyond the file only weekends are off', () => {
    expect(addWorkingDays('2028-02-10', 1).toISOString()).toBe(new Date(toEpochMs('2028-02-11')).toISOString());
  });
});

describe('the holidays table', () => {
  it('holds the file, and a second load replaces rather than adds', async () => {
    expect(await one('SELECT count(*) FROM holidays')).toBe(holidays.length);
    expect(await loadHolidays(conn)).toBe(holidays.length);
    expect(await one('SELECT count(*) FROM holidays')).toBe(holidays.length);
    expect(await one("SELECT name_en FROM holidays WHERE date = DATE '2026-02-17'")).toBe('Lunar New Year (1st day)');
  });

  it('can be filled before the macros are created, and from given rows', async () => {
    const other = await Database.open(':memory:');
    const c = await other.connect();
    try {
      const rows: Holiday[] = [{ date: '2026-03-09', name_vi: 'Thử', name_en: 'Test', kind: 'off', basis: 'decided' }];
      expect(await loadHolidays(c, rows)).toBe(1);
      await c.run(MACROS);
      const [r] = (await c.query("SELECT is_working_day(DATE '2026-03-09'), is_working_day(DATE '2026-03-10')")).rows;
      expect(r).toEqual([false, true]);
      const custom = new WorkingCalendar(rows);
      expect([custom.isWorkingDay('2026-03-09'), custom.isWorkingDay('2026-03-10')]).toEqual([false, true]);
    } finally {
      c.close();
      other.close();
    }
  });
});

describe('TypeScript and SQL agree', () => {
  const FROM = toEpochMs('2023-12-01');
  const TO = toEpochMs('2028-02-01');

  it('on every day from December 2023 to January 2028', async () => {
    const days: string[] = [];
    for (let t = FROM; t < TO; t += DAY) days.push(new Date(t + 7 * HOUR).toISOString().slice(0, 10));
    const { rows } = await conn.query(
      `SELECT d::VARCHAR, is_working_day(d) FROM (SELECT unnest(CAST($days::JSON AS DATE[])) AS d) ORDER BY d`,
      { days: JSON.stringify(days) },
    );
    expect(rows).toEqual(days.map((d) => [d, isWorkingDay(d)]));
  });

  it('on 3000 random spans and 3000 random deadlines', async () => {
    const r = rng(112);
    // Minutes, so some instants fall exactly on midnight.
    const instant = () => FROM + Math.floor(r() * ((TO - FROM) / 60_000)) * 60_000;
    const pairs = Array.from({ length: 3000 }, (_, i) => {
      const a = instant();
      return { i, a, b: r() < 0.8 ? a + Math.floor(r() * 60 * DAY) : instant() };
    });
    const spans = await conn.query(
      `SELECT i, working_days_between(${ts('a')}, ${ts('b')})
      FROM (SELECT unnest(from_json($rows::JSON, '[{"i":"INTEGER","a":"BIGINT","b":"BIGINT"}]'), recursive := true)) ORDER BY i`,
      { rows: JSON.stringify(pairs) },
    );
    expect(spans.rows).toEqual(pairs.map((p) => [p.i, workingDaysBetween(p.a, p.b)]));

    const adds = Array.from({ length: 3000 }, (_, i) => ({
      i,
      t: Math.min(instant(), TO - 120 * DAY),
      n: Math.floor(r() ** 2 * 60),
    }));
    const due = await conn.query(
      `SELECT i, epoch_ms(add_working_days(${ts('t')}, n))
      FROM (SELECT unnest(from_json($rows::JSON, '[{"i":"INTEGER","t":"BIGINT","n":"INTEGER"}]'), recursive := true)) ORDER BY i`,
      { rows: JSON.stringify(adds) },
    );
    expect(due.rows).toEqual(adds.map((a) => [a.i, addWorkingDays(a.t, a.n).getTime()]));
    for (const a of adds) {
      const end = addWorkingDays(a.t, a.n).getTime();
      expect(workingDaysBetween(a.t, end)).toBe(a.n);
      if (a.n > 0) expect(workingDaysBetween(a.t, end - 1)).toBeLessThan(a.n); // the earliest such instant
    }
  });
});
