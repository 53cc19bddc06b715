// The map of the wall: wards shaded by the indicator, the former districts' outlines, hexagons, devices, alerts and
// names as deck.gl layers.
import type { Layer } from '@deck.gl/core';
import type { Basemap, Indicator } from '../shared/wire/index.ts';
import type { AlertBoard } from './alert-board.ts';
import { AreaTools } from './area-tools.ts';
import { renderCard } from './card.ts';
import { scaleFor } from './colors.ts';
import { labelAnchor } from './geometry.ts';
import { HexBinner, hexResolution, StatusBinner } from './hex-bins.ts';
import { alertsLayer, type AlertMarker } from './layers/alerts.ts';
import { areaLabelsLayer } from './layers/area-labels.ts';
import { basemapLayer } from './layers/basemap.ts';
import { areaLabels, type AreaLabel } from './label-layout.ts';
import { AREAS_LAYER_ID, areasLayer, BORDER } from './layers/areas.ts';
import { deviceCellsLayer } from './layers/device-cells.ts';
import { bordersLayer, uniqueSegments, type Segments } from './layers/borders.ts';
import { ATTENTION_LAYER_ID, attentionLayer, DENSE, DEVICES_LAYER_ID, devicesLayer } from './layers/devices.ts';
import { hexesLayer } from './layers/hexes.ts';
import type { FeedbackHeat } from './feedback-heat.ts';
import { feedbackHeatLayer, heatSteps } from './layers/feedback-heat.ts';
import { renderFeedbackLegend, renderHexLegend, renderIndicatorLegend } from './legend.ts';
import { createMap, type WallMap } from './map.ts';
import type { WallElements } from './page.ts';
import type { Playback } from './playback.ts';
import { currentIndicator, type WallState } from './state.ts';
import type { WallStore } from './store.ts';
import { tooltipFor } from './tooltip.ts';
import { initialViewState, type Bounds, type MapViewState } from './view.ts';

/** The former districts' outlines: warm, so they read as another kind of line than the wards' borders. */
const DISTRICT_LINE: [number, number, number, number] = [255, 214, 102, 210];
const FONT_FAMILY = 'system-ui, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif';
/** From this zoom on (a district on screen) a dense layer is drawn dot by dot again. */
const DENSE_DOTS_ZOOM = 13;
/** The 4K wall draws the page at twice the size (style.css); the map's labels and dots follow. */
const WALL_4K = window.matchMedia('(min-width: 3000px) and (min-height: 1600px)');
const uiScale = (): number => (WALL_4K.matches ? 2 : 1);

function dotRadius(zoom: number): number {
  return (zoom >= 12 ? 6 : zoom >= 10.5 ? 5 : 4) * uiScale();
}

export interface MapViewParts {
  els: WallElements;
  state: WallState;
  store: WallStore;
  alerts: AlertBoard;
  playback: Playback;
  feedback: FeedbackHeat;
  scheduleRender(): void;
}

export class MapView {
  private readonly map: WallMap;
  private readonly binner = new HexBinner();
  private readonly statusBinner = new StatusBinner();
  private labels: AreaLabel[] = [];
  private labelsKey = '';
  private renderedZoomKey = '';
  private anchors = new Map<string, [number, number]>();
  private resizeTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly tools: AreaTools;
  private wardBorders: Segments = { length: 0, coords: new Float64Array() };
  private districtBorders: Segments = { length: 0, coords: new Float64Array() };
  /** Made once: the same layer each render keeps its tile cache. */
  private basemap: { layer: Layer; attribution: string } | null = null;

  constructor(private readonly parts: MapViewParts) {
    const { els, state, store, playback } = parts;
    this.map = createMap(els.map, {
      initialViewState: this.fittedView(),
      getTooltip: (info) => tooltipFor(info, store, state.lang, state.hexMetric, playback),
      onZoom: () => {
        // Only a change in which names fit, dot size or hex size is worth new layers; the rest is deck.gl's business.
        if (this.zoomKey() !== this.renderedZoomKey) parts.scheduleRender();
      },
      onClick: (info) => {
        if (!info.layer) {
          state.pinned = null;
        } else if (info.layer.id === DEVICES_LAYER_ID || info.layer.id === ATTENTION_LAYER_ID) {
          const index = info.layer.id === DEVICES_LAYER_ID ? info.index : (info.object as number);
          const e = store.entities.view(index);
          state.pinned = e ? { type: 'entity', id: e.id } : null;
        } else if (info.layer.id === AREAS_LAYER_ID && info.object) {
          state.pinned = { type: 'area', code: (info.object as { properties: { code: string } }).properties.code };
        }
        void renderCard(els.card, state.pinned, store, state.lang, currentIndicator(state, store), playback);
      },
    });
    this.tools = new AreaTools({
      el: els.areaTools,
      state,
      store,
      show: (code) => this.showArea(code),
      scheduleRender: parts.scheduleRender,
    });
    // A wall's browser may start small and go full screen: fit the city again while nobody has moved the map.
    window.addEventListener('resize', () => {
      clearTimeout(this.resizeTimer);
      this.resizeTimer = setTimeout(() => this.map.fit(this.fittedView()), 200);
    });
  }

  render(indicator: Indicator | undefined): void {
    const { els, state, store, playback, feedback } = this.parts;
    const key = `${store.areasVersion}|${state.lang}`;
    if (key !== this.labelsKey) {
      this.labels = areaLabels(store.areas, state.lang);
      this.anchors = new Map(store.areas.map((a) => [a.properties.code, labelAnchor(a)?.position ?? [0, 0]]));
      if (!this.labelsKey.startsWith(`${store.areasVersion}|`)) {
        this.wardBorders = uniqueSegments(store.areas);
        this.districtBorders = uniqueSegments(store.districts);
      }
      this.labelsKey = key;
      this.renderAttribution();
    }
    this.tools.render();
    const replay = playback.active && playback.indicator === indicator?.name;
    const values = replay
      ? playback.valuesAt()
      : new Map<string, number | null>(
          indicator ? [...store.latestByArea(indicator.name)].map(([area, point]) => [area, point.value]) : [],
        );
    // The scale is of the units shown: the city's row and the former districts' would stretch it.
    for (const code of values.keys()) if (!store.areaCodes.has(code)) values.delete(code);
    const scale = scaleFor(indicator, values.values());
    const zoom = this.map.zoom();
    this.renderedZoomKey = this.zoomKey();
    store.entities.setRadius(dotRadius(zoom));
    const layers: Layer[] = [];
    if (this.basemap) layers.push(this.basemap.layer);
    layers.push(
      areasLayer(store.areas, {
        indicator: indicator?.name ?? null,
        values,
        scale,
        version: replay ? playback.t : indicator ? store.seriesVersion(indicator.name) : 0,
      }) as never,
    );
    layers.push(bordersLayer('ward-borders', this.wardBorders, BORDER, 1) as never);
    if (state.districtLines)
      layers.push(bordersLayer('district-borders', this.districtBorders, DISTRICT_LINE, 2 * uiScale()) as never);
    const res = hexResolution(zoom);
    const version = `${res}|${store.entities.version}`;
    if (state.hexMetric) {
      const bins = this.binner.bin(store.entities, state.hexMetric, res);
      layers.push(hexesLayer(bins, { metric: state.hexMetric, version }) as never);
    }
    // Under the devices and alerts: the heat says where people complain, the dots what the city measures there.
    // The devices' hexagons: finer ones vanish at the city's zoom, and the operator zooms in to see the street.
    const reportBins = state.feedback ? feedback.bin(res) : [];
    const steps = heatSteps(reportBins.reduce((m, b) => Math.max(m, b.reports), 0));
    if (state.feedback)
      layers.push(
        feedbackHeatLayer(reportBins, { steps, version: `${res}|${steps.join(',')}|${feedback.total}` }) as never,
      );
    // Past DENSE devices the city view shows H3 cells of the worst state; zoomed into a district, every dot again.
    const dense = store.entities.length > DENSE && zoom < DENSE_DOTS_ZOOM;
    layers.push(
      ...(dense
        ? [deviceCellsLayer(this.statusBinner.bin(store.entities, res), { version }) as never]
        : [devicesLayer(store.entities) as never, attentionLayer(store.entities, store.entities.attention()) as never]),
      alertsLayer(this.alertMarkers(), { pulse: state.pulse }) as never,
      // Names above the dots: a dense district must still say which district it is.
      areaLabelsLayer(this.labels, { zoom, fontFamily: FONT_FAMILY, scale: uiScale() }) as never,
    );
    this.map.setLayers(layers);
    renderIndicatorLegend(els.legend, indicator, scale, state.lang);
    renderHexLegend(els.hexLegend, state.hexMetric, state.lang);
    renderFeedbackLegend(els.feedbackLegend, state.feedback, { steps, total: feedback.total }, state.lang);
  }

  /** The street base map under every layer, from the engine's BASEMAP_URL; null keeps the offline outline alone. */
  setBasemap(basemap: Basemap | null): void {
    this.basemap = basemap ? { layer: basemapLayer(basemap), attribution: basemap.attribution } : null;
    this.renderAttribution();
    this.parts.scheduleRender();
  }

  /** Flies to a unit (found by name) and opens its card. */
  showArea(code: string): void {
    const { els, state, store } = this.parts;
    const feature = store.areas.find((a) => a.properties.code === code);
    if (!feature) return;
    let [minX, minY, maxX, maxY] = [Infinity, Infinity, -Infinity, -Infinity];
    const polygons =
      feature.geometry.type === 'Polygon' ? [feature.geometry.coordinates] : feature.geometry.coordinates;
    for (const polygon of polygons)
      for (const [x = 0, y = 0] of polygon[0] ?? []) {
        minX = Math.min(minX, x);
        maxX = Math.max(maxX, x);
        minY = Math.min(minY, y);
        maxY = Math.max(maxY, y);
      }
    const bounds: Bounds = [
      [minX, minY],
      [maxX, maxY],
    ];
    this.map.flyTo(
      initialViewState(els.map.clientWidth, els.map.clientHeight, els.deviceLegend.offsetWidth, bounds, 15),
    );
    state.pinned = { type: 'area', code };
    void renderCard(els.card, state.pinned, store, state.lang, currentIndicator(state, store), this.parts.playback);
    this.parts.scheduleRender();
  }

  /** The whole city in the map's box, beside the device legend. */
  private fittedView(): MapViewState {
    const { els } = this.parts;
    return initialViewState(els.map.clientWidth, els.map.clientHeight, els.deviceLegend.offsetWidth);
  }

  /** The boundaries' credit, and the base map's beside it. */
  private renderAttribution(): void {
    const credits = [this.parts.store.attribution, this.basemap?.attribution ?? ''].filter(Boolean);
    this.parts.els.attribution.textContent = credits.join(' · ');
  }

  private zoomKey(): string {
    const zoom = this.map.zoom();
    const names = this.labels.reduce((n, l) => n + (l.minZoom + Math.log2(uiScale()) <= zoom ? 1 : 0), 0);
    return `${names}|${dotRadius(zoom)}|${hexResolution(zoom)}|${zoom >= DENSE_DOTS_ZOOM}`;
  }

  private alertMarkers(): AlertMarker[] {
    const { store, playback } = this.parts;
    const alerts = playback.active ? playback.board : this.parts.alerts;
    const out: AlertMarker[] = [];
    for (const a of alerts.active()) {
      const i = store.entities.indexOf(a.subject);
      const position: [number, number] | undefined =
        i !== undefined
          ? [store.entities.positions[i * 2]!, store.entities.positions[i * 2 + 1]!]
          : this.anchors.get(a.area);
      if (position) out.push({ id: a.id, position, severity: a.severity, acknowledged: a.status === 'acknowledged' });
    }
    return out;
  }
}
