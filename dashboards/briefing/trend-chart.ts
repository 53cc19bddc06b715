// A small print-friendly SVG line chart of one KPI's trend, with its thresholds and, for VN_AQI, the category bands.
import { VN_AQI_CATEGORIES } from '../shared/wire/index.ts';

export interface TrendChartOptions {
  from: number;
  to: number;
  width: number;
  height: number;
  warn: number | null;
  alert: number | null;
  /** 'vn_aqi' shades the background with the VN_AQI bands so the scale is on the chart itself. */
  scale: string | null;
  format: (v: number) => string;
}

/** Markup from numbers and formatted numbers only; safe for innerHTML. */
export function trendChartSvg(points: readonly { t: string; value: number | null }[], o: TrendChartOptions): string {
  const padL = 34;
  const padR = 6;
  const padT = 6;
  const padB = 6;
  const values = points.filter((p): p is { t: string; value: number } => p.value !== null);
  if (values.length === 0) {
    return `<svg class="trend" viewBox="0 0 ${o.width} ${o.height}" aria-hidden="true"><line x1="${padL}" x2="${o.width - padR}" y1="${o.height - padB}" y2="${o.height - padB}" class="trend-empty"/></svg>`;
  }
  let min = Math.min(...values.map((p) => p.value));
  let max = Math.max(...values.map((p) => p.value));
  for (const g of [o.warn, o.alert]) {
    if (g !== null && g <= max * 1.5 && g >= min * 0.5) {
      min = Math.min(min, g);
      max = Math.max(max, g);
    }
  }
  if (o.scale === 'vn_aqi') min = 0;
  if (min > 0 && min < max * 0.35) min = 0;
  if (max - min < 1e-9) {
    max += 1;
    min = Math.max(0, min - 1);
  }
  const x = (t: number): number => padL + ((t - o.from) / Math.max(o.to - o.from, 1)) * (o.width - padL - padR);
  const y = (v: number): number =>
    padT + (1 - (Math.min(Math.max(v, min), max) - min) / (max - min)) * (o.height - padT - padB);
  const parts: string[] = [];
  if (o.scale === 'vn_aqi') {
    let lo = 0;
    for (const c of VN_AQI_CATEGORIES) {
      if (lo < max) {
        parts.push(
          `<rect x="${padL}" width="${o.width - padL - padR}" y="${y(Math.min(c.max, max)).toFixed(1)}" height="${(y(lo) - y(Math.min(c.max, max))).toFixed(1)}" fill="${c.color}" opacity="0.18"/>`,
        );
      }
      lo = c.max;
    }
  }
  parts.push(
    `<line x1="${padL}" x2="${o.width - padR}" y1="${o.height - padB}" y2="${o.height - padB}" class="trend-axis"/>`,
  );
  for (const [g, cls] of [
    [o.warn, 'warn'],
    [o.alert, 'alert'],
  ] as const) {
    if (g !== null && g >= min && g <= max) {
      parts.push(
        `<line x1="${padL}" x2="${o.width - padR}" y1="${y(g).toFixed(1)}" y2="${y(g).toFixed(1)}" class="trend-guide ${cls}"/>`,
      );
    }
  }
  parts.push(`<text x="${padL - 4}" y="${(padT + 8).toFixed(1)}" class="trend-tick">${o.format(max)}</text>`);
  parts.push(`<text x="${padL - 4}" y="${(o.height - padB).toFixed(1)}" class="trend-tick">${o.format(min)}</text>`);
  // A missing bucket breaks the line rather than drawing a slope across it.
  let d = '';
  let pen = false;
  for (const p of points) {
    if (p.value === null) {
      pen = false;
      continue;
    }
    d += `${pen ? 'L' : 'M'}${x(Date.parse(p.t)).toFixed(1)},${y(p.value).toFixed(1)}`;
    pen = true;
  }
  parts.push(`<path d="${d}" class="trend-line"/>`);
  const last = values[values.length - 1]!;
  parts.push(
    `<circle cx="${x(Date.parse(last.t)).toFixed(1)}" cy="${y(last.value).toFixed(1)}" r="2.5" class="trend-dot"/>`,
  );
  return `<svg class="trend" viewBox="0 0 ${o.width} ${o.height}" role="img">${parts.join('')}</svg>`;
}
