// Response-time targets: an incident should be acknowledged within 1 h of detection and resolved within 4 h.
import type { Incident } from '../shared/wire/index.ts';

export const DETECT_TARGET_MS = 60 * 60_000;
export const RESOLVE_TARGET_MS = 4 * 60 * 60_000;
/** Past this share of its target the clock turns amber, so there is still time to act. */
const AMBER_SHARE = 0.75;

export interface TargetClock {
  /** Which target the incident now runs against: until acknowledged, detection; afterwards, resolution. */
  target: 'detect' | 'fix';
  /** Milliseconds left before the target (negative once past it). */
  leftMs: number;
  level: 'ok' | 'amber' | 'red';
}

export function targetClock(incident: Incident, now: number): TargetClock {
  const target = incident.status === 'open' ? 'detect' : 'fix';
  const limit = target === 'detect' ? DETECT_TARGET_MS : RESOLVE_TARGET_MS;
  const elapsed = now - Date.parse(incident.detectedAt);
  const level = elapsed > limit ? 'red' : elapsed > limit * AMBER_SHARE ? 'amber' : 'ok';
  return { target, leftMs: limit - elapsed, level };
}

/** "1 h 05 min" or "12 min": minutes are what an operator acts on; seconds would only flicker. */
export function formatSpan(ms: number): string {
  const minutes = Math.floor(Math.abs(ms) / 60_000);
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return h > 0 ? `${h} h ${String(m).padStart(2, '0')} min` : `${m} min`;
}
