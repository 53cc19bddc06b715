// The operators' wall: wires REST snapshots and live updates into the store, and the store into map, tiles and legends.
import { connectLive, type LiveStatus } from '../shared/live.ts';
import type { Device, Indicator } from '../shared/messages.ts';
import { scaleFor } from './colors.ts';
import { renderConnection, startClock } from './header.ts';
import { loadLang, saveLang, strings, type Lang } from './i18n.ts';
import { areaLabels, areaLabelsLayer, type AreaLabel } from './layers/area-labels.ts';
import { areasLayer } from './layers/areas.ts';
import { devicesLayer, sortBySeverity } from './layers/devices.ts';
import { renderDeviceLegend, renderIndicatorLegend } from './legend.ts';
import { createMap } from './map.ts';
import { Notices } from './notice.ts';
import { startQueryTiles } from './query-tiles.ts';
import { snapshotLoader } from './snapshots.ts';
import { WallStore } from './store.ts';
import { historySpanMs } from './span.ts';
import { renderTiles } from './tiles.ts';
import { tooltipFor } from './tooltip.ts';
import { initialViewState } from './view.ts';

const FONT_FAMILY = 'system-ui, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif';
const SELECTED_KEY = 'ioc.wall.indicator';
/** While the live feed is down or quiet, snapshots are refetched this often so the wall still moves. */
const FALLBACK_POLL_MS = 30_000;

function byId<T extends HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`wall: missing #${id} in index.html`);
  return el as T;
}

const els = {
  title: byId('title'),
  subtitle: byId('subtitle'),
  conn: byId('conn'),
  clockTime: byId('clock-time'),
  clockDate: byId('clock-date'),
  lang: byId<HTMLButtonElement>('lang'),
  map: byId<HTMLDivElement>('map'),
  indicatorLabel: byId('indicator-label'),
  indicatorSelect: byId<HTMLSelectElement>('indicator-select'),
  legend: byId('legend'),
  deviceLegend: byId('device-legend'),
  notice: byId('notice'),
  tiles: byId('tiles'),
};

const store = new WallStore();
let lang: Lang = loadLang();
let selected: string | null = readSelected();
let liveStatus: LiveStatus = { type: 'connecting' };
const notices = new Notices(els.notice, () => strings(lang).locale);

function readSelected(): string | null {
  try {
    return localStorage.getItem(SELECTED_KEY);
  } catch {
    return null;
  }
}

function selectIndicator(name: string): void {
  selected = name;
  try {
    localStorage.setItem(SELECTED_KEY, name);
  } catch {
    // Remembering the choice is a convenience only.
  }
  scheduleRender();
}

/** The indicator shading the map: the operator's choice while it exists, else the catalogue's first. */
function currentIndicator(): Indicator | undefined {
  return (selected ? store.indicator(selected) : undefined) ?? store.catalogue[0];
}

// ---- map ----------------------------------------------------------------------------------------

const map = createMap(els.map, {
  initialViewState: initialViewState(els.map.clientWidth, els.map.clientHeight, els.deviceLegend.offsetWidth),
  getTooltip: (info) => tooltipFor(info, store, lang),
  onZoom: () => {
    // Only a change in which names fit or in dot size is worth new layers; the rest is deck.gl's business.
    if (zoomKey() !== renderedZoomKey) scheduleRender();
  },
});

let labels: AreaLabel[] = [];
let labelsKey = '';
let renderedZoomKey = '';
let sortedDevices: Device[] = [];
let sortedDevicesVersion = -1;

function dotRadius(zoom: number): number {
  return zoom >= 12 ? 6 : zoom >= 10.5 ? 5 : 4;
}

function zoomKey(): string {
  const zoom = map.zoom();
  return `${labels.reduce((n, l) => n + (l.minZoom <= zoom ? 1 : 0), 0)}|${dotRadius(zoom)}`;
}

function renderMap(indicator: Indicator | undefined): void {
  const key = `${store.areasVersion}|${lang}`;
  if (key !== labelsKey) {
    labels = areaLabels(store.areas, lang);
    labelsKey = key;
  }
  if (sortedDevicesVersion !== store.devicesVersion) {
    sortedDevices = sortBySeverity(store.devices.values());
    sortedDevicesVersion = store.devicesVersion;
  }
  const latest = indicator ? [...store.latestByArea(indicator.name)] : [];
  const values = new Map<string, number | null>(latest.map(([area, point]) => [area, point.value]));
  const scale = scaleFor(indicator, values.values());
  const zoom = map.zoom();
  renderedZoomKey = zoomKey();
  map.setLayers([
    areasLayer(store.areas, {
      indicator: indicator?.name ?? null,
      values,
      scale,
      version: indicator ? store.seriesVersion(indicator.name) : 0,
    }),
    devicesLayer(sortedDevices, { radius: dotRadius(zoom) }),
    // Names above the dots: a dense district must still say which district it is.
    areaLabelsLayer(labels, { zoom, fontFamily: FONT_FAMILY }),
  ]);
  renderIndicatorLegend(els.legend, indicator, scale, lang);
}

// ---- page chrome ----------------------------------------------------------------------------------

let selectorKey = '';

function renderSelector(indicator: Indicator | undefined): void {
  const key = `${lang}|${store.catalogue.map((i) => i.name).join(',')}`;
  if (key !== selectorKey) {
    selectorKey = key;
    els.indicatorSelect.replaceChildren(
      ...store.catalogue.map((i) => {
        const option = document.createElement('option');
        option.value = i.name;
        option.textContent = i.title[lang];
        return option;
      }),
    );
  }
  els.indicatorSelect.disabled = store.catalogue.length === 0;
  if (indicator) els.indicatorSelect.value = indicator.name;
}

function applyLanguage(): void {
  const s = strings(lang);
  document.documentElement.lang = lang;
  document.title = s.title;
  els.title.textContent = s.title;
  els.subtitle.textContent = s.subtitle;
  els.indicatorLabel.textContent = s.indicator;
  els.lang.title = s.switchTo;
  els.lang.dataset['active'] = lang;
  renderConnection(els.conn, liveStatus, lang);
  notices.render();
}

let renderQueued = false;

function scheduleRender(): void {
  if (renderQueued) return;
  renderQueued = true;
  requestAnimationFrame(() => {
    renderQueued = false;
    render();
  });
}

function render(): void {
  const indicator = currentIndicator();
  renderMap(indicator);
  renderSelector(indicator);
  renderTiles(els.tiles, store, lang, indicator?.name ?? null, Date.now());
  renderDeviceLegend(els.deviceLegend, store.devices.values(), lang);
}

// ---- wiring -------------------------------------------------------------------------------------

store.onChange(scheduleRender);

const snapshots = snapshotLoader(store, {
  ok: (source) => notices.ok(source),
  fail: (source, error) =>
    notices.fail(source, `${strings(lang).loadFailed} ${error instanceof Error ? error.message : String(error)}`),
});
const refresh = (): void => snapshots.refresh();

els.indicatorSelect.addEventListener('change', () => selectIndicator(els.indicatorSelect.value));
els.tiles.addEventListener('click', (event) => {
  const tile = (event.target as HTMLElement).closest<HTMLElement>('[data-indicator]');
  const name = tile?.dataset['indicator'];
  if (name) selectIndicator(name);
});
els.lang.addEventListener('click', () => {
  lang = lang === 'vi' ? 'en' : 'vi';
  saveLang(lang);
  applyLanguage();
  scheduleRender();
});

applyLanguage();
startClock(els.clockTime, els.clockDate, () => lang);
render();

/**
 * The first snapshot waits for the live connection (normally a few tens of milliseconds) so it is
 * taken after subscribing and no update falls between the two; without a connection it goes anyway.
 */
const BOOT_WAIT_MS = 1_500;
let bootTimer: ReturnType<typeof setTimeout> | undefined = setTimeout(() => {
  bootTimer = undefined;
  refresh();
}, BOOT_WAIT_MS);

connectLive({
  onMessage: (message) => {
    switch (message.type) {
      case 'connected':
        clearTimeout(bootTimer);
        bootTimer = undefined;
        refresh();
        break;
      case 'indicator':
        store.mergeRows(message.event.name, message.event.rows);
        break;
      case 'devices':
        store.mergeDevices(message.event.devices);
        break;
      case 'status':
        liveStatus = message.status;
        renderConnection(els.conn, liveStatus, lang);
        break;
      case 'invalid':
        // A malformed event is dropped; the next snapshot heals whatever it carried.
        console.warn(`wall: dropped invalid ${message.event} event: ${message.reason}`);
        break;
      default: {
        const never: never = message;
        void never;
      }
    }
  },
});

// Saved queries promoted from the console, over the map; they keep themselves live.
startQueryTiles(els.map.parentElement ?? els.map);

setInterval(() => {
  if (liveStatus.type !== 'live') refresh();
}, FALLBACK_POLL_MS);

// Sparklines slide with time even when nothing changes; old windows are dropped to bound memory.
setInterval(() => {
  const longest = Math.max(0, ...store.catalogue.map(historySpanMs));
  store.prune(Date.now() - longest - 10 * 60_000);
  scheduleRender();
}, 30_000);
