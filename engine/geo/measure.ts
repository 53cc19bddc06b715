// Measurements on lon/lat rings and polygons: geodesic area, bounding box, centroid, and the km-per-degree scale.
import type { AreaGeometry, Position } from './schema.ts';

const EARTH_RADIUS_KM = 6371.0088;
const RAD = Math.PI / 180;

/** Kilometres per degree of latitude (nearly constant) and of longitude at a given latitude. */
export const KM_PER_DEG_LAT = EARTH_RADIUS_KM * RAD;
export function kmPerDegLon(lat: number): number {
  return KM_PER_DEG_LAT * Math.cos(lat * RAD);
}

/** Area on the sphere of a ring (open or closed), km², unsigned. */
export function ringAreaKm2(ring: readonly Position[]): number {
  const n = openLength(ring);
  if (n < 3) return 0;
  let total = 0;
  // Sum over each vertex of (λ_next − λ_prev)·sin φ: the spherical form of the shoelace formula.
  for (let i = 0; i < n; i++) {
    const prev = ring[(i + n - 1) % n]!;
    const cur = ring[i]!;
    const next = ring[(i + 1) % n]!;
    total += (next[0] - prev[0]) * RAD * Math.sin(cur[1] * RAD);
  }
  return Math.abs((total * EARTH_RADIUS_KM * EARTH_RADIUS_KM) / 2);
}

/** Outer rings minus holes, km². */
export function geometryAreaKm2(geometry: AreaGeometry): number {
  let total = 0;
  for (const polygon of polygonsOf(geometry)) {
    polygon.forEach((ring, k) => {
      total += k === 0 ? ringAreaKm2(ring) : -ringAreaKm2(ring);
    });
  }
  return total;
}

export type BBox = [minLon: number, minLat: number, maxLon: number, maxLat: number];

export function geometryBBox(geometry: AreaGeometry): BBox {
  const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const polygon of polygonsOf(geometry)) {
    for (const p of polygon[0] ?? []) {
      if (p[0] < box[0]) box[0] = p[0];
      if (p[1] < box[1]) box[1] = p[1];
      if (p[0] > box[2]) box[2] = p[0];
      if (p[1] > box[3]) box[3] = p[1];
    }
  }
  return box;
}

/** Area-weighted centroid in lon/lat (planar: fine at city scale), holes subtracted. */
export function geometryCentroid(geometry: AreaGeometry): [number, number] {
  let a = 0;
  let cx = 0;
  let cy = 0;
  for (const polygon of polygonsOf(geometry)) {
    polygon.forEach((ring, k) => {
      const sign = k === 0 ? 1 : -1;
      const n = openLength(ring);
      // Relative to the first vertex, so the cross products do not lose digits to lon ≈ 105.
      const ox = ring[0]![0];
      const oy = ring[0]![1];
      let ra = 0;
      let rx = 0;
      let ry = 0;
      for (let i = 0; i < n; i++) {
        const p = ring[i]!;
        const q = ring[(i + 1) % n]!;
        const x0 = p[0] - ox,
          y0 = p[1] - oy,
          x1 = q[0] - ox,
          y1 = q[1] - oy;
        const cross = x0 * y1 - x1 * y0;
        ra += cross;
        rx += (x0 + x1) * cross;
        ry += (y0 + y1) * cross;
      }
      // Orientation differs between files; the ring's role (outer or hole) decides the sign.
      const s = sign * Math.sign(ra);
      a += (s * ra) / 2;
      cx += s * (rx / 6 + (ox * ra) / 2);
      cy += s * (ry / 6 + (oy * ra) / 2);
    });
  }
  if (a === 0) {
    const [minLon, minLat, maxLon, maxLat] = geometryBBox(geometry);
    return [(minLon + maxLon) / 2, (minLat + maxLat) / 2];
  }
  return [cx / a, cy / a];
}

/** Every polygon of a geometry as a list of rings, outer first. */
export function polygonsOf(geometry: AreaGeometry): readonly (readonly Position[][])[] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** Number of distinct vertices: a closed ring repeats its first position at the end. */
export function openLength(ring: readonly Position[]): number {
  const n = ring.length;
  if (n > 1 && ring[0]![0] === ring[n - 1]![0] && ring[0]![1] === ring[n - 1]![1]) return n - 1;
  return n;
}
