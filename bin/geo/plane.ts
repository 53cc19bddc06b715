// Planar geometry in kilometres for building approximate area maps: projection and half-plane clipping.
import { KM_PER_DEG_LAT, kmPerDegLon } from '../../engine/geo/measure.ts';

export type Pt = [x: number, y: number];

/** An equirectangular plane centred on a reference point: straight lines stay straight in lon/lat. */
export interface Plane {
  toKm(lon: number, lat: number): Pt;
  toLonLat(p: Pt): [number, number];
}

export function planeAt(lon0: number, lat0: number): Plane {
  const kx = kmPerDegLon(lat0);
  const ky = KM_PER_DEG_LAT;
  return {
    toKm: (lon, lat) => [(lon - lon0) * kx, (lat - lat0) * ky],
    toLonLat: ([x, y]) => [lon0 + x / kx, lat0 + y / ky],
  };
}

/**
 * Sutherland–Hodgman against one half-plane {p : n·p ≤ r}. Exact for a convex polygon, which is all this
 * module clips: the outline is a hull and every power-diagram cell is an intersection of half-planes.
 */
export function clipHalfPlane(poly: readonly Pt[], nx: number, ny: number, r: number): Pt[] {
  const out: Pt[] = [];
  const n = poly.length;
  for (let i = 0; i < n; i++) {
    const a = poly[i]!;
    const b = poly[(i + 1) % n]!;
    const da = nx * a[0] + ny * a[1] - r;
    const db = nx * b[0] + ny * b[1] - r;
    if (da <= 0) out.push(a);
    if (da <= 0 !== db <= 0) {
      const t = da / (da - db);
      out.push([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])]);
    }
  }
  return out;
}

/** A convex polygon clipped to an axis-aligned box. */
export function clipToBox(poly: readonly Pt[], minX: number, minY: number, maxX: number, maxY: number): Pt[] {
  let p = clipHalfPlane(poly, -1, 0, -minX);
  p = clipHalfPlane(p, 1, 0, maxX);
  p = clipHalfPlane(p, 0, -1, -minY);
  return clipHalfPlane(p, 0, 1, maxY);
}
