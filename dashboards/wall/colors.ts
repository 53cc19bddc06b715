// Colour decisions of the wall: device status colours, threshold levels and the choropleth's good-to-bad scale.
import { VN_AQI_CATEGORIES, type DeviceStatus, type Indicator } from '../shared/wire/index.ts';

export type Rgba = [number, number, number, number];

export const STATUS_COLORS: Record<DeviceStatus, Rgba> = {
  ok: [46, 204, 113, 235],
  warn: [245, 176, 65, 245],
  alert: [239, 68, 68, 255],
  silent: [128, 138, 150, 200],
};

/** Good to bad; chosen to stay distinguishable on the dark background and for common colour blindness. */
const GOOD_TO_BAD: readonly Rgba[] = [
  [26, 152, 128, 255],
  [120, 190, 90, 255],
  [238, 200, 72, 255],
  [240, 130, 55, 255],
  [215, 48, 60, 255],
  [140, 24, 70, 255],
];

export const NO_DATA_FILL: Rgba = [44, 52, 64, 170];

export type Level = 'ok' | 'warn' | 'alert' | 'none';

/** Where a value stands against the indicator's thresholds, honouring which way is better. */
export function levelOf(indicator: Indicator, value: number | null | undefined): Level {
  if (value === null || value === undefined) return 'none';
  const { warn, alert } = indicator.thresholds;
  if (warn === null && alert === null) return 'none';
  const worse =
    indicator.direction === 'down'
      ? (v: number, limit: number) => v >= limit
      : (v: number, limit: number) => v <= limit;
  if (alert !== null && worse(value, alert)) return 'alert';
  if (warn !== null && worse(value, warn)) return 'warn';
  return 'ok';
}

export interface ScaleStop {
  value: number;
  color: Rgba;
}

/** A piecewise-linear colour scale; stops are sorted by value. */
export interface ColorScale {
  stops: ScaleStop[];
  min: number;
  max: number;
  /** "thresholds": fixed by the indicator's levels; "extent": stretched over the current values (or none). */
  basis: 'thresholds' | 'extent';
  /** False when no district has a value yet. */
  hasValues: boolean;
  /** Bands, not a ramp: a value takes the colour of the first stop at or above it (VN_AQI categories). */
  stepped?: boolean;
}

/** `#RRGGBB` as an opaque deck.gl colour. */
export function hexRgba(hex: string): Rgba {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255, 255];
}

/** VN_AQI (Decision 1459, Table 1): each band's highest index and its official colour. */
export const VN_AQI_BANDS: readonly { max: number; color: Rgba; vi: string; en: string }[] = VN_AQI_CATEGORIES.map(
  (c) => ({ max: c.max, color: hexRgba(c.color), vi: c.vi, en: c.en }),
);

function lerp(a: Rgba, b: Rgba, f: number): Rgba {
  return [0, 1, 2, 3].map((i) => Math.round(a[i]! + (b[i]! - a[i]!) * f)) as Rgba;
}

export function colorAt(scale: ColorScale, value: number): Rgba {
  const { stops } = scale;
  if (scale.stepped) return (stops.find((s) => Math.round(value) <= s.value) ?? stops[stops.length - 1]!).color;
  const first = stops[0]!;
  if (value <= first.value) return first.color;
  for (let i = 1; i < stops.length; i++) {
    const hi = stops[i]!;
    if (value <= hi.value) {
      const lo = stops[i - 1]!;
      const span = hi.value - lo.value;
      return lerp(lo.color, hi.color, span > 0 ? (value - lo.value) / span : 1);
    }
  }
  return stops[stops.length - 1]!.color;
}

function extentOf(values: Iterable<number | null>): [number, number] | null {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v === null || !Number.isFinite(v)) continue;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return min <= max ? [min, max] : null;
}

/**
 * With thresholds, the map shows how far each district is from trouble (green well inside, red past
 * the alert level) so "all green" means "all fine". Without them it spreads the current districts
 * over the whole palette, oriented so the worse end is red. Before the catalogue arrives there is no
 * indicator and no value: every district gets the no-data fill.
 */
export function scaleFor(indicator: Indicator | undefined, values: Iterable<number | null>): ColorScale {
  const extent = extentOf(values);
  if (indicator?.scale === 'vn_aqi') {
    return {
      stops: VN_AQI_BANDS.map((b) => ({ value: b.max, color: b.color })),
      min: 0,
      max: 500,
      basis: 'thresholds',
      hasValues: extent !== null,
      stepped: true,
    };
  }
  const { warn, alert } = indicator?.thresholds ?? { warn: null, alert: null };
  const down = (indicator?.direction ?? 'down') !== 'up';
  const ordered = warn !== null && alert !== null && (down ? warn < alert : warn > alert);

  if (ordered) {
    const gap = Math.abs(alert - warn);
    const good = down
      ? Math.min(extent?.[0] ?? Infinity, Math.max(0, warn - 2 * gap))
      : Math.max(extent?.[1] ?? -Infinity, warn + 2 * gap);
    const worst = down
      ? Math.max(extent?.[1] ?? -Infinity, alert + gap)
      : Math.min(extent?.[0] ?? Infinity, Math.max(0, alert - gap));
    const stops: ScaleStop[] = [
      { value: good, color: GOOD_TO_BAD[0]! },
      { value: (good + warn) / 2, color: GOOD_TO_BAD[1]! },
      { value: warn, color: GOOD_TO_BAD[2]! },
      { value: alert, color: GOOD_TO_BAD[4]! },
      { value: worst, color: GOOD_TO_BAD[5]! },
    ];
    stops.sort((a, b) => a.value - b.value);
    return {
      stops,
      min: stops[0]!.value,
      max: stops[stops.length - 1]!.value,
      basis: 'thresholds',
      hasValues: extent !== null,
    };
  }

  let [min, max] = extent ?? [0, 1];
  if (max - min < 1e-9) {
    // One district or all equal: give the scale some width so the colour is mid-range, not an extreme.
    const pad = Math.abs(min) * 0.1 || 1;
    min -= pad;
    max += pad;
  }
  const palette = GOOD_TO_BAD.slice(0, 5);
  const ordering = down ? palette : [...palette].reverse();
  const stops = ordering.map((color, i) => ({ value: min + ((max - min) * i) / (ordering.length - 1), color }));
  return { stops, min, max, basis: 'extent', hasValues: extent !== null };
}

export function cssColor([r, g, b, a]: Rgba): string {
  return `rgba(${r}, ${g}, ${b}, ${(a / 255).toFixed(2)})`;
}
