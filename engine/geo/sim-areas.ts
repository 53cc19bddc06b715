// The areas in the simulator's own shape: the simulator imports no engine code, so it is handed them.
import type { AreaIndex } from './areas.ts';

export function simulatorAreas(areas: AreaIndex) {
  return areas.areas.map((a) => ({
    code: a.code,
    name: a.name,
    centroid: a.centroid,
    urban: a.kind === 'quan',
    randomPoint: (rng: () => number) => areas.randomPoint(a.code, rng),
  }));
}
