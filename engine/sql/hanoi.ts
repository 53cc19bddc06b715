// Hanoi time in SQL, the same integer arithmetic as the TypeScript helpers (dashboards/shared/wire/hanoi-time.ts) and
// the views' macros (views/_macros/hanoi_time.sql): an expression per question, over any TIMESTAMPTZ expression.
import { DAY_MS, HANOI_OFFSET_MS, HOUR_MS } from '../../dashboards/shared/wire/hanoi-time.ts';

/** Epoch milliseconds of the start of the Hanoi-aligned window of `windowMs` that holds `t`. */
export function hanoiWindowStartMsSql(t: string, windowMs: number): string {
  return `((epoch_ms(${t}) + ${HANOI_OFFSET_MS}) // ${windowMs} * ${windowMs} - ${HANOI_OFFSET_MS})`;
}

/** The start of the Hanoi-aligned window of `windowMs` that holds `t`, as a TIMESTAMPTZ. */
export function hanoiWindowStartSql(t: string, windowMs: number): string {
  return `to_timestamp(${hanoiWindowStartMsSql(t, windowMs)} / 1000)`;
}

/** The Hanoi calendar day of `t` as a DATE (the `hanoi_date` macro, inlined where the macros are not installed). */
export function hanoiDateSql(t: string): string {
  return `(DATE '1970-01-01' + ((epoch_ms(${t}) + ${HANOI_OFFSET_MS}) // ${DAY_MS})::INTEGER)`;
}

/** The Hanoi hour of day of `t`, 0–23 (the `hanoi_hour` macro). */
export function hanoiHourSql(t: string): string {
  return `(((epoch_ms(${t}) + ${HANOI_OFFSET_MS}) // ${HOUR_MS}) % 24)`;
}
