// Map legends: the selected indicator's colour ramp with its unit and thresholds, and the device status key.
import type { Indicator } from '../shared/wire/index.ts';
import { unitLabel } from '../shared/units.ts';
import type { HexMetric } from './hex-bins.ts';
import { HEX_BANDS } from './layers/hexes.ts';
import { FEEDBACK_HEAT } from './layers/feedback-heat.ts';
import type { FeedbackShow } from './feedback-heat.ts';
import { cssColor, NO_DATA_FILL, STATUS_COLORS, VN_AQI_BANDS, type ColorScale } from './colors.ts';
import { escapeHtml, formatValue, formatWindow } from './format.ts';
import { strings, type Lang } from './i18n.ts';

export function renderIndicatorLegend(
  container: HTMLElement,
  indicator: Indicator | undefined,
  scale: ColorScale,
  lang: Lang,
): void {
  const s = strings(lang);
  if (!indicator) {
    container.innerHTML = `<div class="legend-empty">${s.waiting}</div>`;
    return;
  }
  const unit = unitLabel(indicator.unit, lang);
  if (scale.stepped && indicator.scale === 'vn_aqi') {
    // Categories, not a ramp: the scale is named on the chart, as Decision 1459 asks of every publication.
    const bands = VN_AQI_BANDS.map(
      (b, i) =>
        `<span class="band" style="--c:${cssColor(b.color)}"><i></i>${i === 0 ? 0 : VN_AQI_BANDS[i - 1]!.max + 1}–${b.max} ${escapeHtml(lang === 'vi' ? b.vi : b.en)}</span>`,
    ).join('');
    container.innerHTML =
      `<div class="legend-title"><span>${escapeHtml(indicator.title[lang])}</span><span class="legend-unit">${escapeHtml(unit)} · ${escapeHtml(formatWindow(indicator.window, lang))}</span></div>` +
      `<div class="legend-scale">${escapeHtml(s.aqiScale)}</div><div class="legend-bands">${bands}</div>` +
      `<div class="legend-nodata"><span class="swatch" style="background:${cssColor(NO_DATA_FILL)}"></span>${s.noData}</div>`;
    return;
  }
  const span = scale.max - scale.min || 1;
  const pct = (v: number): number => Math.min(100, Math.max(0, ((v - scale.min) / span) * 100));
  const gradient = scale.stops
    .map(({ color: [r, g, b], value }) => `rgb(${r}, ${g}, ${b}) ${pct(value).toFixed(1)}%`)
    .join(', ');
  const ticks: { value: number; cls: string }[] = [
    { value: scale.min, cls: 'edge' },
    { value: scale.max, cls: 'edge' },
  ];
  const { warn, alert } = indicator.thresholds;
  if (warn !== null && warn > scale.min && warn < scale.max) ticks.push({ value: warn, cls: 'warn' });
  if (alert !== null && alert > scale.min && alert < scale.max) ticks.push({ value: alert, cls: 'alert' });
  const tickHtml = ticks
    .map(
      (t) =>
        `<span class="tick ${t.cls}" style="left:${pct(t.value).toFixed(1)}%">${formatValue(t.value, s.locale)}</span>`,
    )
    .join('');
  // A ramp stretched over no values would invent a range; say there is nothing yet instead.
  const ramp =
    scale.basis === 'extent' && !scale.hasValues
      ? ''
      : `<div class="legend-ramp" style="background: linear-gradient(90deg, ${gradient})"></div><div class="legend-ticks">${tickHtml}</div>`;
  container.innerHTML =
    `<div class="legend-title"><span>${escapeHtml(indicator.title[lang])}</span><span class="legend-unit">${escapeHtml(
      unit,
    )} · ${escapeHtml(formatWindow(indicator.window, lang))}</span></div>` +
    ramp +
    `<div class="legend-nodata"><span class="swatch" style="background:${cssColor(NO_DATA_FILL)}"></span>${s.noData}</div>`;
}

/** Counts per status in the order ok, warn, alert, silent (the entity buffer keeps them as devices change). */
export function renderDeviceLegend(container: HTMLElement, counts: readonly number[], lang: Lang): void {
  const s = strings(lang);
  const total = counts.reduce((a, b) => a + b, 0);
  const items = (['ok', 'warn', 'alert', 'silent'] as const)
    .map(
      (status, i) =>
        `<span class="key"><span class="dot" style="background:${cssColor(STATUS_COLORS[status])}"></span>${s.status[status]} <b>${formatValue(
          counts[i] ?? 0,
          s.locale,
        )}</b></span>`,
    )
    .join('');
  container.innerHTML = `<div class="legend-title"><span>${s.devices}</span><span class="legend-unit">${formatValue(
    total,
    s.locale,
  )}</span></div><div class="keys">${items}</div>`;
}

/** The H3 heat layer's bands, with the scale named (VN_AQI breakpoints for PM2.5). */
export function renderHexLegend(container: HTMLElement, metric: HexMetric | null, lang: Lang): void {
  const s = strings(lang);
  if (!metric) {
    container.innerHTML = '';
    return;
  }
  const bands = HEX_BANDS[metric];
  const unit = metric === 'pm25' ? 'µg/m³' : 'km/h';
  let lo = 0;
  const items = bands
    .map((b) => {
      const range = Number.isFinite(b.max)
        ? `${formatValue(lo, s.locale)}–${formatValue(b.max, s.locale)}`
        : `> ${formatValue(lo, s.locale)}`;
      lo = b.max;
      return `<span class="band" style="--c:${cssColor(b.color)}"><i></i>${range} ${escapeHtml(b.label[lang])}</span>`;
    })
    .join('');
  container.innerHTML = `<div class="legend-scale">${escapeHtml(metric === 'pm25' ? s.hexPm25Scale : s.hexSpeedScale)} · ${unit}</div><div class="legend-bands">${items}</div>`;
}

/** The reports' heat steps as counts per cell (they follow the busiest cell), and how many reports are drawn. */
export function renderFeedbackLegend(
  container: HTMLElement,
  shown: FeedbackShow | null,
  heat: { steps: readonly number[]; total: number | null },
  lang: Lang,
): void {
  const s = strings(lang);
  if (!shown) {
    container.innerHTML = '';
    return;
  }
  let lo = 1;
  const items = FEEDBACK_HEAT.map((color, i) => {
    const hi = heat.steps[i] ?? lo;
    const range = hi > lo ? `${formatValue(lo, s.locale)}–${formatValue(hi, s.locale)}` : formatValue(lo, s.locale);
    const item = hi >= lo ? `<span class="band" style="--c:${cssColor(color)}"><i></i>${range}</span>` : '';
    lo = hi + 1;
    return item;
  }).join('');
  const total = heat.total === null ? s.waiting : s.feedbackTotal(heat.total);
  container.innerHTML = `<div class="legend-scale">${escapeHtml(s.feedbackScale(shown))} · ${escapeHtml(total)}</div><div class="legend-bands">${items}</div>`;
}
