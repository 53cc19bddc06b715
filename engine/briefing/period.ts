// The period a briefing covers: a Hanoi day or the week that starts on it, and the trend buckets inside it.
import { EngineError } from '../errors.ts';
import { DAY_MS, HOUR_MS, hanoiDate, hanoiDateStart, timestampParam } from '../sql/index.ts';

export type Span = 'day' | 'week';

export interface Period {
  /** YYYY-MM-DD, the first Hanoi day of the period. */
  date: string;
  span: Span;
  /** Epoch ms of Hanoi midnight starting the period, and of the one ending it (exclusive). */
  from: number;
  to: number;
}

/** Today's date in Hanoi (UTC+7, no daylight saving). */
export function hanoiToday(now = Date.now()): string {
  return hanoiDate(now);
}

export function periodOf(date: string, span: Span): Period {
  const from = hanoiDateStart(date);
  // Date.parse rolls 2026-02-31 over to March: a real calendar date must read back the same.
  if (Number.isNaN(from) || hanoiDate(from) !== date) {
    throw new EngineError('bad_request', `field "date": must be a calendar date YYYY-MM-DD, e.g. ${hanoiToday()}`);
  }
  return { date, span, from, to: from + (span === 'week' ? 7 : 1) * DAY_MS };
}

/** The period just before, of the same length: what "change" is measured against. */
export function previousPeriod(p: Period): Period {
  const len = p.to - p.from;
  return { date: hanoiToday(p.from - len), span: p.span, from: p.from - len, to: p.from };
}

/**
 * Trend buckets: hours for a day, days for a week, never finer than the view's window. A daily view has one point
 * in a day, so its day trend shows the week ending with that day instead.
 */
export function trendRange(p: Period, windowMs: number): { from: number; to: number; bucketMs: number } {
  const wanted = p.span === 'day' ? HOUR_MS : DAY_MS;
  const bucketMs = Math.max(wanted, windowMs);
  const from = p.span === 'day' && windowMs >= DAY_MS ? p.to - 7 * DAY_MS : p.from;
  // A bucket must be a whole number of windows for the merge rule to hold.
  return { from, to: p.to, bucketMs: bucketMs % windowMs === 0 ? bucketMs : windowMs };
}

/** The period's rows of a rollup, bounded by the parameters `bounds` gives. */
export const PERIOD = 't >= $from::TIMESTAMPTZ AND t < $to::TIMESTAMPTZ';
export const bounds = (p: Period): { from: string; to: string } => ({
  from: timestampParam(p.from),
  to: timestampParam(p.to),
});
