// One frame of the wall: map, selector, tiles, ticker and device legend, drawn at most once per animation frame.
import { renderTicker, type AlertBoard } from './alert-board.ts';
import type { Chrome } from './chrome.ts';
import { renderDeviceLegend } from './legend.ts';
import type { MapView } from './map-view.ts';
import { KIOSK, type WallElements } from './page.ts';
import { areaName, currentIndicator, type WallState } from './state.ts';
import type { WallStore } from './store.ts';
import { renderTiles } from './tiles.ts';

export interface FrameParts {
  els: WallElements;
  state: WallState;
  store: WallStore;
  alerts: AlertBoard;
  mapView: MapView;
  chrome: Chrome;
}

export class Frame {
  private queued = false;
  private tilesKey = '';
  private tickerKey = '';

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
    const { els, state, store, alerts, mapView, chrome } = this.parts;
    const indicator = currentIndicator(state, store);
    mapView.render(indicator);
    chrome.renderSelector(indicator);
    // The tiles and ticker are HTML: rebuilt only when what they show changed, not on every device update.
    const versions = store.catalogue.map((i) => store.seriesVersion(i.name)).join(',');
    const halfMinute = Math.floor(Date.now() / 30_000);
    const tk = `${state.lang}|${indicator?.name}|${store.catalogue.length}|${versions}|${halfMinute}`;
    if (tk !== this.tilesKey) {
      this.tilesKey = tk;
      renderTiles(els.tiles, store, state.lang, indicator?.name ?? null, Date.now());
    }
    const ak = `${state.lang}|${alerts.version}|${store.areasVersion}`;
    if (ak !== this.tickerKey) {
      this.tickerKey = ak;
      const nameOf = (code: string): string => areaName(state, store, code);
      renderTicker(els.ticker, alerts, state.lang, { kiosk: KIOSK, areaName: nameOf });
    }
    renderDeviceLegend(els.deviceLegend, store.entities.counts, state.lang);
  }
}
