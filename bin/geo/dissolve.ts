// Dissolves polygons that tile a region into the region's outline: the boundary shared by two units is drawn once
// in each direction (their rings run counter-clockwise), so those edges cancel and the ones left close into rings.
// This needs units whose shared boundaries have the same vertices on both sides, as a topology-preserving
// simplification leaves them; a unit that only overlaps its neighbour would leave slivers, which the build reports.
import { polygonsOf, ringAreaKm2 } from '../../engine/geo/measure.ts';
import { pointInGeometry } from '../../engine/geo/point-in-polygon.ts';
import type { AreaGeometry, Position } from '../../engine/geo/schema.ts';

type Ring = [number, number][];

export function dissolve(geometries: readonly AreaGeometry[]): AreaGeometry {
  const key = (p: Position) => `${p[0]},${p[1]}`;
  // Directed edges by "from → to"; an edge met in the opposite direction cancels its twin.
  const edges = new Map<string, [Position, Position]>();
  for (const g of geometries) {
    for (const polygon of polygonsOf(g)) {
      polygon.forEach((ring, k) => {
        // Outer rings counter-clockwise, holes clockwise, whatever the file did.
        const closed = closeRing(ring);
        const ccw = signedArea(closed) > 0;
        const oriented = (k === 0) === ccw ? closed : [...closed].reverse();
        for (let i = 0; i + 1 < oriented.length; i++) {
          const a = oriented[i]!;
          const b = oriented[i + 1]!;
          if (a[0] === b[0] && a[1] === b[1]) continue;
          const twin = `${key(b)}>${key(a)}`;
          if (edges.has(twin)) edges.delete(twin);
          else edges.set(`${key(a)}>${key(b)}`, [a, b]);
        }
      });
    }
  }
  const outgoing = new Map<string, Position[]>();
  for (const [a, b] of edges.values()) {
    const list = outgoing.get(key(a));
    if (list) list.push(b);
    else outgoing.set(key(a), [b]);
  }
  const rings: Ring[] = [];
  for (const [start, ends] of outgoing) {
    while (ends.length > 0) {
      const first = start.split(',').map(Number) as [number, number];
      const ring: Ring = [first];
      let at = ends.pop()!;
      // A vertex where two pieces of outline touch has two ways out: either makes a closed ring.
      while (key(at) !== start) {
        ring.push([at[0], at[1]]);
        const next = outgoing.get(key(at));
        if (!next || next.length === 0) throw new Error(`the outline does not close at ${key(at)}`);
        at = next.pop()!;
      }
      ring.push([first[0], first[1]]);
      if (ring.length >= 4) rings.push(ring);
    }
  }
  const outers = rings.filter((r) => signedArea(r) > 0).sort((a, b) => ringAreaKm2(b) - ringAreaKm2(a));
  const holes = rings.filter((r) => signedArea(r) < 0);
  const polygons: Ring[][] = outers.map((r) => [r]);
  for (const hole of holes) {
    const [x, y] = hole[0]!;
    // The smallest outer ring holding the hole's first vertex (which lies on the hole, so test its neighbours'
    // midpoint, just inside the hole's side).
    const owner = [...polygons]
      .reverse()
      .find((p) =>
        pointInGeometry({ type: 'Polygon', coordinates: [p[0]!] }, (x + hole[1]![0]) / 2, (y + hole[1]![1]) / 2),
      );
    if (!owner) throw new Error(`a hole at ${x},${y} lies in no outer ring`);
    owner.push(hole);
  }
  return polygons.length === 1
    ? { type: 'Polygon', coordinates: polygons[0]! }
    : { type: 'MultiPolygon', coordinates: polygons };
}

function closeRing(ring: readonly Position[]): readonly Position[] {
  const first = ring[0]!;
  const last = ring[ring.length - 1]!;
  return first[0] === last[0] && first[1] === last[1] ? ring : [...ring, first];
}

/** Twice the signed planar area: positive for a counter-clockwise ring. */
function signedArea(ring: readonly Position[]): number {
  let a = 0;
  const [ox, oy] = ring[0]!;
  for (let i = 0; i + 1 < ring.length; i++) {
    const p = ring[i]!;
    const q = ring[i + 1]!;
    a += (p[0] - ox) * (q[1] - oy) - (q[0] - ox) * (p[1] - oy);
  }
  return a;
}
