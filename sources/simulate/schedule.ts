// The order in which devices report: one cycle in which each device appears in proportion to its weight, evenly spaced.
import type { Emitter } from './emitter.ts';
import type { Rng } from './prng.ts';

// Weights are resolved to quarters: a device of weight 0.5 reports twice per cycle, an ordinary one four times.
const SLOTS_PER_WEIGHT = 4;

/**
 * Device i gets kᵢ slots at times (uᵢ + j)/kᵢ, j < kᵢ, with a random phase uᵢ; sorting all slots by time spaces
 * each device's reports evenly round the cycle, as a device on a fixed period would, without synchronised bursts.
 */
export function buildCycle(emitters: readonly Emitter[], rng: Rng): Int32Array {
  const slots: { device: number; at: number }[] = [];
  emitters.forEach((e, device) => {
    const k = Math.max(1, Math.round(e.weight * SLOTS_PER_WEIGHT));
    const phase = rng();
    for (let j = 0; j < k; j++) slots.push({ device, at: (phase + j) / k });
  });
  slots.sort((a, b) => a.at - b.at || a.device - b.device);
  return Int32Array.from(slots, (s) => s.device);
}
