// Benchmark: events assigned to areas per second (AreaIndex.locate, the ingest's hot path) at 30 polygons (the former
// districts' approximate shapes), 126 (the wards' real boundaries) and 3,000 (a synthetic tessellation of the city
// with 20-metre-detailed borders, as official boundaries of a finer level would be). The ratio is to 30 polygons.
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { createAreaIndex, loadAreas, type AreaIndex, type AreasFile } from '../engine/geo/index.ts';
import { mulberry32 } from '../sources/simulate/prng.ts';
import { quantile } from './lib/stats.ts';
import { report, type BenchResult } from './report.ts';

const { values } = parseArgs({
  options: { points: { type: 'string', default: '2000000' }, runs: { type: 'string', default: '5' } },
});
const POINTS = Number(values.points);
const RUNS = Number(values.runs);
const BOX = { minLon: 105.28, minLat: 20.56, maxLon: 106.02, maxLat: 21.39 };

/** A grid of n × n cells over the city's box, each border drawn with a wiggle every ~20 m, shared exactly by both sides. */
function tessellation(n: number): AreasFile {
  const rng = mulberry32(3000);
  const jitter = Array.from({ length: (n + 1) * (n + 1) }, () => [rng() - 0.5, rng() - 0.5] as const);
  const dx = (BOX.maxLon - BOX.minLon) / n;
  const dy = (BOX.maxLat - BOX.minLat) / n;
  const corner = (i: number, j: number): [number, number] => {
    const [a, b] = jitter[j * (n + 1) + i]!;
    const inner = i > 0 && i < n && j > 0 && j < n;
    return [BOX.minLon + (i + (inner ? 0.3 * a : 0)) * dx, BOX.minLat + (j + (inner ? 0.3 * b : 0)) * dy];
  };
  // Points along an edge, with a deterministic sideways wiggle, so both cells get the same vertices.
  const edge = (p: [number, number], q: [number, number]): [number, number][] => {
    const steps = Math.max(2, Math.round(Math.hypot((q[0] - p[0]) * 104, (q[1] - p[1]) * 111) / 0.02 / 8));
    const out: [number, number][] = [];
    for (let k = 0; k < steps; k++) {
      const t = k / steps;
      const w = k === 0 ? 0 : 0.02 * Math.sin(37 * (p[0] + q[0]) + 53 * (p[1] + q[1]) + k);
      out.push([p[0] + t * (q[0] - p[0]) - w * (q[1] - p[1]), p[1] + t * (q[1] - p[1]) + w * (q[0] - p[0])]);
    }
    return out;
  };
  const side = (p: [number, number], q: [number, number]) =>
    p[0] < q[0] || (p[0] === q[0] && p[1] < q[1]) ? edge(p, q) : [...edge(q, p), q].reverse().slice(0, -1);
  const features = [];
  for (let j = 0; j < n; j++)
    for (let i = 0; i < n; i++) {
      const [a, b, c, d] = [corner(i, j), corner(i + 1, j), corner(i + 1, j + 1), corner(i, j + 1)];
      const ring = [...side(a, b), ...side(b, c), ...side(c, d), ...side(d, a), a];
      features.push({
        type: 'Feature' as const,
        properties: { code: `cell_${i}_${j}`, name: `cell ${i} ${j}` },
        geometry: { type: 'Polygon' as const, coordinates: [ring] },
      });
    }
  return { type: 'FeatureCollection', features };
}

function rate(index: AreaIndex, lon: Float64Array, lat: Float64Array): { perS: number; placed: number } {
  const perRun: number[] = [];
  let placed = 0;
  for (let r = 0; r < RUNS; r++) {
    placed = 0;
    const t0 = performance.now();
    for (let k = 0; k < lon.length; k++) if (index.locate(lon[k]!, lat[k]!) !== null) placed++;
    perRun.push(lon.length / ((performance.now() - t0) / 1000));
  }
  return { perS: quantile(perRun, 0.5), placed };
}

const rng = mulberry32(7);
const lon = new Float64Array(POINTS).map(() => BOX.minLon + rng() * (BOX.maxLon - BOX.minLon));
const lat = new Float64Array(POINTS).map(() => BOX.minLat + rng() * (BOX.maxLat - BOX.minLat));
const districts = await loadAreas(fileURLToPath(new URL('../engine/geo/hanoi-districts.geojson', import.meta.url)));
const wards = await loadAreas();
const t0 = performance.now();
const fine = createAreaIndex(tessellation(55));
const buildMs = performance.now() - t0;
const results: BenchResult[] = [];
for (const [name, index] of [
  ['geo.assign_per_s.30', districts],
  ['geo.assign_per_s.126', wards],
  ['geo.assign_per_s.3000', fine],
] as const) {
  const { perS, placed } = rate(index, lon, lat);
  const edges = index.areas.reduce((s, a) => s + JSON.stringify(a.geometry).split('],[').length, 0);
  results.push({
    name,
    unit: 'events/s',
    value: Math.round(perS),
    baseline: 'geo.assign_per_s.30',
    details: {
      polygons: index.areas.length,
      vertices: edges,
      'placed %': Math.round((100 * placed) / POINTS),
      ...(index === fine ? { 'index built ms': Math.round(buildMs) } : {}),
    },
  });
}
await report('geo', results);
