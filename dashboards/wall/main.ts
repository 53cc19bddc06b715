// The operators' wall: wires REST snapshots and live updates into the store, and the store into map, tiles and legends.
import { connectLive, type LiveStatus } from '../shared/live.ts';
import type { Indicator } from '../shared/messages.ts';
import { AlertBoard, acknowledgeAlert, fetchActiveAlerts, renderTicker } from './alert-board.ts';
import { renderCard, type Pinned } from './card.ts';
import { scaleFor } from './colors.ts';
import { decodeDeviceBatch } from './device-layer-api.ts';
import { formatHanoiTime } from './format.ts';
import { labelAnchor } from './geometry.ts';
import { renderConnection, startClock } from './header.ts';
import { HEX_METRICS, HexBinner, hexResolution, StatusBinner, type HexMetric } from './hex-bins.ts';
import { loadLang, saveLang, strings, type Lang } from './i18n.ts';
import { alertsLayer, type AlertMarker } from './layers/alerts.ts';
import { areaLabels, areaLabelsLayer, type AreaLabel } from './layers/area-labels.ts';
import { AREAS_LAYER_ID, areasLayer } from './layers/areas.ts';
import { deviceCellsLayer } from './layers/device-cells.ts';
import { ATTENTION_LAYER_ID, attentionLayer, DENSE, DEVICES_LAYER_ID, devicesLayer } from './layers/devices.ts';
import { hexesLayer } from './layers/hexes.ts';
import { renderDeviceLegend, renderHexLegend, renderIndicatorLegend } from './legend.ts';
import { createMap } from './map.ts';
import { Notices } from './notice.ts';
import { Playback } from './playback.ts';
import { startQueryTiles } from './query-tiles.ts';
import { snapshotLoader } from './snapshots.ts';
import { historySpanMs } from './span.ts';
import { renderStaleBanner } from './stale-banner.ts';
import { WallStore } from './store.ts';
import { renderTiles } from './tiles.ts';
import { tooltipFor } from './tooltip.ts';
import { initialViewState } from './view.ts';

const FONT_FAMILY = 'system-ui, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif';
const SELECTED_KEY = 'ioc.wall.indicator';
const HEX_KEY = 'ioc.wall.hex';
/** While the live feed is down or quiet, snapshots are refetched this often so the wall still moves. */
const FALLBACK_POLL_MS = 30_000;
const params = new URLSearchParams(location.search);
/** Kiosk mode: a wall screen nobody touches. No controls; it reconnects by itself and says when data is stale. */
const KIOSK = params.get('kiosk') === '1';
/** Seconds without an update before the data is called stale (30 s by default). */
const STALE_MS = Math.max(2, Number(params.get('stale')) || 30) * 1_000;

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
  hexControl: byId('hex-control'),
  hexLegend: byId('hex-legend'),
  deviceLegend: byId('device-legend'),
  notice: byId('notice'),
  tiles: byId('tiles'),
  stale: byId('stale-banner'),
  ticker: byId('ticker'),
  card: byId('card'),
  playback: byId('playback'),
};

document.body.classList.toggle('kiosk', KIOSK);
const openedAt = Date.now();
const store = new WallStore();
const alerts = new AlertBoard();
const playback = new Playback();
const binner = new HexBinner();
const statusBinner = new StatusBinner();
/** From this zoom on (a district on screen) a dense layer is drawn dot by dot again. */
const DENSE_DOTS_ZOOM = 13;
let lang: Lang = loadLang();
let selected: string | null = readStored(SELECTED_KEY);
let hexMetric: HexMetric | null = (HEX_METRICS as readonly string[]).includes(readStored(HEX_KEY) ?? '') ? (readStored(HEX_KEY) as HexMetric) : null;
let liveStatus: LiveStatus = { type: 'connecting' };
let pinned: Pinned = null;
let pulse = 0;
const notices = new Notices(els.notice, () => strings(lang).locale);

function readStored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function store_(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Remembering the choice is a convenience only.
  }
}

function selectIndicator(name: string): void {
  selected = name;
  store_(SELECTED_KEY, name);
  if (playback.active) void startPlayback();
  scheduleRender();
}

/** The indicator shading the map: the operator's choice while it exists, else the catalogue's first. */
function currentIndicator(): Indicator | undefined {
  return (selected ? store.indicator(selected) : undefined) ?? store.catalogue[0];
}

function areaName(code: string): string {
  const p = store.areas.find((a) => a.properties.code === code)?.properties;
  if (!p) return code === 'hanoi' ? (lang === 'vi' ? 'Hà Nội' : 'Hanoi') : code;
  return lang === 'en' && p.nameEn ? p.nameEn : p.name;
}

// ---- map ----------------------------------------------------------------------------------------

const map = createMap(els.map, {
  initialViewState: initialViewState(els.map.clientWidth, els.map.clientHeight, els.deviceLegend.offsetWidth),
  getTooltip: (info) => tooltipFor(info, store, lang, hexMetric),
  onZoom: () => {
    // Only a change in which names fit, dot size or hex size is worth new layers; the rest is deck.gl's business.
    if (zoomKey() !== renderedZoomKey) scheduleRender();
  },
  onClick: (info) => {
    if (!info.layer) {
      pinned = null;
    } else if (info.layer.id === DEVICES_LAYER_ID || info.layer.id === ATTENTION_LAYER_ID) {
      const index = info.layer.id === DEVICES_LAYER_ID ? info.index : (info.object as number);
      const e = store.entities.view(index);
      pinned = e ? { type: 'entity', id: e.id } : null;
    } else if (info.layer.id === AREAS_LAYER_ID && info.object) {
      pinned = { type: 'area', code: (info.object as { properties: { code: string } }).properties.code };
    }
    void renderCard(els.card, pinned, store, lang, currentIndicator());
  },
});

let labels: AreaLabel[] = [];
let labelsKey = '';
let renderedZoomKey = '';
let anchors = new Map<string, [number, number]>();

/** The 4K wall draws the page at twice the size (style.css); the map's labels and dots follow. */
const WALL_4K = window.matchMedia('(min-width: 3000px) and (min-height: 1600px)');
const uiScale = (): number => (WALL_4K.matches ? 2 : 1);

function dotRadius(zoom: number): number {
  return (zoom >= 12 ? 6 : zoom >= 10.5 ? 5 : 4) * uiScale();
}

function zoomKey(): string {
  const zoom = map.zoom();
  return `${labels.reduce((n, l) => n + (l.minZoom + Math.log2(uiScale()) <= zoom ? 1 : 0), 0)}|${dotRadius(zoom)}|${hexResolution(zoom)}|${zoom >= DENSE_DOTS_ZOOM}`;
}

function alertMarkers(): AlertMarker[] {
  const out: AlertMarker[] = [];
  for (const a of alerts.active()) {
    const i = store.entities.indexOf(a.subject);
    const position: [number, number] | undefined = i !== undefined
      ? [store.entities.positions[i * 2]!, store.entities.positions[i * 2 + 1]!]
      : anchors.get(a.area);
    if (position) out.push({ id: a.id, position, severity: a.severity, acknowledged: a.status === 'acknowledged' });
  }
  return out;
}

function renderMap(indicator: Indicator | undefined): void {
  const key = `${store.areasVersion}|${lang}`;
  if (key !== labelsKey) {
    labels = areaLabels(store.areas, lang);
    anchors = new Map(store.areas.map((a) => [a.properties.code, labelAnchor(a)?.position ?? [0, 0]]));
    labelsKey = key;
  }
  const replay = playback.active && playback.indicator === indicator?.name;
  const values = replay
    ? playback.valuesAt()
    : new Map<string, number | null>(indicator ? [...store.latestByArea(indicator.name)].map(([area, point]) => [area, point.value]) : []);
  values.delete('hanoi');
  const scale = scaleFor(indicator, values.values());
  const zoom = map.zoom();
  renderedZoomKey = zoomKey();
  store.entities.setRadius(dotRadius(zoom));
  const layers = [
    areasLayer(store.areas, {
      indicator: indicator?.name ?? null,
      values,
      scale,
      version: replay ? playback.t : indicator ? store.seriesVersion(indicator.name) : 0,
    }),
  ];
  const res = hexResolution(zoom);
  if (hexMetric) layers.push(hexesLayer(binner.bin(store.entities, hexMetric, res), { metric: hexMetric, version: `${res}|${store.entities.version}` }) as never);
  // Past DENSE devices the city view shows H3 cells of the worst state; zoomed into a district, every dot again.
  const dense = store.entities.length > DENSE && zoom < DENSE_DOTS_ZOOM;
  layers.push(
    ...(dense
      ? [deviceCellsLayer(statusBinner.bin(store.entities, res), { version: `${res}|${store.entities.version}` }) as never]
      : [devicesLayer(store.entities) as never, attentionLayer(store.entities, store.entities.attention()) as never]),
    alertsLayer(alertMarkers(), { pulse }) as never,
    // Names above the dots: a dense district must still say which district it is.
    areaLabelsLayer(labels, { zoom, fontFamily: FONT_FAMILY, scale: uiScale() }) as never,
  );
  map.setLayers(layers);
  renderIndicatorLegend(els.legend, indicator, scale, lang);
  renderHexLegend(els.hexLegend, hexMetric, lang);
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

function renderHexControl(): void {
  const s = strings(lang);
  const options: [HexMetric | 'off', string][] = [['off', s.hexOff], ...HEX_METRICS.map((m) => [m, s.hexMetric[m]] as [HexMetric, string])];
  els.hexControl.innerHTML = `<span class="panel-label">${s.hexLayer}</span><div class="seg">${options
    .map(([value, label]) => `<button type="button" data-hex="${value}" aria-pressed="${(hexMetric ?? 'off') === value}">${label}</button>`)
    .join('')}</div>`;
}

function renderPlayback(): void {
  const s = strings(lang);
  if (!playback.active) {
    els.playback.dataset['mode'] = 'live';
    els.playback.innerHTML = `<button type="button" data-play="enter">↺ ${s.replay}</button>`;
    return;
  }
  els.playback.dataset['mode'] = 'replay';
  const step = Math.round((playback.t - playback.from) / playback.stepMs);
  const time = `${formatHanoiTime(playback.t, s.locale)} ${new Intl.DateTimeFormat(s.locale, { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit' }).format(playback.t)}`;
  const slider = els.playback.querySelector<HTMLInputElement>('input[type=range]');
  if (slider && document.activeElement === slider) {
    // Scrubbing: update the label only, never rebuild the slider under the operator's hand.
    const label = els.playback.querySelector('.pb-time');
    if (label) label.textContent = s.replaying(time);
    return;
  }
  els.playback.innerHTML =
    `<button type="button" data-play="toggle">${playback.playing ? `■ ${s.pause}` : `▶ ${s.play}`}</button>` +
    `<input type="range" min="0" max="${playback.steps}" step="1" value="${step}" aria-label="${s.replay}">` +
    `<span class="pb-time">${s.replaying(time)}</span>` +
    `<button type="button" data-play="live" class="pb-live">● ${s.backToLive}</button>`;
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
  renderStaleBanner(els.stale, liveStatus, lang, openedAt);
  renderHexControl();
  renderPlayback();
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

let tilesKey = '';
let tickerKey = '';

function render(): void {
  const indicator = currentIndicator();
  renderMap(indicator);
  renderSelector(indicator);
  // The tiles and ticker are HTML: rebuilt only when what they show changed, not on every device update.
  const tk = `${lang}|${indicator?.name}|${store.catalogue.length}|${store.catalogue.map((i) => store.seriesVersion(i.name)).join(',')}|${Math.floor(Date.now() / 30_000)}`;
  if (tk !== tilesKey) {
    tilesKey = tk;
    renderTiles(els.tiles, store, lang, indicator?.name ?? null, Date.now());
  }
  const ak = `${lang}|${alerts.version}|${store.areasVersion}`;
  if (ak !== tickerKey) {
    tickerKey = ak;
    renderTicker(els.ticker, alerts, lang, { kiosk: KIOSK, areaName });
  }
  renderDeviceLegend(els.deviceLegend, store.entities.counts, lang);
}

// ---- playback -------------------------------------------------------------------------------------

let playTimer: ReturnType<typeof setInterval> | undefined;

async function startPlayback(): Promise<void> {
  const indicator = currentIndicator();
  if (!indicator) return;
  try {
    await playback.start(indicator);
    notices.ok('playback');
  } catch (error) {
    notices.fail('playback', `${strings(lang).loadFailed} ${error instanceof Error ? error.message : String(error)}`);
    return;
  }
  document.body.classList.add('replaying');
  renderPlayback();
  scheduleRender();
}

function stopPlayback(): void {
  clearInterval(playTimer);
  playback.stop();
  document.body.classList.remove('replaying');
  renderPlayback();
  scheduleRender();
}

function togglePlay(): void {
  playback.playing = !playback.playing;
  clearInterval(playTimer);
  if (playback.playing) {
    if (playback.t >= playback.to) playback.seek(0);
    playTimer = setInterval(() => {
      if (!playback.advance()) clearInterval(playTimer);
      renderPlayback();
      scheduleRender();
    }, 250);
  }
  renderPlayback();
}

els.playback.addEventListener('click', (event) => {
  const action = (event.target as HTMLElement).closest<HTMLElement>('[data-play]')?.dataset['play'];
  if (action === 'enter') void startPlayback();
  else if (action === 'toggle') togglePlay();
  else if (action === 'live') stopPlayback();
});
els.playback.addEventListener('input', (event) => {
  const slider = event.target as HTMLInputElement;
  if (slider.type !== 'range') return;
  playback.seek(Number(slider.value));
  renderPlayback();
  scheduleRender();
});

// ---- wiring -------------------------------------------------------------------------------------

store.onChange(scheduleRender);

const snapshots = snapshotLoader(store, {
  ok: (source) => notices.ok(source),
  fail: (source, error) =>
    notices.fail(source, `${strings(lang).loadFailed} ${error instanceof Error ? error.message : String(error)}`),
});
const refreshAlerts = (): void => {
  fetchActiveAlerts().then(
    (list) => {
      alerts.set(list);
      notices.ok('alerts');
      scheduleRender();
    },
    (error: unknown) => notices.fail('alerts', `${strings(lang).loadFailed} ${error instanceof Error ? error.message : String(error)}`),
  );
};
const refresh = (): void => {
  snapshots.refresh();
  refreshAlerts();
};

els.indicatorSelect.addEventListener('change', () => selectIndicator(els.indicatorSelect.value));
els.tiles.addEventListener('click', (event) => {
  const tile = (event.target as HTMLElement).closest<HTMLElement>('[data-indicator]');
  const name = tile?.dataset['indicator'];
  if (name) selectIndicator(name);
});
els.hexControl.addEventListener('click', (event) => {
  const value = (event.target as HTMLElement).closest<HTMLElement>('[data-hex]')?.dataset['hex'];
  if (!value) return;
  hexMetric = value === 'off' ? null : (value as HexMetric);
  store_(HEX_KEY, value);
  renderHexControl();
  scheduleRender();
});
els.ticker.addEventListener('click', (event) => {
  const button = (event.target as HTMLElement).closest<HTMLButtonElement>('[data-ack]');
  const id = button?.dataset['ack'];
  if (!id || !button) return;
  button.disabled = true;
  acknowledgeAlert(id).catch((error: unknown) => {
    button.disabled = false;
    notices.fail('ack', error instanceof Error ? error.message : String(error));
  });
});
els.card.addEventListener('click', (event) => {
  if ((event.target as HTMLElement).closest('[data-close]')) {
    pinned = null;
    els.card.hidden = true;
  }
});
els.lang.addEventListener('click', () => {
  lang = lang === 'vi' ? 'en' : 'vi';
  saveLang(lang);
  applyLanguage();
  tilesKey = '';
  tickerKey = '';
  if (pinned) void renderCard(els.card, pinned, store, lang, currentIndicator());
  scheduleRender();
});

// A wall's browser may start small and go full screen: fit the city again while nobody has moved the map.
let resizeTimer: ReturnType<typeof setTimeout> | undefined;
window.addEventListener('resize', () => {
  clearTimeout(resizeTimer);
  resizeTimer = setTimeout(() => map.fit(initialViewState(els.map.clientWidth, els.map.clientHeight, els.deviceLegend.offsetWidth)), 200);
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
  staleAfterMs: STALE_MS,
  // Changed devices as one Arrow batch per tick, straight into the entity columns.
  subscribe: { devices: 'arrow' },
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
      case 'devicesArrow':
        store.mergeDevices(decodeDeviceBatch(message.bytes));
        break;
      case 'alert':
        alerts.apply(message.event);
        scheduleRender();
        break;
      case 'status':
        liveStatus = message.status;
        renderConnection(els.conn, liveStatus, lang);
        renderStaleBanner(els.stale, liveStatus, lang, openedAt);
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

// Connected but quiet: poll so the wall still moves. Disconnected: the banner says so, and the reconnect refetches.
setInterval(() => {
  if (liveStatus.type === 'stale') refresh();
}, FALLBACK_POLL_MS);

// The banner's first-connect grace and the alert rings' breathing need a clock of their own.
setInterval(() => {
  renderStaleBanner(els.stale, liveStatus, lang, openedAt);
  if (alerts.active().some((a) => a.status === 'open')) {
    pulse = (pulse + 0.25) % 1;
    scheduleRender();
  }
}, 1_000);

// Sparklines slide with time even when nothing changes; old windows are dropped to bound memory; quiet devices fall silent.
setInterval(() => {
  const longest = Math.max(0, ...store.catalogue.map(historySpanMs));
  store.prune(Date.now() - longest - 10 * 60_000);
  store.entities.ageOut(Date.now());
  scheduleRender();
}, 30_000);
