// Boundaries as one LineLayer of unique segments: a border two units share is drawn once, and a line segment costs a
// software-rendered wall (SwiftShader, no GPU) a fraction of what GeoJSON strokes cost through PathLayer; with the
// 126 wards' 20-metre boundaries those strokes alone held the wall to a frame or two a second.
import { LineLayer } from '@deck.gl/layers';
import type { AreaFeature } from '../../shared/wire/index.ts';
import type { Rgba } from '../colors.ts';

export interface Segments {
  length: number;
  /** x1, y1, x2, y2 per segment. */
  coords: Float64Array;
}

/** Each boundary segment once, whichever of its two units it came from. */
export function uniqueSegments(features: readonly AreaFeature[]): Segments {
  const seen = new Set<string>();
  const out: number[] = [];
  for (const f of features) {
    const polygons = f.geometry.type === 'Polygon' ? [f.geometry.coordinates] : f.geometry.coordinates;
    for (const polygon of polygons)
      for (const ring of polygon)
        for (let i = 0; i + 1 < ring.length; i++) {
          const [x1 = 0, y1 = 0] = ring[i]!;
          const [x2 = 0, y2 = 0] = ring[i + 1]!;
          if (x1 === x2 && y1 === y2) continue;
          const a = `${x1},${y1}`;
          const b = `${x2},${y2}`;
          const key = a < b ? `${a}|${b}` : `${b}|${a}`;
          if (seen.has(key)) continue;
          seen.add(key);
          out.push(x1, y1, x2, y2);
        }
  }
  return { length: out.length / 4, coords: Float64Array.from(out) };
}

export function bordersLayer(id: string, segments: Segments, color: Rgba, widthPx: number): LineLayer {
  return new LineLayer({
    id,
    data: {
      length: segments.length,
      attributes: {
        getSourcePosition: { value: segments.coords, size: 2, stride: 32, offset: 0 },
        getTargetPosition: { value: segments.coords, size: 2, stride: 32, offset: 16 },
      },
    },
    getColor: color,
    getWidth: widthPx,
    widthUnits: 'pixels',
    pickable: false,
  });
}
