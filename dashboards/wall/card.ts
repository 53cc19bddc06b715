// The pinned card of a clicked device or district: its latest values and a sparkline of its recent history; during
// playback, the values and the history of the replayed moment instead.
import { CITY_AREA, type AreaFeature, type Indicator } from '../shared/wire/index.ts';
import { escapeHtml, formatHanoiTime, formatValue } from './format.ts';
import { strings, type Lang } from './i18n.ts';
import { sparklineSvg } from './sparkline.ts';
import { hanoiStamp, type Playback } from './playback.ts';
import type { Point, WallStore } from './store.ts';
import { areaHtml, entityHtml } from './tooltip.ts';

export type Pinned = { type: 'entity'; id: string } | { type: 'area'; code: string } | null;

const HISTORY_MIN = 120;
const deviceHistory = new Map<string, { at: number; points: Point[] }>();

/** A device's per-minute values, cached for a minute so hovering back and forth costs nothing. */
async function fetchDeviceHistory(id: string): Promise<Point[]> {
  const cached = deviceHistory.get(id);
  if (cached && Date.now() - cached.at < 60_000) return cached.points;
  const res = await fetch(`/api/devices/${encodeURIComponent(id)}/series?minutes=${HISTORY_MIN}`);
  if (!res.ok) throw new Error(`device series: HTTP ${res.status}`);
  const body = (await res.json()) as { points: { t: string; value: number | null }[] };
  const points = body.points.map((p) => ({ t: Date.parse(p.t), value: p.value, n: null }));
  deviceHistory.set(id, { at: Date.now(), points });
  return points;
}

export async function renderCard(
  el: HTMLElement,
  pinned: Pinned,
  store: WallStore,
  lang: Lang,
  indicator: Indicator | undefined,
  playback?: Playback,
): Promise<void> {
  const s = strings(lang);
  if (!pinned) {
    el.hidden = true;
    return;
  }
  const replayed = playback?.active ? playback : undefined;
  const now = replayed ? replayed.t : Date.now();
  const close = `<button type="button" class="card-close" data-close="1" aria-label="${s.close}">×</button>`;
  let body: string;
  let points: Point[] = [];
  if (pinned.type === 'entity') {
    const i = store.entities.indexOf(pinned.id);
    const e = i === undefined ? null : store.entities.view(i);
    if (!e) {
      el.hidden = true;
      return;
    }
    // In playback the store holds the devices as they stood then; their live history would belie it.
    body = entityHtml(e, store, lang);
    if (!replayed) points = await fetchDeviceHistory(e.id).catch(() => []);
  } else {
    const feature = store.areas.find((a: AreaFeature) => a.properties.code === pinned.code);
    if (!feature) {
      el.hidden = true;
      return;
    }
    body = areaHtml(feature, store, lang, replayed);
    if (replayed) points = replayed.areaHistory(pinned.code, now - HISTORY_MIN * 60_000, now);
    else if (indicator)
      points = store.history(
        indicator.name,
        pinned.code === CITY_AREA ? CITY_AREA : pinned.code,
        now - HISTORY_MIN * 60_000,
      );
  }
  const spark = sparklineSvg(points, {
    fromMs: now - HISTORY_MIN * 60_000,
    toMs: now,
    width: 280,
    height: 56,
    color: '#5fb3ff',
  });
  const last = points.filter((p) => p.value !== null).at(-1);
  const caption = `${replayed ? `${s.playbackBanner} ${hanoiStamp(replayed.t)} · ` : ''}${escapeHtml(pinned.type === 'area' && indicator ? indicator.title[lang] : '')} ${s.recent(HISTORY_MIN)}${last ? ` · ${formatHanoiTime(last.t, s.locale)} ${formatValue(last.value, s.locale)}` : ''}`;
  el.innerHTML = `${close}${body}<div class="card-spark">${spark}</div><div class="card-caption">${caption}</div>`;
  el.hidden = false;
}
