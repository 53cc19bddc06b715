// Working days in Hanoi (UTC+7, no DST): Monday to Friday, minus the listed days off, plus the make-up Saturdays.
// views/_macros/working_days.sql computes the same in DuckDB; keep the two in step (the tests compare them).
import { DAY_MS, hanoiDateStart, hanoiDay, hanoiMsOfDay } from '../sql/index.ts';
import { DEFAULT_HOLIDAYS_FILE, readHolidaysFile, type Holiday } from './holidays-file.ts';

/** An instant: a Date, epoch milliseconds, an ISO timestamp with a zone, or 'YYYY-MM-DD' (midnight in Hanoi). */
export type Instant = Date | number | string;

// Day numbers count whole Hanoi days since 1970-01-01; day 4 (1970-01-05) is a Monday.
const FIRST_MONDAY = 4;

const floorDiv = (a: number, b: number) => Math.floor(a / b);

function dayOfDate(date: string): number {
  return Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)) - 1, Number(date.slice(8, 10))) / DAY_MS;
}

/** Mondays to Fridays among the day numbers before x. */
function weekdaysBefore(x: number): number {
  const k = x - FIRST_MONDAY;
  const weeks = floorDiv(k, 7);
  return 5 * weeks + Math.min(k - 7 * weeks, 5);
}

function isWeekend(day: number): boolean {
  return (((day - FIRST_MONDAY) % 7) + 7) % 7 >= 5;
}

/** How many sorted values lie in [x, y). */
function countIn(sorted: readonly number[], x: number, y: number): number {
  return lowerBound(sorted, y) - lowerBound(sorted, x);
}

function lowerBound(sorted: readonly number[], v: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export function toEpochMs(t: Instant): number {
  let ms: number;
  if (t instanceof Date) ms = t.getTime();
  else if (typeof t === 'number') ms = t;
  else if (/^\d{4}-\d{2}-\d{2}$/.test(t)) ms = hanoiDateStart(t);
  else if (/(?:[zZ]|[+-]\d{2}:?\d{2})$/.test(t)) ms = Date.parse(t);
  else throw new RangeError(`"${t}" is neither YYYY-MM-DD nor an ISO timestamp with a time zone`);
  if (!Number.isFinite(ms)) throw new RangeError(`invalid instant ${String(t)}`);
  return ms;
}

export class WorkingCalendar {
  /** Weekdays that are days off, as sorted day numbers. */
  private readonly off: number[];
  /** Saturdays and Sundays that are worked, as sorted day numbers. */
  private readonly work: number[];
  /** The years the list covers ('YYYY-MM-DD' bounds); outside them only weekends count as days off. */
  readonly coverage: { from: string; to: string } | null;

  constructor(readonly holidays: readonly Holiday[]) {
    const days = holidays.map((h) => ({ day: dayOfDate(h.date), kind: h.kind }));
    this.off = days
      .filter((d) => d.kind === 'off' && !isWeekend(d.day))
      .map((d) => d.day)
      .sort((a, b) => a - b);
    this.work = days
      .filter((d) => d.kind === 'work' && isWeekend(d.day))
      .map((d) => d.day)
      .sort((a, b) => a - b);
    const years = holidays.map((h) => h.date.slice(0, 4)).sort();
    this.coverage = years.length ? { from: `${years[0]}-01-01`, to: `${years[years.length - 1]}-12-31` } : null;
  }

  /** Whether the Hanoi day of the instant (or the 'YYYY-MM-DD' day) is a working day. */
  isWorkingDay(date: Instant): boolean {
    return this.isWorking(hanoiDay(toEpochMs(date)));
  }

  /**
   * Working time from a to b in days: each working day counts 1 from midnight to midnight, a partial day the
   * fraction elapsed; negative when b is before a. Math.floor of it gives whole working days.
   */
  workingDaysBetween(a: Instant, b: Instant): number {
    const ta = toEpochMs(a);
    const tb = toEpochMs(b);
    return ta <= tb ? this.between(ta, tb) : -this.between(tb, ta);
  }

  /**
   * The earliest instant with workingDaysBetween(start, ·) = n, n a whole number ≥ 0: from inside a working day,
   * the same time of day n working days later; from a day off or from midnight, the end (next midnight) of the
   * n-th working day counted.
   */
  addWorkingDays(start: Instant, n: number): Date {
    if (!Number.isInteger(n) || n < 0) throw new RangeError(`n must be a whole number ≥ 0, got ${n}`);
    const t = toEpochMs(start);
    if (n === 0) return new Date(t);
    const x = hanoiDay(t);
    const f = hanoiMsOfDay(t);
    if (f > 0 && this.isWorking(x)) return new Date(t + (this.nthAfter(x, n) - x) * DAY_MS);
    // Midnight is the end of the day before: count from that day.
    return new Date(t + (this.nthAfter(f === 0 ? x - 1 : x, n) + 1 - x) * DAY_MS - f);
  }

  /** The n-th working day after day number x (n ≥ 1). */
  private nthAfter(x: number, n: number): number {
    let d = x;
    let left = n;
    while (left > 0) {
      d++;
      if (this.isWorking(d)) left--;
    }
    return d;
  }

  /** Working days among the day numbers [x, y), x ≤ y. */
  private count(x: number, y: number): number {
    return weekdaysBefore(y) - weekdaysBefore(x) - countIn(this.off, x, y) + countIn(this.work, x, y);
  }

  private isWorking(day: number): boolean {
    return this.count(day, day + 1) === 1;
  }

  private between(ta: number, tb: number): number {
    const da = hanoiDay(ta);
    const db = hanoiDay(tb);
    // Integer milliseconds first and one division last (as wd_between in the SQL twin): whole days come out exact.
    const ms =
      this.count(da, db) * DAY_MS +
      this.count(db, db + 1) * hanoiMsOfDay(tb) -
      this.count(da, da + 1) * hanoiMsOfDay(ta);
    return ms / DAY_MS;
  }
}

export function loadCalendar(path: string = DEFAULT_HOLIDAYS_FILE): WorkingCalendar {
  return new WorkingCalendar(readHolidaysFile(path));
}

let shipped: WorkingCalendar | undefined;

/** The calendar of the shipped holidays file, read on first use. */
export function defaultCalendar(): WorkingCalendar {
  return (shipped ??= loadCalendar());
}

export function isWorkingDay(date: Instant, calendar: WorkingCalendar = defaultCalendar()): boolean {
  return calendar.isWorkingDay(date);
}

export function addWorkingDays(start: Instant, n: number, calendar: WorkingCalendar = defaultCalendar()): Date {
  return calendar.addWorkingDays(start, n);
}

export function workingDaysBetween(a: Instant, b: Instant, calendar: WorkingCalendar = defaultCalendar()): number {
  return calendar.workingDaysBetween(a, b);
}
