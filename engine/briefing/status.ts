// Where a period's value stands against the indicator's target and thresholds: met, at risk or missed.
import type { ViewDef } from '../views/index.ts';
import type { Kpi } from '../../dashboards/shared/wire/index.ts';

type KpiStatus = NonNullable<Kpi['status']>;

/**
 * Past the alert level is missed. With a target, reaching it is met and anything short of it (but not past the
 * alert level) is at risk; without one, past the warning level is at risk. No target and no thresholds: no status.
 */
export function kpiStatus(
  v: Pick<ViewDef, 'direction' | 'target' | 'thresholds'>,
  value: number | null,
): KpiStatus | null {
  if (value === null || !Number.isFinite(value)) return null;
  const target = v.target ?? null;
  const warn = v.thresholds?.warn ?? null;
  const alert = v.thresholds?.alert ?? null;
  if (target === null && warn === null && alert === null) return null;
  // "neutral" has no better side of its own; its target (if any) is read as a ceiling, like "down".
  const up = v.direction === 'up';
  const reaches = (x: number, limit: number): boolean => (up ? x <= limit : x >= limit);
  if (alert !== null && reaches(value, alert)) return 'missed';
  if (target !== null) {
    const meets = up ? value >= target : value <= target;
    if (meets) return 'met';
    return alert === null && warn === null ? 'missed' : 'at_risk';
  }
  if (warn !== null && reaches(value, warn)) return 'at_risk';
  return 'met';
}

/** True when `a` is better than `b` for this indicator (ties are not better). */
export function better(direction: string, a: number, b: number): boolean {
  return direction === 'up' ? a > b : a < b;
}
