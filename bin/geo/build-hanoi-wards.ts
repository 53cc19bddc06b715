// Builds engine/geo/hanoi-wards.geojson, the default areas: Hanoi's 126 commune-level units since 1 July 2025 (real
// boundaries, from bin/geo/reference/), and the 30 former districts as a second level, dissolved from the units.
//
// Run: npx tsx bin/geo/build-hanoi-wards.ts [OUT_FILE]   (default: engine/geo/hanoi-wards.geojson)
//
// A unit's former district is the one most of it came from (64 units straddle two), so the dissolved districts are
// approximate. Every check below must pass (each unit's label point inside it and inside its district, the districts'
// areas adding up to the units') or nothing is written. The output is deterministic.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { csvRecords } from '../../engine/csv-records.ts';
import { geometryAreaKm2, geometryCentroid } from '../../engine/geo/measure.ts';
import { pointInGeometry } from '../../engine/geo/point-in-polygon.ts';
import type { AreaGeometry } from '../../engine/geo/schema.ts';
import { HANOI_DISTRICTS } from './district-facts.ts';
import { dissolve } from './dissolve.ts';
import { featureCollectionText, finishBuild } from './geojson-text.ts';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const OUT_FILE = process.argv[2] ? resolve(process.argv[2]) : here('../../engine/geo/hanoi-wards.geojson');
const SOURCE = here('./reference/hanoi-wards-2025.geojson');
const COMPOSITION = here('./reference/hanoi-wards-2025.csv');

const ATTRIBUTION =
  'Boundaries, names and codes of the 126 units: vietnamese-provinces-database by Thang Le Quoc (MIT License, ' +
  'Copyright (c) 2021 Thang Le Quoc), from the Vietnam Administrative Units Reference Map (sapnhap.bando.com.vn) ' +
  'and the General Statistics Office; simplified to about 20 m.';

const KIND_NAME = { quan: 'Quận', huyen: 'Huyện', thi_xa: 'Thị xã' } as const;
const KIND_NAME_EN = { quan: 'district', huyen: 'district', thi_xa: 'town' } as const;

interface SourceFeature {
  properties: {
    code: string;
    name: string;
    nameAscii: string;
    kind: 'phuong' | 'xa';
    slug: string;
    formerDistrict: string;
    labelLat: number;
    labelLon: number;
  };
  geometry: AreaGeometry;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

function composition(): Map<string, string[]> {
  const [header, ...rows] = csvRecords(readFileSync(COMPOSITION, 'utf8'));
  const col = (name: string) => header!.fields.indexOf(name);
  const [code, merged] = [col('code'), col('merged_from')];
  return new Map(rows.map((r) => [r.fields[code]!, r.fields[merged]!.split(';').map((s) => s.trim())]));
}

function build(): { geojson: string; report: string[]; problems: string[] } {
  const source = JSON.parse(readFileSync(SOURCE, 'utf8')) as { features: SourceFeature[] };
  const formedFrom = composition();
  const problems: string[] = [];
  const units = source.features.map((f) => {
    const p = f.properties;
    const from = formedFrom.get(p.code);
    if (!from) problems.push(`${p.slug}: no composition row for GSO code ${p.code}`);
    return {
      type: 'Feature' as const,
      properties: {
        code: p.slug,
        name: p.name,
        nameEn: p.nameAscii,
        kind: p.kind,
        level: 'ward',
        parent: `former_${p.formerDistrict}`,
        gsoCode: p.code,
        areaKm2: round(geometryAreaKm2(f.geometry), 3),
        centroid: [p.labelLon, p.labelLat],
        population: null,
        formedFrom: from ?? [],
      },
      geometry: f.geometry,
    };
  });

  const report = ['code                       units  km² (units)  km² (dissolved)'];
  const districts = HANOI_DISTRICTS.map((d) => {
    const mine = units.filter((u) => u.properties.parent === `former_${d.code}`);
    const geometry = dissolve(mine.map((u) => u.geometry));
    const km2 = geometryAreaKm2(geometry);
    const sum = mine.reduce((s, u) => s + geometryAreaKm2(u.geometry), 0);
    report.push(
      `former_${d.code}`.padEnd(26) +
        `${mine.length}`.padStart(6) +
        sum.toFixed(2).padStart(13) +
        km2.toFixed(2).padStart(17),
    );
    if (Math.abs(km2 - sum) > 0.001 * sum) problems.push(`former_${d.code}: dissolved ${km2} km² ≠ its units' ${sum}`);
    for (const u of mine) {
      const [lon, lat] = u.properties.centroid as [number, number];
      if (!pointInGeometry(geometry, lon, lat))
        problems.push(`${u.properties.code}: its label point is outside its district`);
    }
    const [lon, lat] = geometryCentroid(geometry);
    return {
      type: 'Feature' as const,
      properties: {
        code: `former_${d.code}`,
        name: `${KIND_NAME[d.kind]} ${d.name} cũ`,
        nameEn: `former ${d.nameEn} ${KIND_NAME_EN[d.kind]}`,
        kind: d.kind,
        level: 'district',
        gsoCode: d.gsoCode,
        areaKm2: round(km2, 3),
        centroid: [round(lon, 5), round(lat, 5)],
        population: d.population,
        populationYear: d.populationYear,
        populationSource: `GSO population census ${d.populationYear}, the district as it was then`,
        approximate: true,
      },
      geometry,
    };
  });
  for (const u of units) {
    const [lon, lat] = u.properties.centroid as [number, number];
    if (!pointInGeometry(u.geometry, lon, lat)) problems.push(`${u.properties.code}: its label point is outside it`);
  }

  const header = {
    type: 'FeatureCollection',
    name: 'Hanoi: the 126 wards and communes since 1 July 2025, and the 30 former districts dissolved from them',
    attribution: ATTRIBUTION,
    note:
      'A unit belongs to the former district most of it came from; 64 units drew from two, so the former districts ' +
      'are approximate. Populations: none is shipped for the new units; the former districts carry their census figure.',
  };
  const geojson = featureCollectionText(header, [...units, ...districts]);
  return { geojson, report, problems };
}

finishBuild(OUT_FILE, build());
