// The areas in the simulator's own shape: the simulator imports no engine code, so it is handed them.
import type { Area, AreaIndex } from './areas.ts';

// People per km² where nothing better is known: the urban and rural averages of Hanoi's 2019 census.
const URBAN_DENSITY = 10_000;
const RURAL_DENSITY = 1_200;

export function simulatorAreas(areas: AreaIndex) {
  return areas.areas.map((a) => {
    const district = a.parent === undefined ? undefined : areas.get(a.parent);
    return {
      code: a.code,
      name: a.name,
      centroid: a.centroid,
      urban: a.kind === 'phuong' || a.kind === 'quan',
      people: Math.round(peopleOf(a, district)),
      district: district ? district.code.replace(/^former_/, '') : null,
      randomPoint: (rng: () => number) => areas.randomPoint(a.code, rng),
    };
  });
}

/** Its own population; else its share of its district's, by area; else an average density. */
function peopleOf(a: Area, district: Area | undefined): number {
  const own = a.properties.population;
  if (typeof own === 'number' && own > 0) return own;
  const pop = district?.properties.population;
  if (district && typeof pop === 'number' && pop > 0) return (pop * a.areaKm2) / district.areaKm2;
  return a.areaKm2 * (a.kind === 'phuong' || a.kind === 'quan' ? URBAN_DENSITY : RURAL_DENSITY);
}
