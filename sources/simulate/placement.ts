// Where the simulated devices stand: areas drawn by weight (cameras crowd where people live), points inside them.
import type { Rng } from './prng.ts';
import { pickWeighted, shuffle } from './prng.ts';
import type { SensorKind, SimArea } from './types.ts';

export interface Site {
  id: string;
  /** Index into the simulator's areas. */
  area: number;
  urban: boolean;
  lon: number;
  lat: number;
}

export interface SensorSite extends Site {
  kind: SensorKind;
}

// Shares of the sensor fleet by kind.
const SENSOR_SHARES: readonly [SensorKind, number][] = [
  ['air', 0.3],
  ['water', 0.2],
  ['noise', 0.2],
  ['weather', 0.15],
  ['network', 0.15],
];

// Former districts of the Tô Lịch basin and the old centre, where Hanoi's flood spots cluster: more water gauges.
const FLOOD_PRONE = new Set(['ba_dinh', 'cau_giay', 'dong_da', 'thanh_xuan', 'hoang_mai', 'ha_dong', 'hai_ba_trung']);

/** Area weights per device type: cameras and noise meters follow people, gauges follow the basins, weather is even. */
function areaWeights(areas: readonly SimArea[], what: 'camera' | SensorKind): number[] {
  return areas.map((a) => {
    switch (what) {
      case 'camera':
      case 'noise':
        return a.people * (a.urban ? 2 : 1);
      case 'air':
      case 'network':
        return a.people;
      case 'water':
        return a.district !== null && FLOOD_PRONE.has(a.district) ? 4 : a.urban ? 2 : 1;
      case 'weather':
        return 1;
    }
  });
}

function place(areas: readonly SimArea[], weights: readonly number[], id: string, rng: Rng): Site {
  const area = pickWeighted(rng, weights);
  const a = areas[area]!;
  const [lon, lat] = a.randomPoint(rng);
  return { id, area, urban: a.urban, lon, lat };
}

export function placeCameras(areas: readonly SimArea[], n: number, rng: Rng): Site[] {
  const weights = areaWeights(areas, 'camera');
  return Array.from({ length: n }, (_, i) => place(areas, weights, `cam-${pad(i + 1, n)}`, rng));
}

export function placeSensors(areas: readonly SimArea[], n: number, rng: Rng): SensorSite[] {
  // Exact quotas rather than draws, so a small fleet still has every kind.
  const kinds: SensorKind[] = [];
  for (const [kind, share] of SENSOR_SHARES) for (let k = 0; k < Math.floor(n * share); k++) kinds.push(kind);
  for (let k = 0; kinds.length < n; k++) kinds.push(SENSOR_SHARES[k % SENSOR_SHARES.length]![0]);
  shuffle(rng, kinds);
  const perKind = new Map<SensorKind, number>();
  return kinds.map((kind) => {
    const no = (perKind.get(kind) ?? 0) + 1;
    perKind.set(kind, no);
    return { ...place(areas, areaWeights(areas, kind), `sen-${kind}-${pad(no, n)}`, rng), kind };
  });
}

/** Zero-padded so ids sort in order: cam-007 … cam-300. */
function pad(i: number, n: number): string {
  return String(i).padStart(Math.max(3, String(n).length), '0');
}
