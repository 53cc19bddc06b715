// Hanoi time by integer arithmetic, for the engine and the pages alike: Hanoi keeps UTC+7 all year (no daylight saving),
// so days, hours and windows are offsets from UTC, many times faster than a time-zone database and never ambiguous.

export const HANOI_OFFSET_MS = 7 * 3_600_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

/** Whole Hanoi days since 1970-01-01 (day 0); the Hanoi day that holds the instant. */
export function hanoiDay(ms: number): number {
  return Math.floor((ms + HANOI_OFFSET_MS) / DAY_MS);
}

/** Milliseconds since Hanoi's midnight. */
export function hanoiMsOfDay(ms: number): number {
  return ms + HANOI_OFFSET_MS - hanoiDay(ms) * DAY_MS;
}

/** The Hanoi hour of day, 0–23. */
export function hanoiHour(ms: number): number {
  return Math.floor(hanoiMsOfDay(ms) / HOUR_MS);
}

/** The instant of the Hanoi midnight that starts the instant's day. */
export function hanoiMidnight(ms: number): number {
  return hanoiDay(ms) * DAY_MS - HANOI_OFFSET_MS;
}

/**
 * The start of the window of `windowMs` that holds the instant, aligned on Hanoi time: day windows start at local
 * midnight, shorter ones divide 7 h evenly, so they start where UTC ones would.
 */
export function hanoiWindowStart(ms: number, windowMs: number): number {
  const shifted = ms + HANOI_OFFSET_MS;
  return shifted - (((shifted % windowMs) + windowMs) % windowMs) - HANOI_OFFSET_MS;
}

/** `YYYY-MM-DD` of the Hanoi day that holds the instant. */
export function hanoiDate(ms: number): string {
  return new Date(ms + HANOI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant of Hanoi midnight on a `YYYY-MM-DD` date (NaN when the text is not a date). */
export function hanoiDateStart(date: string): number {
  return /^\d{4}-\d{2}-\d{2}$/.test(date) ? Date.parse(`${date}T00:00:00+07:00`) : Number.NaN;
}

/** `2026-11-27T08:00:00.000+07:00`: an instant written the way a device set to Hanoi time writes it. */
export function hanoiIso(ms: number): string {
  return `${new Date(ms + HANOI_OFFSET_MS).toISOString().slice(0, -1)}+07:00`;
}
