// The operators' wall: wires REST snapshots and live updates into the store, and the store into map, tiles and legends.
import { fetchBasemap } from '../shared/api.ts';
import { followEngine } from '../shared/engine-fetch.ts';
import { resolveEngines } from '../shared/engines.ts';
import { connectLive } from '../shared/live.ts';
import { AlertBoard, acknowledgeAlert, fetchActiveAlerts } from './alert-board.ts';
import { renderCard } from './card.ts';
import { Chrome } from './chrome.ts';
import { decodeDeviceBatch } from './device-layer-api.ts';
import { FeedbackHeat } from './feedback-heat.ts';
import { Frame } from './frame.ts';
import { startClock } from './header.ts';
import { strings } from './i18n.ts';
import { wallIncidentRoom } from './incident-toggle.ts';
import { mountTrustPanel } from './trust-panel.ts';
import { MapView } from './map-view.ts';
import { Notices } from './notice.ts';
import { KIOSK, pageElements, STALE_MS } from './page.ts';
import { Playback } from './playback.ts';
import { PlaybackControls } from './playback-controls.ts';
import { DeviceReplay } from './device-replay.ts';
import { IncidentReplay } from './incident-replay.ts';
import { startQueryTiles } from './query-tiles.ts';
import { snapshotLoader } from './snapshots.ts';
import { historySpanMs } from './span.ts';
import { chooseFeedback, chooseHex, chooseIndicator, currentIndicator, initialState, toggleLang } from './state.ts';
import { WallStore } from './store.ts';

/** While the live feed is down or quiet, snapshots are refetched this often so the wall still moves. */
const FALLBACK_POLL_MS = 30_000;
/**
 * After a reconnect the wall asks for the windows changed since its newest change less this: replicas tick apart, and
 * without `updatedAt` on the live rows the newest change is the browser's clock, not the engine's. A window asked for
 * twice costs a few bytes; one missed would stay wrong on the wall.
 */
const RESYNC_MARGIN_MS = 120_000;
/**
 * The first snapshot waits for the live connection (normally a few tens of milliseconds) so it is
 * taken after subscribing and no update falls between the two; without a connection it goes anyway.
 */
const BOOT_WAIT_MS = 1_500;

const els = pageElements();
document.body.classList.toggle('kiosk', KIOSK);
const openedAt = Date.now();
const state = initialState();
const store = new WallStore();
const alerts = new AlertBoard();
const playback = new Playback(() => scheduleRender());
const notices = new Notices(els.notice, () => strings(state.lang).locale);
const scheduleRender = (): void => frame.schedule();
const feedback = new FeedbackHeat(
  () => {
    notices.ok('feedback');
    scheduleRender();
  },
  (error) => notices.fail('feedback', failed(error)),
);
const mapView = new MapView({ els, state, store, alerts, playback, feedback, scheduleRender });
const playbackControls = new PlaybackControls({
  el: els.playback,
  banner: els.replayBanner,
  state,
  store,
  playback,
  notices,
  scheduleRender,
  // What arrived live during the replay was merged out of sight; the snapshots bring back anything it missed.
  onLive: () => {
    deviceReplay.stop();
    incidentReplay.stop();
    refresh();
  },
  onMoved: () => {
    deviceReplay.follow();
    incidentReplay.follow();
  },
});
const deviceReplay = new DeviceReplay(store, playback, {
  ok: () => notices.ok('playback-devices'),
  fail: (error, unknown) =>
    notices.fail('playback-devices', unknown === undefined ? failed(error) : strings(state.lang).devicesUnknown),
});
const chrome = new Chrome({ els, state, store, notices, playbackControls, openedAt });
const frame = new Frame({ els, state, store, alerts, playback, mapView, chrome });
const failed = (error: unknown): string =>
  `${strings(state.lang).loadFailed} ${error instanceof Error ? error.message : String(error)}`;
const incidents = wallIncidentRoom(els, {
  lang: state.lang,
  kiosk: KIOSK,
  onError: (error) => notices.fail('incidents', failed(error)),
  areas: store.areasLoaded,
});
const incidentReplay = new IncidentReplay(incidents, playback, (error) => notices.fail('incidents', failed(error)));
const trust = mountTrustPanel(
  { toggle: els.trustToggle, label: els.trustLabel, count: els.trustCount, panel: els.trust },
  { lang: state.lang, onError: (error) => notices.fail('trust', failed(error)) },
);
// One panel over the map's right side at a time: opening one closes the other.
for (const [toggle, panel, other, otherPanel] of [
  [els.incidentsToggle, els.incidentRoom, els.trustToggle, els.trust],
  [els.trustToggle, els.trust, els.incidentsToggle, els.incidentRoom],
] as const)
  toggle.addEventListener('click', () => {
    if (panel.hidden) return;
    otherPanel.hidden = true;
    other.setAttribute('aria-pressed', 'false');
  });

function selectIndicator(name: string): void {
  chooseIndicator(state, name);
  if (playback.active) void playbackControls.start();
  scheduleRender();
}

store.onChange(scheduleRender);
// The day picker's bounds come with the catalogue.
store.onChange(() => playbackControls.render());

/** Marks the wall while its engine runs the simulator; asked again now and then (a restart may change it). */
async function checkSimulated(): Promise<void> {
  try {
    const res = await fetch('/api/health', { headers: { accept: 'application/json' } });
    if (res.ok) els.simulated.hidden = !((await res.json()) as { simulated?: boolean }).simulated;
  } catch {
    /* the engine is away: keep the mark as it was */
  }
}
void checkSimulated();

// Asked once: the base map is the engine's setting and does not change while it runs.
fetchBasemap().then(
  ({ basemap }) => {
    notices.ok('basemap');
    mapView.setBasemap(basemap);
  },
  (error: unknown) => notices.fail('basemap', failed(error)),
);
setInterval(() => void checkSimulated(), 60_000);

const snapshots = snapshotLoader(store, {
  ok: (source) => notices.ok(source),
  fail: (source, error) => notices.fail(source, failed(error)),
});
const refreshAlerts = (): void => {
  fetchActiveAlerts().then(
    (list) => {
      alerts.set(list);
      notices.ok('alerts');
      scheduleRender();
    },
    (error: unknown) => notices.fail('alerts', failed(error)),
  );
};
const refresh = (): void => {
  snapshots.refresh();
  refreshAlerts();
  void incidents.refresh();
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
  chooseHex(state, value);
  chrome.renderHexControl();
  scheduleRender();
});
els.feedbackControl.addEventListener('click', (event) => {
  const value = (event.target as HTMLElement).closest<HTMLElement>('[data-feedback]')?.dataset['feedback'];
  if (!value) return;
  chooseFeedback(state, value);
  feedback.show(state.feedback);
  chrome.renderFeedbackControl();
  scheduleRender();
});
feedback.show(state.feedback);
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
    state.pinned = null;
    els.card.hidden = true;
  }
});
els.lang.addEventListener('click', () => {
  toggleLang(state);
  chrome.applyLanguage();
  incidents.setLang(state.lang);
  trust.setLang(state.lang);
  frame.invalidate();
  if (state.pinned)
    void renderCard(els.card, state.pinned, store, state.lang, currentIndicator(state, store), playback);
  scheduleRender();
});

chrome.applyLanguage();
startClock(els.clockTime, els.clockDate, () => state.lang);
frame.render();

const bootTimer = setTimeout(refresh, BOOT_WAIT_MS);

const engines = resolveEngines();
void engines.then((list) => {
  state.engines = list;
  chrome.renderConnection();
});

// Saved queries promoted to the wall; they follow the live feed to another replica after a failover.
const queryTiles = startQueryTiles(els.map.parentElement ?? els.map);

connectLive({
  staleAfterMs: STALE_MS,
  // Changed devices as one Arrow batch per tick, straight into the entity columns.
  subscribe: { devices: 'arrow' },
  engines,
  onMessage: (message) => {
    switch (message.type) {
      case 'connected': {
        clearTimeout(bootTimer);
        // Every REST call from here on goes to the engine whose updates the wall merges.
        followEngine(message.engine);
        queryTiles.moveTo(message.engine);
        state.engine = message.engine;
        chrome.renderConnection();
        // Reconnected, or connected while the boot load (started when the feed was slow to come) is under way or
        // done: only what changed since the wall's newest change. A second full load doubled the page's requests.
        snapshots.resync(RESYNC_MARGIN_MS);
        refreshAlerts();
        void incidents.refresh();
        break;
      }
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
      case 'incident':
        incidents.apply(message.event);
        break;
      case 'view':
        // An indicator made or removed at run time: the catalogue, the picker and the tiles follow. Its backfill's
        // progress changes nothing on the wall until it is live.
        if (message.event.change === 'deleted') snapshots.drop(message.event.name);
        else if (message.event.change !== 'progress') void snapshots.indicator(message.event.name);
        break;
      case 'status':
        state.liveStatus = message.status;
        chrome.renderConnection();
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

// Connected but quiet: poll so the wall still moves. Disconnected: the banner says so, and the reconnect refetches.
setInterval(() => {
  if (state.liveStatus.type === 'stale') refresh();
}, FALLBACK_POLL_MS);

// The banner's first-connect grace and the alert rings' breathing need a clock of their own.
setInterval(() => {
  chrome.renderStaleBanner();
  if (alerts.active().some((a) => a.status === 'open')) {
    state.pulse = (state.pulse + 0.25) % 1;
    scheduleRender();
  }
}, 1_000);

// Sparklines slide with time even when nothing changes; old windows are dropped to bound memory; quiet devices
// fall silent.
setInterval(() => {
  const longest = Math.max(0, ...store.catalogue.map(historySpanMs));
  store.prune(Date.now() - longest - 10 * 60_000);
  // Replayed devices stand as they did then: now's clock must not silence them.
  if (!store.showsPastDevices) store.entities.ageOut(Date.now());
  scheduleRender();
}, 30_000);
