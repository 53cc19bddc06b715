// How far back the wall looks for one indicator: the tiles' sparkline span, and so the snapshot's `from`.
import type { Indicator } from '../shared/wire/index.ts';
import { windowMs } from './format.ts';

const TWO_HOURS = 2 * 3_600_000;
/** Fewer windows than this over two hours (hourly indicators) would be no line at all; widen the span. */
const MIN_WINDOWS = 6;

export function historySpanMs(indicator: Indicator): number {
  const w = windowMs(indicator.window) ?? 60_000;
  return Math.max(TWO_HOURS, w * MIN_WINDOWS);
}
