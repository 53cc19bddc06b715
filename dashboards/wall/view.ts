// The map's initial view: the whole city fitted into the map's size, clear of the legend panels on the left.
import { WebMercatorViewport } from '@deck.gl/core';

/** South-west and north-east corners as [lon, lat]. */
export type Bounds = [[number, number], [number, number]];

export interface MapViewState {
  longitude: number;
  latitude: number;
  zoom: number;
  pitch: number;
  bearing: number;
  minZoom: number;
  maxZoom: number;
}

/** Hanoi's bounding box (lon 105.285–106.020, lat 20.564–21.386). */
const HANOI_BOUNDS: Bounds = [
  [105.285, 20.564],
  [106.02, 21.386],
];

/** Used when the map has no size yet (hidden tab, tests): the urban core with the city around it. */
const DEFAULT_VIEW: MapViewState = {
  longitude: 105.83,
  latitude: 21.03,
  zoom: 9.3,
  pitch: 0,
  bearing: 0,
  minZoom: 7,
  maxZoom: 17,
};

/**
 * Fits the city rather than fixing one zoom, so a 1366×768 laptop and a 1920×1080 wall both show
 * every district, each as large as its screen allows. `leftInset` is the width of the legend panels.
 */
export function initialViewState(
  width: number,
  height: number,
  leftInset: number,
  bounds: Bounds = HANOI_BOUNDS,
  maxZoom = 10.5,
): MapViewState {
  if (width < 200 || height < 200) return DEFAULT_VIEW;
  // Clear the panels only when that still leaves the city a fair share of the width.
  const left = width - leftInset > 700 ? leftInset + 16 : 16;
  const fitted = new WebMercatorViewport({ width, height }).fitBounds(bounds, {
    padding: { top: 28, bottom: 28, left, right: 28 },
    maxZoom,
  });
  return { ...DEFAULT_VIEW, longitude: fitted.longitude, latitude: fitted.latitude, zoom: fitted.zoom };
}
