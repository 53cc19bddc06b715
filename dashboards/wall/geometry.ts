// Plain-geometry helpers for the areas: a label anchor per area and the zoom at which a label fits inside it.
import type { AreaFeature, AreaGeometry } from '../shared/messages.ts';

type Ring = number[][];

function polygonsOf(geometry: AreaGeometry): Ring[][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** Signed planar area and centroid of a ring in degrees; fine at city scale for placing labels. */
function ringStats(ring: Ring): { area: number; cx: number; cy: number } {
  let area = 0;
  let cx = 0;
  let cy = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [x0 = 0, y0 = 0] = ring[j]!;
    const [x1 = 0, y1 = 0] = ring[i]!;
    const cross = x0 * y1 - x1 * y0;
    area += cross;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  }
  area /= 2;
  if (Math.abs(area) < 1e-12) {
    const first = ring[0] ?? [0, 0];
    return { area: 0, cx: first[0] ?? 0, cy: first[1] ?? 0 };
  }
  return { area, cx: cx / (6 * area), cy: cy / (6 * area) };
}

export interface LabelAnchor {
  position: [number, number];
  /** Width of the largest part of the area, in degrees of longitude. */
  widthDeg: number;
}

/** Centroid and width of the largest part of a (multi)polygon, where its name goes. */
export function labelAnchor(feature: AreaFeature): LabelAnchor | null {
  let best: { area: number; cx: number; cy: number; ring: Ring } | null = null;
  for (const polygon of polygonsOf(feature.geometry)) {
    const outer = polygon[0];
    if (!outer || outer.length < 3) continue;
    const stats = ringStats(outer);
    if (!best || Math.abs(stats.area) > Math.abs(best.area)) best = { ...stats, ring: outer };
  }
  if (!best) return null;
  let minX = Infinity;
  let maxX = -Infinity;
  for (const [x = NaN] of best.ring) {
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
  }
  return { position: [best.cx, best.cy], widthDeg: maxX - minX };
}

/** Web-Mercator zoom at which `widthDeg` of longitude spans `pixels` (512-pixel world at zoom 0). */
export function zoomForWidth(widthDeg: number, pixels: number): number {
  if (widthDeg <= 0) return Infinity;
  return Math.log2((pixels * 360) / (512 * widthDeg));
}
