// Small helpers for measured series: quantiles, and waiting for a counter to settle.

/** The q-quantile (0–1) of the values, by the nearest rank; NaN for none. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

export function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Polls `read` until it reaches `target` or has not grown for `idleMs`; returns its last value. A counter that
 * never starts gives up after `startMs`.
 */
export async function settle(
  read: () => Promise<number>,
  target: number,
  idleMs: number,
  startMs = 60_000,
  everyMs = 100,
): Promise<number> {
  let last = await read();
  let changedAt = Date.now();
  for (;;) {
    if (last >= target) return last;
    await sleep(everyMs);
    const now = await read();
    if (now !== last) {
      last = now;
      changedAt = Date.now();
    } else if (Date.now() - changedAt > (last === 0 ? startMs : idleMs)) return last;
  }
}
