// A tiny inline-SVG line chart of one series over a fixed time span, with optional threshold guide lines.
import type { Point } from './store.ts';

export interface SparklineOptions {
  fromMs: number;
  toMs: number;
  width: number;
  height: number;
  color: string;
  /** Horizontal guide lines (e.g. warn and alert levels) drawn only when inside the data's range. */
  guides?: { value: number; color: string }[];
}

/** SVG markup built from numbers only, so it is safe to assign with innerHTML. */
export function sparklineSvg(points: readonly Point[], options: SparklineOptions): string {
  const { fromMs, toMs, width, height, color } = options;
  const pad = 2;
  const values = points.filter((p) => p.value !== null && p.t >= fromMs && p.t <= toMs);
  if (values.length === 0) {
    return `<svg class="spark" viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" aria-hidden="true"><line x1="0" y1="${
      height - pad
    }" x2="${width}" y2="${height - pad}" class="spark-empty"/></svg>`;
  }
  let min = Infinity;
  let max = -Infinity;
  for (const p of values) {
    min = Math.min(min, p.value!);
    max = Math.max(max, p.value!);
  }
  const guides = (options.guides ?? []).filter(
    (g) => g.value >= min - (max - min) * 0.25 && g.value <= max + (max - min) * 0.25,
  );
  for (const g of guides) {
    min = Math.min(min, g.value);
    max = Math.max(max, g.value);
  }
  if (max - min < 1e-9) {
    min -= 1;
    max += 1;
  }
  const x = (t: number): number => ((t - fromMs) / Math.max(toMs - fromMs, 1)) * width;
  const y = (v: number): number => pad + (1 - (v - min) / (max - min)) * (height - 2 * pad);

  // A null window breaks the line instead of drawing a misleading slope across the gap.
  const segments: string[] = [];
  let current: string[] = [];
  for (const p of points) {
    if (p.t < fromMs || p.t > toMs) continue;
    if (p.value === null) {
      if (current.length) segments.push(current.join(' '));
      current = [];
      continue;
    }
    current.push(`${x(p.t).toFixed(1)},${y(p.value).toFixed(1)}`);
  }
  if (current.length) segments.push(current.join(' '));

  const last = values[values.length - 1]!;
  const first = values[0]!;
  const area = `M${x(first.t).toFixed(1)},${height} L${values
    .map((p) => `${x(p.t).toFixed(1)},${y(p.value!).toFixed(1)}`)
    .join(' L')} L${x(last.t).toFixed(1)},${height} Z`;
  const lines = segments.map(
    (s) =>
      `<polyline points="${s}" fill="none" stroke="${color}" stroke-width="1.6" vector-effect="non-scaling-stroke" stroke-linejoin="round"/>`,
  );
  const guideLines = guides.map(
    (g) =>
      `<line x1="0" x2="${width}" y1="${y(g.value).toFixed(1)}" y2="${y(g.value).toFixed(1)}" stroke="${g.color}" stroke-width="1" stroke-dasharray="3 3" vector-effect="non-scaling-stroke" opacity="0.7"/>`,
  );
  return (
    `<svg class="spark" viewBox="0 0 ${width} ${height}" preserveAspectRatio="none" aria-hidden="true">` +
    `<path d="${area}" fill="${color}" opacity="0.14"/>` +
    guideLines.join('') +
    lines.join('') +
    // A zero-length round-capped line stays a circle although the SVG is stretched to the tile's width.
    `<line x1="${x(last.t).toFixed(1)}" y1="${y(last.value!).toFixed(1)}" x2="${x(last.t).toFixed(1)}" y2="${y(last.value!).toFixed(1)}" stroke="${color}" stroke-width="5" stroke-linecap="round" vector-effect="non-scaling-stroke"/>` +
    `</svg>`
  );
}
