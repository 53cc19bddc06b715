// Builds engine/geo/hanoi-districts.geojson: approximate shapes of Hanoi's 30 pre-2025 districts from public facts.
//
// Run: npx tsx bin/geo/build-hanoi-districts.ts [OUT_FILE]   (default: engine/geo/hanoi-districts.geojson)
//
// No surveyed boundary is used. The shapes are a power diagram (weighted Voronoi) of the district centroids,
// its weights fitted so each cell's area comes out near the district's official area, inside an outline made
// of discs round the centroids (sized to the districts' total area), cut to the city's bounding box. Every check
// below must pass (simple rings, each centroid inside its own district, urban quận near the centre, total area)
// or nothing is written.
// The output is deterministic: the same facts give the same file byte for byte.
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';
import { geometryAreaKm2, ringAreaKm2 } from '../../engine/geo/measure.ts';
import { pointInGeometry } from '../../engine/geo/point-in-polygon.ts';
import type { AreaGeometry } from '../../engine/geo/schema.ts';
import { HANOI_AREA_KM2, HANOI_BBOX, HANOI_DISTRICTS, type DistrictFact } from './district-facts.ts';
import { fitOutlineScale, outlineOfDiscs } from './outline.ts';
import { planeAt, type Pt } from './plane.ts';
import { fitPowerDiagram } from './power-diagram.ts';
import { isSimpleRing } from './simple-ring.ts';
import { featureCollectionText, finishBuild } from './geojson-text.ts';

const OUT_FILE = process.argv[2]
  ? resolve(process.argv[2])
  : fileURLToPath(new URL('../../engine/geo/hanoi-districts.geojson', import.meta.url));
const FIT_ITERATIONS = 3000;
// A site keeps at least 5 % of the distance to each neighbour between itself and its cell's edge.
const SITE_MARGIN = 0.9;
// The outline is drawn as seen from the old city centre.
const CITY_CENTRE = { lon: 105.83, lat: 21.0 };
// Where the 12 urban quận lie: a box round the old city, 21.0 N 105.83 E.
const URBAN_CORE = { minLon: 105.68, minLat: 20.9, maxLon: 105.99, maxLat: 21.15 };

const plane = planeAt(105.75, 21.0);
const km2 = (cell: readonly Pt[]) => ringAreaKm2(cell.map((p) => plane.toLonLat(p)));

/** The size each cell is fitted to: the official area, else the surveyed polygon's. */
const targetOf = (d: DistrictFact) => d.areaKm2 ?? d.referencePolygonKm2;

function build(): { geojson: string; report: string[]; problems: string[] } {
  const sites = HANOI_DISTRICTS.map((d) => plane.toKm(d.lon, d.lat));
  const targets = HANOI_DISTRICTS.map(targetOf);
  const totalTarget = targets.reduce((a, b) => a + b, 0);

  const [minX, minY] = plane.toKm(HANOI_BBOX.minLon, HANOI_BBOX.minLat);
  const [maxX, maxY] = plane.toKm(HANOI_BBOX.maxLon, HANOI_BBOX.maxLat);
  const box = { minX, minY, maxX, maxY };
  const radii = targets.map((t) => Math.sqrt(t / Math.PI));
  const centre = plane.toKm(CITY_CENTRE.lon, CITY_CENTRE.lat);
  const scale = fitOutlineScale((s) => km2(outlineOfDiscs(centre, sites, radii, s, box)), totalTarget);
  const outline = outlineOfDiscs(centre, sites, radii, scale, box);

  const fit = fitPowerDiagram(sites, targets, outline, {
    iterations: FIT_ITERATIONS,
    areaOf: km2,
    siteMargin: SITE_MARGIN,
  });

  const features = HANOI_DISTRICTS.map((d, i) => {
    const geometry: AreaGeometry = { type: 'Polygon', coordinates: [toRing(fit.cells[i]!)] };
    return {
      type: 'Feature' as const,
      properties: {
        code: d.code,
        name: d.name,
        nameEn: d.nameEn,
        kind: d.kind,
        gsoCode: d.gsoCode,
        population: d.population,
        populationYear: d.populationYear,
        areaKm2: d.areaKm2 ?? round(geometryAreaKm2(geometry), 2),
        centroid: [d.lon, d.lat],
        approximate: true,
      },
      geometry,
    };
  });

  const report: string[] = [
    `outline: discs of ${scale.toFixed(3)} × each district's equal-area radius, ${km2(outline).toFixed(1)} km² (target ${totalTarget.toFixed(1)})`,
    'code            kind    target km²  polygon km²   diff',
  ];
  const problems: string[] = [];
  let total = 0;
  features.forEach((f, i) => {
    const d = HANOI_DISTRICTS[i]!;
    const area = geometryAreaKm2(f.geometry);
    total += area;
    const diff = (100 * (area - targets[i]!)) / targets[i]!;
    report.push(
      `${d.code.padEnd(15)} ${d.kind.padEnd(7)} ${targets[i]!.toFixed(2).padStart(10)} ${area.toFixed(2).padStart(12)} ${diff.toFixed(1).padStart(6)} %`,
    );
    if (!isSimpleRing(f.geometry.coordinates[0]!)) problems.push(`${d.code}: its ring touches itself`);
    if (!pointInGeometry(f.geometry, d.lon, d.lat)) problems.push(`${d.code}: its centroid is outside its polygon`);
    if (d.kind === 'quan' && !withinUrbanCore(f.geometry))
      problems.push(`${d.code}: a quận reaching outside the urban core`);
  });
  const off = (100 * (total - HANOI_AREA_KM2)) / HANOI_AREA_KM2;
  report.push(`total polygon area ${total.toFixed(1)} km² vs official ${HANOI_AREA_KM2} km² (${off.toFixed(2)} %)`);
  if (Math.abs(off) > 10) problems.push(`total area off by ${off.toFixed(1)} %`);

  const header = {
    type: 'FeatureCollection',
    name: 'Hanoi districts before July 2025 (approximate)',
    note:
      'Approximate shapes, not survey boundaries: a weighted Voronoi diagram of public district centroids, ' +
      'fitted to the district areas, inside an outline built from the same facts and the city bounding box. ' +
      'Fine for maps and for assigning events to districts; not for legal or cadastral use. ' +
      'Since 1 July 2025 Hanoi is divided into 126 communes and wards.',
  };
  const geojson = featureCollectionText(header, features);
  return { geojson, report, problems };
}

/** Planar cell → closed lon/lat ring, 5 decimals (about a metre), counter-clockwise as RFC 7946 asks. */
function toRing(cell: readonly Pt[]): [number, number][] {
  const ring: [number, number][] = [];
  for (const p of cell) {
    const [lon, lat] = plane.toLonLat(p);
    const q: [number, number] = [round(lon, 5), round(lat, 5)];
    const last = ring[ring.length - 1];
    if (last === undefined || last[0] !== q[0] || last[1] !== q[1]) ring.push(q);
  }
  const first = ring[0]!;
  const last = ring[ring.length - 1]!;
  if (first[0] === last[0] && first[1] === last[1]) ring.pop();
  ring.push([first[0], first[1]]);
  return ring;
}

function withinUrbanCore(geometry: AreaGeometry): boolean {
  if (geometry.type !== 'Polygon') return false;
  return geometry.coordinates[0]!.every(
    ([lon, lat]) =>
      lon >= URBAN_CORE.minLon && lon <= URBAN_CORE.maxLon && lat >= URBAN_CORE.minLat && lat <= URBAN_CORE.maxLat,
  );
}

function round(x: number, digits: number): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

finishBuild(OUT_FILE, build());
