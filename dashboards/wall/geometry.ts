// Plain-geometry helpers for the areas: a label anchor per area and the zoom at which a label fits inside it.
import polylabel from 'polylabel';
import type { AreaFeature, AreaGeometry } from '../shared/wire/index.ts';

type Ring = number[][];

function polygonsOf(geometry: AreaGeometry): Ring[][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** Planar area of a ring in square degrees; fine at city scale for choosing the largest part. */
function ringArea(ring: Ring): number {
  let area = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [x0 = 0, y0 = 0] = ring[j]!;
    const [x1 = 0, y1 = 0] = ring[i]!;
    area += x0 * y1 - x1 * y0;
  }
  return Math.abs(area / 2);
}

export interface LabelAnchor {
  position: [number, number];
  /** Width of the largest part of the area, in degrees of longitude. */
  widthDeg: number;
}

/**
 * Where the name of an area goes: the point of its largest part farthest from any edge (holes included), so it lies
 * inside even a C-shaped or ring-shaped area, whose centroid can fall outside; and that part's width.
 */
export function labelAnchor(feature: AreaFeature): LabelAnchor | null {
  const known = anchors.get(feature);
  if (known !== undefined) return known;
  const anchor = findAnchor(feature);
  anchors.set(feature, anchor);
  return anchor;
}

// The map and the label layout both ask, once per area and again on each reload of the same features.
const anchors = new WeakMap<AreaFeature, LabelAnchor | null>();

/** Even-odd test against every ring of the polygon (holes included). */
function insidePolygon(polygon: Ring[], x: number, y: number): boolean {
  let inside = false;
  for (const ring of polygon) {
    for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
      const [xi = 0, yi = 0] = ring[i]!;
      const [xj = 0, yj = 0] = ring[j]!;
      if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
    }
  }
  return inside;
}

function findAnchor(feature: AreaFeature): LabelAnchor | null {
  let best: { area: number; polygon: Ring[] } | null = null;
  for (const polygon of polygonsOf(feature.geometry)) {
    const outer = polygon[0];
    if (!outer || outer.length < 3) continue;
    const area = ringArea(outer);
    if (!best || area > best.area) best = { area, polygon };
  }
  if (!best) return null;
  let minX = Infinity;
  let maxX = -Infinity;
  let minY = Infinity;
  let maxY = -Infinity;
  for (const [x = NaN, y = NaN] of best.polygon[0]!) {
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  // The areas file's own label point, when it lies in the largest part, spares the search: polylabel over 126 wards
  // took most of the wall's first second in a software-rendered browser.
  const given = feature.properties['centroid'];
  if (Array.isArray(given) && typeof given[0] === 'number' && typeof given[1] === 'number') {
    const [gx, gy] = given as [number, number];
    if (insidePolygon(best.polygon, gx, gy)) return { position: [gx, gy], widthDeg: maxX - minX };
  }
  // polylabel's precision is in the coordinates' units (degrees): a thousandth of the part's size.
  const precision = Math.max(maxX - minX, maxY - minY) / 1000 || 1e-9;
  const [x, y] = polylabel(best.polygon as [number, number][][], precision);
  return { position: [x, y], widthDeg: maxX - minX };
}

/** Web-Mercator zoom at which `widthDeg` of longitude spans `pixels` (512-pixel world at zoom 0). */
export function zoomForWidth(widthDeg: number, pixels: number): number {
  if (widthDeg <= 0) return Infinity;
  return Math.log2((pixels * 360) / (512 * widthDeg));
}
