// Hanoi local time (UTC+7 all year, no daylight saving) for daily rhythms and RFC 3339 timestamps.
import { DAY_MS, HANOI_OFFSET_MS, HOUR_MS, hanoiMsOfDay } from '../../dashboards/shared/wire/hanoi-time.ts';

/** Days since the epoch in Hanoi, for things that change day by day; a device's RFC 3339 time in Hanoi. */
export { hanoiDay, hanoiIso as rfc3339Hanoi } from '../../dashboards/shared/wire/hanoi-time.ts';

/** Hour of the day in Hanoi, fractional: 7.5 is 07:30. */
export function hanoiHour(ms: number): number {
  return hanoiMsOfDay(ms) / HOUR_MS;
}

/** Month in Hanoi, 0 = January. */
export function hanoiMonth(ms: number): number {
  return new Date(ms + HANOI_OFFSET_MS).getUTCMonth();
}

/** Whether an agency's office is open: Monday to Friday, 07:30 to 17:30 in Hanoi. */
export function officeHours(ms: number): boolean {
  const weekday = new Date(ms + HANOI_OFFSET_MS).getUTCDay();
  const hour = hanoiHour(ms);
  return weekday !== 0 && weekday !== 6 && hour >= 7.5 && hour < 17.5;
}

/** The moment `days` working days (Monday–Friday) after `ms`, as legal deadlines for dossiers count. */
export function addWorkingDays(ms: number, days: number): number {
  let t = ms;
  let left = days;
  while (left > 0) {
    t += DAY_MS;
    const weekday = new Date(t + HANOI_OFFSET_MS).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return t;
}
