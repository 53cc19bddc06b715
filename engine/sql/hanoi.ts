// Hanoi time in SQL, the same integer arithmetic as the TypeScript helpers (dashboards/shared/wire/hanoi-time.ts) and
// the views' macros (views/_macros/hanoi_time.sql): an expression per question, over any TIMESTAMPTZ expression.
import { DAY_MS, HANOI_OFFSET_MS, HOUR_MS } from '../../dashboards/shared/wire/hanoi-time.ts';

/**
 * DuckDB's `//` truncates toward zero, so before 1970 it would round a day or a window up instead of down. Adding
 * 2000 Gregorian years (a whole number of days and of weeks) first keeps the dividend positive for every instant
 * since 31 BC, and `//` floors; the shift is taken off again after the division, at no cost per row.
 */
const EPOCH_SHIFT_DAYS = 5 * 146_097;
const EPOCH_SHIFT_MS = EPOCH_SHIFT_DAYS * DAY_MS;

/** The shift rounded up to a whole number of windows, so a window boundary stays a window boundary. */
const shiftFor = (windowMs: number): number => Math.ceil(EPOCH_SHIFT_MS / windowMs) * windowMs;

/** Epoch milliseconds of the start of the Hanoi-aligned window of `windowMs` that holds `t`. */
export function hanoiWindowStartMsSql(t: string, windowMs: number): string {
  if (!Number.isSafeInteger(windowMs) || windowMs <= 0) throw new RangeError(`not a window length: ${windowMs}`);
  const shift = HANOI_OFFSET_MS + shiftFor(windowMs);
  return `((epoch_ms(${t}) + ${shift}) // ${windowMs} * ${windowMs} - ${shift})`;
}

/** The start of the Hanoi-aligned window of `windowMs` that holds `t`, as a TIMESTAMPTZ. */
export function hanoiWindowStartSql(t: string, windowMs: number): string {
  return `to_timestamp(${hanoiWindowStartMsSql(t, windowMs)} / 1000)`;
}

/** The Hanoi calendar day of `t` as a DATE (the `hanoi_date` macro, inlined where the macros are not installed). */
export function hanoiDateSql(t: string): string {
  return `(DATE '1970-01-01' + ((epoch_ms(${t}) + ${HANOI_OFFSET_MS + EPOCH_SHIFT_MS}) // ${DAY_MS} - ${EPOCH_SHIFT_DAYS})::INTEGER)`;
}

/** The Hanoi calendar day of an epoch-milliseconds expression (BIGINT or DOUBLE) as a DATE. */
export function hanoiDateOfMsSql(ms: string): string {
  return `(DATE '1970-01-01' + ((${ms}::BIGINT + ${HANOI_OFFSET_MS + EPOCH_SHIFT_MS}) // ${DAY_MS} - ${EPOCH_SHIFT_DAYS})::INTEGER)`;
}

/** The Hanoi hour of day of `t`, 0–23 (the `hanoi_hour` macro). */
export function hanoiHourSql(t: string): string {
  return `(((epoch_ms(${t}) + ${HANOI_OFFSET_MS + EPOCH_SHIFT_MS}) // ${HOUR_MS}) % 24)`;
}
