// Value schemas the definition headers share: durations written as 90s, 5m, 1h or 1d, and finite numbers.
import { z } from 'zod';

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
const DURATION_MESSAGE = 'must be a duration such as 90s, 5m, 1h or 1d';

/** '90s', '5m', '1h', '1d' → milliseconds. */
export function parseDuration(s: string): number | null {
  const m = /^(\d+)\s*(s|m|h|d)$/.exec(s.trim());
  return m ? Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS] : null;
}

/** A duration in milliseconds; zero allowed (`for: 0s` opens at once). */
export const duration = z.string().transform((s, ctx) => {
  const ms = parseDuration(s);
  if (ms === null) {
    ctx.addIssue({ code: 'custom', message: DURATION_MESSAGE });
    return z.NEVER;
  }
  return ms;
});

/** A duration of some length: windows, ranges and lateness cannot be empty. */
export const positiveDuration = duration.refine((ms) => ms > 0, { message: DURATION_MESSAGE });

/** A header number: text coerced, NaN and infinities refused. */
export const finiteNumber = z.coerce.number({ error: 'must be a number' });
