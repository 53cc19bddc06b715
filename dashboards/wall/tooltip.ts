// Hover card for a district (its latest value of every indicator) or a device (its latest reading and status).
import type { PickingInfo } from '@deck.gl/core';
import type { AreaFeature, Device } from '../shared/messages.ts';
import { cssColor, levelOf, STATUS_COLORS } from './colors.ts';
import { escapeHtml, formatHanoiTime, formatValue } from './format.ts';
import { kindLabel, strings, type Lang } from './i18n.ts';
import { AREAS_LAYER_ID } from './layers/areas.ts';
import { DEVICES_LAYER_ID } from './layers/devices.ts';
import type { WallStore } from './store.ts';

type Tooltip = { html: string; className: string; style: Partial<CSSStyleDeclaration> } | null;

/** Keeps the card beside the pointer and flips it left/up near the far edges so it is never cut off. */
function placement(info: PickingInfo): Partial<CSSStyleDeclaration> {
  const width = info.viewport?.width ?? Infinity;
  const height = info.viewport?.height ?? Infinity;
  const x = info.x > width - 360 ? `calc(${info.x - 16}px - 100%)` : `${info.x + 16}px`;
  const y = info.y > height - 260 ? `calc(${info.y - 12}px - 100%)` : `${info.y + 12}px`;
  // Empty strings drop deck.gl's inline defaults so the stylesheet's `.wall-tip` applies.
  return { transform: `translate(${x}, ${y})`, backgroundColor: '', color: '', padding: '' };
}

function areaHtml(feature: AreaFeature, store: WallStore, lang: Lang): string {
  const s = strings(lang);
  const p = feature.properties;
  const name = lang === 'en' && p.nameEn ? p.nameEn : p.name;
  const rows = store.catalogue
    .map((indicator) => {
      const point = store.latest(indicator.name, p.code);
      const level = levelOf(indicator, point?.value);
      return `<tr class="lvl-${level}"><td>${escapeHtml(indicator.title[lang])}</td><td class="num">${formatValue(
        point?.value,
        s.locale,
      )} <span class="unit">${escapeHtml(indicator.unit)}</span></td></tr>`;
    })
    .join('');
  const facts: string[] = [];
  if (p.population) facts.push(`${s.population} ${formatValue(p.population, s.locale)}`);
  if (p.areaKm2) facts.push(`${s.areaKm2} ${formatValue(p.areaKm2, s.locale)} km²`);
  if (p.approximate) facts.push(s.approximate);
  return (
    `<div class="tip-title">${escapeHtml(name)}${p.kind ? ` <span class="tip-sub">${escapeHtml(kindLabel(p.kind, lang))}</span>` : ''}</div>` +
    (rows ? `<table>${rows}</table>` : `<div class="tip-empty">${s.noData}</div>`) +
    (facts.length ? `<div class="tip-foot">${escapeHtml(facts.join(' · '))}</div>` : '')
  );
}

function deviceHtml(device: Device, store: WallStore, lang: Lang): string {
  const s = strings(lang);
  const area = store.areas.find((a) => a.properties.code === device.area)?.properties;
  const areaName = area ? (lang === 'en' && area.nameEn ? area.nameEn : area.name) : device.area;
  const value =
    device.value === null ? '' : `<div class="tip-value">${formatValue(device.value, s.locale)} <span class="unit">${escapeHtml(device.unit ?? '')}</span></div>`;
  return (
    `<div class="tip-title"><span class="dot" style="background:${cssColor(STATUS_COLORS[device.status])}"></span>` +
    `${device.family === 'camera' ? s.camera : s.sensor} ${escapeHtml(device.id)}</div>` +
    `<div class="tip-sub">${escapeHtml(kindLabel(device.kind, lang))}${areaName ? ` · ${escapeHtml(areaName)}` : ''}</div>` +
    value +
    `<div class="tip-foot">${s.status[device.status]} · ${s.updated} ${formatHanoiTime(Date.parse(device.lastTs), s.locale, true)}</div>`
  );
}

export function tooltipFor(info: PickingInfo, store: WallStore, lang: Lang): Tooltip {
  if (!info.object || !info.layer) return null;
  const style = placement(info);
  switch (info.layer.id) {
    case AREAS_LAYER_ID:
      return { html: areaHtml(info.object as AreaFeature, store, lang), className: 'wall-tip', style };
    case DEVICES_LAYER_ID:
      return { html: deviceHtml(info.object as Device, store, lang), className: 'wall-tip', style };
    default:
      return null;
  }
}
