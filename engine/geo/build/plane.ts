// Planar geometry in kilometres for building approximate area maps: projection, convex hull, half-plane clipping.
import { KM_PER_DEG_LAT, kmPerDegLon } from '../measure.ts';

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

/** Signed shoelace area: positive when counter-clockwise. */
export function signedArea(poly: readonly Pt[]): number {
  let a = 0;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    a += poly[j]![0] * poly[i]![1] - poly[i]![0] * poly[j]![1];
  }
  return a / 2;
}

/** Counter-clockwise convex hull (Andrew's monotone chain). */
export function convexHull(points: readonly Pt[]): Pt[] {
  const pts = [...points].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  if (pts.length < 3) return pts;
  const cross = (o: Pt, a: Pt, b: Pt) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
  const lower: Pt[] = [];
  for (const p of pts) {
    while (lower.length >= 2 && cross(lower[lower.length - 2]!, lower[lower.length - 1]!, p) <= 0) lower.pop();
    lower.push(p);
  }
  const upper: Pt[] = [];
  for (let i = pts.length - 1; i >= 0; i--) {
    const p = pts[i]!;
    while (upper.length >= 2 && cross(upper[upper.length - 2]!, upper[upper.length - 1]!, p) <= 0) upper.pop();
    upper.push(p);
  }
  return [...lower.slice(0, -1), ...upper.slice(0, -1)];
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

/** Area-weighted centroid of a simple polygon. */
export function polygonCentroid(poly: readonly Pt[]): Pt {
  let a = 0, cx = 0, cy = 0;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    const p = poly[j]!, q = poly[i]!;
    const cross = p[0] * q[1] - q[0] * p[1];
    a += cross;
    cx += (p[0] + q[0]) * cross;
    cy += (p[1] + q[1]) * cross;
  }
  if (a === 0) return poly[0] ?? [0, 0];
  return [cx / (3 * a), cy / (3 * a)];
}
