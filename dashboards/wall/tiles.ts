// KPI tiles: the city-wide value of each indicator, its unit and window, a sparkline, coloured against thresholds.
import { CITY_AREA, type Indicator } from '../shared/wire/index.ts';
import { levelOf, type Level } from './colors.ts';
import { escapeHtml, formatHanoiTime, formatValue, formatWindow } from './format.ts';
import { strings, type Lang } from './i18n.ts';
import { historySpanMs } from './span.ts';
import { sparklineSvg } from './sparkline.ts';
import type { Point, WallStore } from './store.ts';
import { hanoiStamp, type Playback } from './playback.ts';
import { unitLabel } from '../shared/units.ts';

const LEVEL_COLORS: Record<Level, string> = {
  ok: '#34d399',
  warn: '#f5b041',
  alert: '#ef4444',
  none: '#5fb3ff',
};

const THEME_COLORS: Record<string, string> = {
  traffic: '#5fb3ff',
  air: '#b39cff',
  water: '#38d0e0',
  services: '#7dd3a8',
  feedback: '#f59fc0',
};

/** Compact threshold chips (colour says which is which); the full wording goes in the tooltip. */
function thresholdChips(indicator: Indicator, lang: Lang): { html: string; title: string } {
  const s = strings(lang);
  const cmp = indicator.direction === 'down' ? '≥' : '≤';
  const chips: string[] = [];
  const words: string[] = [];
  const { warn, alert } = indicator.thresholds;
  if (warn !== null) {
    chips.push(`<span class="thr warn">${cmp} ${formatValue(warn, s.locale)}</span>`);
    words.push(`${s.warn} ${cmp} ${formatValue(warn, s.locale)}`);
  }
  if (alert !== null) {
    chips.push(`<span class="thr alert">${cmp} ${formatValue(alert, s.locale)}</span>`);
    words.push(`${s.alert} ${cmp} ${formatValue(alert, s.locale)}`);
  }
  if (indicator.target !== null) {
    if (chips.length === 0)
      chips.push(`<span class="thr target">${s.target} ${formatValue(indicator.target, s.locale)}</span>`);
    words.push(`${s.target} ${formatValue(indicator.target, s.locale)}`);
  }
  return { html: chips.join(''), title: words.join(' · ') };
}

/** What a tile shows: the city's latest window and recent history, or the replayed moment's window and its day. */
interface TileData {
  latest: Point | undefined;
  history: readonly Point[];
  fromMs: number;
  toMs: number;
  /** The replayed moment, or null when live. */
  replayedAt: number | null;
}

function liveData(indicator: Indicator, store: WallStore, now: number): TileData {
  const fromMs = now - historySpanMs(indicator);
  const history = store.history(indicator.name, CITY_AREA, fromMs);
  return { latest: store.latest(indicator.name, CITY_AREA), history, fromMs, toMs: now, replayedAt: null };
}

function replayData(indicator: Indicator, playback: Playback): TileData {
  const [latest, history] = [playback.cityAt(indicator.name), playback.citySeries(indicator.name)];
  return { latest, history, fromMs: playback.from, toMs: playback.to, replayedAt: playback.t };
}

function tileHtml(indicator: Indicator, store: WallStore, lang: Lang, selected: boolean, data: TileData): string {
  const s = strings(lang);
  const { latest, history, fromMs, toMs } = data;
  const level = levelOf(indicator, latest?.value);
  const color = level === 'none' ? (THEME_COLORS[indicator.theme] ?? LEVEL_COLORS.none) : LEVEL_COLORS[level];
  const guides = [
    indicator.thresholds.warn === null ? null : { value: indicator.thresholds.warn, color: LEVEL_COLORS.warn },
    indicator.thresholds.alert === null ? null : { value: indicator.thresholds.alert, color: LEVEL_COLORS.alert },
  ].filter((g): g is { value: number; color: string } => g !== null);
  const spark = sparklineSvg(history, {
    fromMs,
    toMs,
    width: 240,
    height: 40,
    color,
    guides,
  });
  const updated = latest ? formatHanoiTime(latest.t, s.locale) : s.noData;
  const chips = thresholdChips(indicator, lang);
  // A replayed window is history: its trust line and change are of today, not of then.
  const trust = data.replayedAt === null ? trustLine(indicator, store, lang, latest) : '';
  const change = data.replayedAt === null ? changeVsYesterday(indicator, store, lang, latest) : '';
  const foot =
    data.replayedAt !== null
      ? `${s.playbackBanner} ${hanoiStamp(data.replayedAt)}`
      : `${s.lastHours(Math.round((toMs - fromMs) / 3_600_000))} · ${updated}`;
  return `<button type="button" class="tile lvl-${level}${selected ? ' selected' : ''}" data-indicator="${escapeHtml(
    indicator.name,
  )}" aria-pressed="${selected}" style="--accent:${color}" title="${escapeHtml(chips.title)}">
  <div class="tile-title">${escapeHtml(indicator.title[lang])}</div>
  <div class="tile-value"><span class="num">${formatValue(latest?.value, s.locale)}</span><span class="unit">${escapeHtml(
    unitLabel(indicator.unit, lang),
  )}</span>${change}<span class="tile-window" title="${s.window}">${escapeHtml(formatWindow(indicator.window, lang))}</span></div>
  <div class="tile-spark">${spark}</div>
  <div class="tile-trust">${trust}</div>
  <div class="tile-foot"><span>${foot}</span><span class="thrs">${chips.html}</span></div>
</button>`;
}

/** "final to 14:32 · 80 % of sources": how far the numbers can be trusted, from the series' watermark and completeness. */
function trustLine(indicator: Indicator, store: WallStore, lang: Lang, latest: Point | undefined): string {
  const s = strings(lang);
  const parts: string[] = [];
  const watermark = store.watermark(indicator.name);
  if (latest?.final === false || watermark === null) parts.push(`<span class="prov">${s.provisional}</span>`);
  if (watermark !== null)
    parts.push(`<span class="final">✓ ${s.finalUntil(formatHanoiTime(watermark, s.locale))}</span>`);
  if (latest?.completeness !== undefined && latest.completeness !== null) {
    const pct = Math.round(latest.completeness * 100);
    const cls = pct >= 90 ? 'ok' : pct >= 60 ? 'warn' : 'alert';
    parts.push(
      `<span class="share ${cls}" title="${latest.sources ?? '?'}/${latest.expected ?? '?'}">${s.sourcesShare(`${pct}%`)}</span>`,
    );
  }
  return parts.join('<span class="sep">·</span>');
}

/** Against the same window a day earlier: arrow, signed difference and percentage, coloured by whether it is better. */
function changeVsYesterday(indicator: Indicator, store: WallStore, lang: Lang, latest: Point | undefined): string {
  const s = strings(lang);
  if (!latest || latest.value === null) return '';
  const before = store.dayBefore(indicator.name, latest.t);
  if (before === undefined || before === null) return '';
  const diff = latest.value - before;
  const flat = Math.abs(diff) < 1e-9;
  const better =
    flat || indicator.direction === 'neutral'
      ? 'flat'
      : diff > 0 === (indicator.direction === 'up')
        ? 'better'
        : 'worse';
  const pct =
    before !== 0
      ? `${diff > 0 ? '+' : ''}${formatValue((diff / Math.abs(before)) * 100, s.locale)}%`
      : `${diff > 0 ? '+' : ''}${formatValue(diff, s.locale)}`;
  return `<span class="tile-change ${better}" title="${escapeHtml(s.vsYesterday)}: ${formatValue(before, s.locale)}">${flat ? '→' : diff > 0 ? '▲' : '▼'} ${pct}</span>`;
}

export function renderTiles(
  container: HTMLElement,
  store: WallStore,
  lang: Lang,
  selected: string | null,
  now: number,
  replay: Playback | null = null,
): void {
  if (store.catalogue.length === 0) {
    container.innerHTML = `<div class="tiles-empty">${strings(lang).waiting}</div>`;
    return;
  }
  container.innerHTML = store.catalogue
    .map((i) => {
      const data = replay ? replayData(i, replay) : liveData(i, store, now);
      return tileHtml(i, store, lang, i.name === selected, data);
    })
    .join('');
}
