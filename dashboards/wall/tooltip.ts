// Hover card for a district (its latest value of every indicator) or a device (its latest reading and status).
import type { PickingInfo } from '@deck.gl/core';
import type { AreaFeature } from '../shared/wire/index.ts';
import { unitLabel } from '../shared/units.ts';
import type { EntityView } from './entities.ts';
import type { HexBin, HexMetric, StatusBin } from './hex-bins.ts';
import { STATUSES } from './entities.ts';
import { DEVICE_CELLS_LAYER_ID } from './layers/device-cells.ts';
import { bandOf, HEXES_LAYER_ID } from './layers/hexes.ts';
import { FEEDBACK_LAYER_ID } from './layers/feedback-heat.ts';
import type { FeedbackBin } from './feedback-heat.ts';
import { cssColor, levelOf, STATUS_COLORS } from './colors.ts';
import { escapeHtml, formatHanoiTime, formatValue } from './format.ts';
import { kindLabel, strings, type Lang } from './i18n.ts';
import { AREAS_LAYER_ID } from './layers/areas.ts';
import { ATTENTION_LAYER_ID, DEVICES_LAYER_ID } from './layers/devices.ts';
import type { WallStore } from './store.ts';
import type { Playback } from './playback.ts';

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

/**
 * An area's values: the latest of every indicator, or during playback the replayed indicator's at the replayed moment
 * (the others are not loaded for every area: showing their live values beside it would mix two times).
 */
export function areaHtml(feature: AreaFeature, store: WallStore, lang: Lang, replayed?: Playback): string {
  const s = strings(lang);
  const p = feature.properties;
  const name = lang === 'en' && p.nameEn ? p.nameEn : p.name;
  const past = replayed?.valuesAt();
  const rows = store.catalogue
    .filter((indicator) => !replayed || indicator.name === replayed.indicator)
    .map((indicator) => {
      const point = past ? { value: past.get(p.code) ?? null } : store.latest(indicator.name, p.code);
      const level = levelOf(indicator, point?.value);
      return `<tr class="lvl-${level}"><td>${escapeHtml(indicator.title[lang])}</td><td class="num">${formatValue(
        point?.value,
        s.locale,
      )} <span class="unit">${escapeHtml(unitLabel(indicator.unit, lang))}</span></td></tr>`;
    })
    .join('');
  const facts: string[] = [];
  const district = p.parent ? store.districts.find((d) => d.properties.code === p.parent)?.properties : undefined;
  if (district) facts.push(s.formerDistrictOf(lang === 'en' && district.nameEn ? district.nameEn : district.name));
  if (p.population) facts.push(`${s.population} ${formatValue(p.population, s.locale)}`);
  if (p.areaKm2) facts.push(`${s.areaKm2} ${formatValue(p.areaKm2, s.locale)} km²`);
  if (p.approximate) facts.push(s.approximate);
  return (
    `<div class="tip-title">${escapeHtml(name)}${p.kind ? ` <span class="tip-sub">${escapeHtml(kindLabel(p.kind, lang))}</span>` : ''}</div>` +
    (rows ? `<table>${rows}</table>` : `<div class="tip-empty">${s.noData}</div>`) +
    (facts.length ? `<div class="tip-foot">${escapeHtml(facts.join(' · '))}</div>` : '')
  );
}

export function entityHtml(e: EntityView, store: WallStore, lang: Lang): string {
  const s = strings(lang);
  const owner =
    e.agency === null
      ? s.unregistered
      : s.ownedBy(e.agency) +
        (e.maintenance && e.maintenance !== 'in_service' ? ` · ${s.maintenance[e.maintenance]}` : '');
  const area = store.areas.find((a) => a.properties.code === e.area)?.properties;
  const areaName = area ? (lang === 'en' && area.nameEn ? area.nameEn : area.name) : e.area;
  const value =
    e.value === null
      ? ''
      : `<div class="tip-value">${formatValue(e.value, s.locale)} <span class="unit">${escapeHtml(unitLabel(e.unit ?? '', lang))}</span></div>`;
  return (
    `<div class="tip-title"><span class="dot" style="background:${cssColor(STATUS_COLORS[e.status])}"></span>` +
    `${e.family === 'camera' ? s.camera : s.sensor} ${escapeHtml(e.id)}</div>` +
    `<div class="tip-sub">${escapeHtml(kindLabel(e.kind, lang))}${areaName ? ` · ${escapeHtml(areaName)}` : ''}</div>` +
    value +
    `<div class="tip-foot">${s.status[e.status]} · ${s.updated} ${formatHanoiTime(e.lastTs, s.locale, true)}</div>` +
    `<div class="tip-foot${e.agency === null ? ' tip-warn' : ''}">${escapeHtml(owner)}</div>`
  );
}

function hexHtml(bin: HexBin, metric: HexMetric | null, lang: Lang): string {
  const s = strings(lang);
  if (!metric) return '';
  const band = bandOf(metric, bin.value);
  return (
    `<div class="tip-title">${escapeHtml(s.hexMetric[metric])} · H3</div><div class="tip-value">${formatValue(bin.value, s.locale)} <span class="unit">${metric === 'pm25' ? 'µg/m³' : 'km/h'}</span></div>` +
    `<div class="tip-sub">${escapeHtml(band.label[lang])} · ${escapeHtml(s.hexCell(bin.count))}</div>`
  );
}

export function tooltipFor(
  info: PickingInfo,
  store: WallStore,
  lang: Lang,
  hexMetric: HexMetric | null = null,
  playback?: Playback,
): Tooltip {
  if (!info.layer || (info.object === undefined && info.layer.id !== DEVICES_LAYER_ID) || info.index < 0) return null;
  const style = placement(info);
  switch (info.layer.id) {
    case AREAS_LAYER_ID:
      return {
        html: areaHtml(info.object as AreaFeature, store, lang, playback?.active ? playback : undefined),
        className: 'wall-tip',
        style,
      };
    case DEVICES_LAYER_ID:
    case ATTENTION_LAYER_ID: {
      const index = info.layer.id === DEVICES_LAYER_ID ? info.index : (info.object as number);
      const e = store.entities.view(index);
      return e ? { html: entityHtml(e, store, lang), className: 'wall-tip', style } : null;
    }
    case DEVICE_CELLS_LAYER_ID: {
      const b = info.object as StatusBin;
      const st = STATUSES[b.worst] ?? 'ok';
      const s = strings(lang);
      return {
        html: `<div class="tip-title"><span class="dot" style="background:${cssColor(STATUS_COLORS[st])}"></span>${s.devices} · H3</div><div class="tip-value">${formatValue(b.count, s.locale)}</div><div class="tip-sub">${s.status[st]}</div>`,
        className: 'wall-tip',
        style,
      };
    }
    case HEXES_LAYER_ID:
      return { html: hexHtml(info.object as HexBin, hexMetric, lang), className: 'wall-tip', style };
    case FEEDBACK_LAYER_ID: {
      const b = info.object as FeedbackBin;
      const s = strings(lang);
      return {
        html: `<div class="tip-title">${escapeHtml(s.feedbackLayer)}</div><div class="tip-value">${formatValue(b.reports, s.locale)}</div><div class="tip-sub">${escapeHtml(s.feedbackCell(b.reports, b.open))}</div>`,
        className: 'wall-tip',
        style,
      };
    }
    default:
      return null;
  }
}
