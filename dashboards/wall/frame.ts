// One frame of the wall: map, selector, tiles, ticker, device legend and the pinned card's replayed moment, drawn at
// most once per animation frame.
import { renderTicker, type AlertBoard } from './alert-board.ts';
import { renderCard } from './card.ts';
import type { Chrome } from './chrome.ts';
import { renderDeviceLegend } from './legend.ts';
import type { MapView } from './map-view.ts';
import type { Playback } from './playback.ts';
import { KIOSK, type WallElements } from './page.ts';
import { areaName, currentIndicator, type WallState } from './state.ts';
import type { WallStore } from './store.ts';
import { renderTiles } from './tiles.ts';

export interface FrameParts {
  els: WallElements;
  state: WallState;
  store: WallStore;
  alerts: AlertBoard;
  playback: Playback;
  mapView: MapView;
  chrome: Chrome;
}

export class Frame {
  private queued = false;
  private tilesKey = '';
  private tickerKey = '';
  /** What the pinned card last showed: a replayed moment, or 'live' (the card is then drawn when pinned). */
  private cardKey = 'live';

  constructor(private readonly parts: FrameParts) {}

  schedule(): void {
    if (this.queued) return;
    this.queued = true;
    requestAnimationFrame(() => {
      this.queued = false;
      this.render();
    });
  }

  /** The tiles and ticker are drawn again on the next frame even if what they show is the same (a new language). */
  invalidate(): void {
    this.tilesKey = '';
    this.tickerKey = '';
  }

  render(): void {
    const { els, state, store, playback, mapView, chrome } = this.parts;
    // While a past moment is replayed the tiles and ticker show it; live updates keep arriving, out of sight.
    const alerts = playback.active ? playback.board : this.parts.alerts;
    const replayed = playback.active ? `${playback.day}|${playback.from}|${playback.t}|${playback.version}` : 'live';
    const indicator = currentIndicator(state, store);
    mapView.render(indicator);
    chrome.renderSelector(indicator);
    // The tiles and ticker are HTML: rebuilt only when what they show changed, not on every device update.
    const versions = store.catalogue.map((i) => store.seriesVersion(i.name)).join(',');
    const halfMinute = Math.floor(Date.now() / 30_000);
    const tk = playback.active
      ? `${state.lang}|${indicator?.name}|${store.catalogue.length}|${replayed}`
      : `${state.lang}|${indicator?.name}|${store.catalogue.length}|${versions}|${halfMinute}`;
    if (tk !== this.tilesKey) {
      this.tilesKey = tk;
      renderTiles(els.tiles, store, state.lang, indicator?.name ?? null, Date.now(), playback.active ? playback : null);
    }
    const ak = `${state.lang}|${playback.active}|${alerts.version}|${store.areasVersion}`;
    if (ak !== this.tickerKey) {
      this.tickerKey = ak;
      const nameOf = (code: string): string => areaName(state, store, code);
      // A replayed alert is history: nothing to acknowledge on it.
      renderTicker(els.ticker, alerts, state.lang, { kiosk: KIOSK || playback.active, areaName: nameOf });
    }
    renderDeviceLegend(els.deviceLegend, store.entities.counts, state.lang);
    // A card pinned during playback follows the replayed moment (per step, not per frame), and the live values again
    // once playback ends.
    const ck = playback.active
      ? `${playback.day}|${playback.from}|${playback.step}|${playback.indicator}|${state.lang}`
      : 'live';
    if (ck !== this.cardKey) {
      this.cardKey = ck;
      if (state.pinned) void renderCard(els.card, state.pinned, store, state.lang, indicator, playback);
    }
  }
}
