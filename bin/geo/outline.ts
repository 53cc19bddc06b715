// An approximate city outline: the union of discs round the district centroids, seen from the city centre.
//
// The outline is star-shaped: along each bearing from the centre it reaches the farthest disc. A convex hull
// would swallow the strip of Vĩnh Phúc north of Phúc Thọ and Đan Phượng and hand it to the districts there;
// following the discs keeps that notch (and the bay of Hưng Yên south-east of Gia Lâm). The result is cut to
// the city's bounding box.
import { clipToBox, type Pt } from './plane.ts';

const BEARINGS = 360;
// Averaging the reach over neighbouring bearings rounds off the seams where two discs meet.
const SMOOTH_BEARINGS = 5;

export interface Box {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** Disc i has radius scale·rᵢ; `centre` must lie inside the union of the discs. */
export function outlineOfDiscs(
  centre: Pt,
  discs: readonly Pt[],
  radii: readonly number[],
  scale: number,
  box: Box,
): Pt[] {
  const reach = discReach(centre, discs, radii, scale);
  const ring: Pt[] = [];
  for (let b = 0; b < BEARINGS; b++) {
    let sum = 0;
    for (let k = -SMOOTH_BEARINGS; k <= SMOOTH_BEARINGS; k++) sum += reach[(b + k + BEARINGS) % BEARINGS]!;
    const t = sum / (2 * SMOOTH_BEARINGS + 1);
    const a = (2 * Math.PI * b) / BEARINGS;
    ring.push([centre[0] + t * Math.cos(a), centre[1] + t * Math.sin(a)]);
  }
  // A star-shaped ring clipped by a box round its centre stays one piece, so plain clipping is exact here.
  return clipToBox(ring, box.minX, box.minY, box.maxX, box.maxY);
}

/** The disc scale whose outline has the wanted area (bisection: the area grows with the scale). */
export function fitOutlineScale(areaAt: (scale: number) => number, targetArea: number, lo = 0.2, hi = 5): number {
  for (let i = 0; i < 60; i++) {
    const mid = (lo + hi) / 2;
    if (areaAt(mid) < targetArea) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** Per bearing, the distance from the centre to the far side of the farthest disc the ray meets. */
function discReach(centre: Pt, discs: readonly Pt[], radii: readonly number[], scale: number): number[] {
  const reach = new Array<number>(BEARINGS).fill(0);
  for (let b = 0; b < BEARINGS; b++) {
    const a = (2 * Math.PI * b) / BEARINGS;
    const ux = Math.cos(a),
      uy = Math.sin(a);
    discs.forEach((c, i) => {
      // Far intersection of the ray centre + t·u with the circle |p − c| = r.
      const dx = c[0] - centre[0],
        dy = c[1] - centre[1];
      const along = ux * dx + uy * dy;
      const r = scale * radii[i]!;
      const disc = r * r - (dx * dx + dy * dy) + along * along;
      if (disc >= 0) reach[b] = Math.max(reach[b]!, along + Math.sqrt(disc));
    });
  }
  return reach;
}
