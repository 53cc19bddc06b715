// Map legends: the selected indicator's colour ramp with its unit and thresholds, and the device status key.
import type { Device, Indicator } from '../shared/messages.ts';
import { cssColor, NO_DATA_FILL, STATUS_COLORS, type ColorScale } from './colors.ts';
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
  const span = scale.max - scale.min || 1;
  const pct = (v: number): number => Math.min(100, Math.max(0, ((v - scale.min) / span) * 100));
  const gradient = scale.stops.map(({ color: [r, g, b], value }) => `rgb(${r}, ${g}, ${b}) ${pct(value).toFixed(1)}%`).join(', ');
  const ticks: { value: number; cls: string }[] = [
    { value: scale.min, cls: 'edge' },
    { value: scale.max, cls: 'edge' },
  ];
  const { warn, alert } = indicator.thresholds;
  if (warn !== null && warn > scale.min && warn < scale.max) ticks.push({ value: warn, cls: 'warn' });
  if (alert !== null && alert > scale.min && alert < scale.max) ticks.push({ value: alert, cls: 'alert' });
  const tickHtml = ticks
    .map((t) => `<span class="tick ${t.cls}" style="left:${pct(t.value).toFixed(1)}%">${formatValue(t.value, s.locale)}</span>`)
    .join('');
  // A ramp stretched over no values would invent a range; say there is nothing yet instead.
  const ramp =
    scale.basis === 'extent' && !scale.hasValues
      ? ''
      : `<div class="legend-ramp" style="background: linear-gradient(90deg, ${gradient})"></div><div class="legend-ticks">${tickHtml}</div>`;
  container.innerHTML =
    `<div class="legend-title"><span>${escapeHtml(indicator.title[lang])}</span><span class="legend-unit">${escapeHtml(
      indicator.unit,
    )} · ${escapeHtml(formatWindow(indicator.window, lang))}</span></div>` +
    ramp +
    `<div class="legend-nodata"><span class="swatch" style="background:${cssColor(NO_DATA_FILL)}"></span>${s.noData}</div>`;
}

export function renderDeviceLegend(container: HTMLElement, devices: Iterable<Device>, lang: Lang): void {
  const s = strings(lang);
  const counts = { ok: 0, warn: 0, alert: 0, silent: 0 };
  let total = 0;
  for (const d of devices) {
    counts[d.status]++;
    total++;
  }
  const items = (['ok', 'warn', 'alert', 'silent'] as const)
    .map(
      (status) =>
        `<span class="key"><span class="dot" style="background:${cssColor(STATUS_COLORS[status])}"></span>${s.status[status]} <b>${formatValue(
          counts[status],
          s.locale,
        )}</b></span>`,
    )
    .join('');
  container.innerHTML = `<div class="legend-title"><span>${s.devices}</span><span class="legend-unit">${formatValue(
    total,
    s.locale,
  )}</span></div><div class="keys">${items}</div>`;
}
