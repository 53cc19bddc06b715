// Hanoi local time (UTC+7 all year, no daylight saving) for daily rhythms and RFC 3339 timestamps.

const OFFSET_MS = 7 * 3_600_000;
const DAY_MS = 86_400_000;

/** Hour of the day in Hanoi, fractional: 7.5 is 07:30. */
export function hanoiHour(ms: number): number {
  return (((ms + OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS / 3_600_000;
}

/** Month in Hanoi, 0 = January. */
export function hanoiMonth(ms: number): number {
  return new Date(ms + OFFSET_MS).getUTCMonth();
}

/** Days since the epoch in Hanoi, for things that change day by day. */
export function hanoiDay(ms: number): number {
  return Math.floor((ms + OFFSET_MS) / DAY_MS);
}

/** `2026-11-27T08:00:00.000+07:00`: the way a device configured for Hanoi stamps its readings. */
export function rfc3339Hanoi(ms: number): string {
  return new Date(ms + OFFSET_MS).toISOString().slice(0, -1) + '+07:00';
}

/** The moment `days` working days (Monday–Friday) after `ms`, as legal deadlines for dossiers count. */
export function addWorkingDays(ms: number, days: number): number {
  let t = ms;
  let left = days;
  while (left > 0) {
    t += DAY_MS;
    const weekday = new Date(t + OFFSET_MS).getUTCDay();
    if (weekday !== 0 && weekday !== 6) left--;
  }
  return t;
}
