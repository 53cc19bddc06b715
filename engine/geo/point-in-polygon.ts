// Plain even-odd point-in-polygon over a whole geometry: for sampling and checks, not the ingest hot path (see grid-index.ts).
import type { AreaGeometry } from './schema.ts';
import { openLength, polygonsOf } from './measure.ts';

export function pointInGeometry(geometry: AreaGeometry, lon: number, lat: number): boolean {
  let inside = false;
  // Even-odd over every ring of every part: holes flip back to outside, disjoint parts add up.
  for (const polygon of polygonsOf(geometry)) {
    for (const ring of polygon) {
      const n = openLength(ring);
      for (let i = 0, j = n - 1; i < n; j = i++) {
        const a = ring[i]!;
        const b = ring[j]!;
        // Half-open in y so a ray through a vertex counts it once.
        if (a[1] > lat !== b[1] > lat && lon < a[0] + ((lat - a[1]) * (b[0] - a[0])) / (b[1] - a[1])) {
          inside = !inside;
        }
      }
    }
  }
  return inside;
}
