// What every simulated device is to the scheduler: a topic, a share of the traffic, and the next payload.
import type { Rng } from './prng.ts';

export interface Emitter {
  readonly topic: string;
  /** Reports per cycle relative to one ordinary device (a camera reporting once a minute is 1). */
  readonly weight: number;
  /** The next event as JSON text at time `t` (`tag` makes ids unique across runs); null: nothing to report now. */
  next(t: number, tag: string, rng: Rng): string | null;
}

/** A number for JSON with at most `digits` decimals (no exponent for the magnitudes used here). */
export function fixed(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}
