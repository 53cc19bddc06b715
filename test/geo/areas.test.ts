// The areas module: the shipped Hanoi districts, point location (grid, holes, border snapping) and the file schema.
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  AreasFileError,
  UnknownAreaError,
  createAreaIndex,
  geometryAreaKm2,
  loadAreas,
  parseAreasFile,
  type AreaIndex,
  type AreasFile,
} from '../../engine/geo/index.ts';
import { pointInGeometry } from '../../engine/geo/point-in-polygon.ts';
import { mulberry32 as rng } from '../../sources/simulate/prng.ts';

/** The 30 pre-2025 districts, approximate shapes: the default areas of earlier releases, still a valid AREAS_FILE. */
const DISTRICTS_FILE = fileURLToPath(new URL('../../engine/geo/hanoi-districts.geojson', import.meta.url));
const FIXTURE = fileURLToPath(new URL('../fixtures/areas-multipolygon-hole.geojson', import.meta.url));

const DISTRICT_CODES = [
  'ba_dinh',
  'hoan_kiem',
  'tay_ho',
  'long_bien',
  'cau_giay',
  'dong_da',
  'hai_ba_trung',
  'hoang_mai',
  'thanh_xuan',
  'bac_tu_liem',
  'nam_tu_liem',
  'ha_dong',
  'son_tay',
  'soc_son',
  'dong_anh',
  'gia_lam',
  'thanh_tri',
  'me_linh',
  'ba_vi',
  'phuc_tho',
  'dan_phuong',
  'hoai_duc',
  'quoc_oai',
  'thach_that',
  'chuong_my',
  'thanh_oai',
  'thuong_tin',
  'phu_xuyen',
  'ung_hoa',
  'my_duc',
];

describe('the Hanoi districts of earlier releases', async () => {
  const hanoi = await loadAreas(DISTRICTS_FILE);

  it('has the 30 pre-2025 districts with their facts', () => {
    expect(hanoi.areas.map((a) => a.code).sort()).toEqual([...DISTRICT_CODES].sort());
    const baDinh = hanoi.get('ba_dinh')!;
    expect(baDinh.name).toBe('Ba Đình');
    expect(baDinh.nameEn).toBe('Ba Dinh');
    expect(baDinh.kind).toBe('quan');
    expect(baDinh.areaKm2).toBe(9.21);
    expect(baDinh.properties).toMatchObject({
      gsoCode: '001',
      population: 221893,
      populationYear: 2019,
      approximate: true,
    });
    expect(hanoi.areas.filter((a) => a.kind === 'quan')).toHaveLength(12);
    expect(hanoi.areas.filter((a) => a.kind === 'thi_xa').map((a) => a.code)).toEqual(['son_tay']);
    const fc = hanoi.featureCollection() as AreasFile & { note?: string };
    expect(fc.note).toMatch(/approximate/i);
  });

  it('locates every district centroid to its own district', () => {
    for (const area of hanoi.areas) expect(hanoi.locate(area.centroid[0], area.centroid[1]), area.code).toBe(area.code);
  });

  it('gives null for places outside Hanoi', () => {
    expect(hanoi.locate(106.68, 20.86)).toBeNull(); // Hai Phong
    expect(hanoi.locate(106.7, 10.78)).toBeNull(); // Ho Chi Minh City
    expect(hanoi.locate(0, 0)).toBeNull();
    expect(hanoi.locate(Number.NaN, 21)).toBeNull();
  });

  it('snaps a point just outside the border to the nearest district, and not one far outside', () => {
    // The northernmost vertex of the city lies on Sóc Sơn's border.
    let top: [number, number] = [0, -90];
    for (const f of hanoi.featureCollection().features) {
      if (f.geometry.type !== 'Polygon') continue;
      for (const p of f.geometry.coordinates[0]!) if (p[1] > top[1]) top = [p[0], p[1]];
    }
    expect(hanoi.locate(top[0], top[1] + 0.005)).toBe('soc_son'); // ~550 m out
    expect(hanoi.locate(top[0], top[1] + 0.03)).toBeNull(); // ~3.3 km out
    // West of Ba Vì, on the latitude of its centroid.
    const baVi = hanoi.get('ba_vi')!;
    const lat = baVi.centroid[1];
    let west = 180;
    for (let lon = baVi.bbox[0]; lon < baVi.centroid[0]; lon += 0.0001) {
      if (pointInGeometry(baVi.geometry, lon, lat)) {
        west = lon;
        break;
      }
    }
    expect(hanoi.locate(west - 0.01, lat)).toBe('ba_vi'); // ~1 km out
    expect(hanoi.locate(west - 0.03, lat)).toBeNull();
  });

  it('agrees with a brute-force point-in-polygon on random points, at several grid sizes', () => {
    const fc = hanoi.featureCollection();
    const strictOwner = (lon: number, lat: number) => fc.features.find((f) => pointInGeometry(f.geometry, lon, lat));
    for (const cells of [64, 4096, undefined]) {
      const index = createAreaIndex(fc, cells === undefined ? {} : { cells });
      const next = rng(cells ?? 1);
      for (let k = 0; k < 20_000; k++) {
        const lon = 105.2 + next() * 0.9;
        const lat = 20.5 + next() * 0.95;
        const owner = strictOwner(lon, lat);
        if (owner) expect(index.locate(lon, lat), `${lon},${lat}`).toBe(owner.properties.code);
      }
    }
  });

  it('samples random points inside the asked district', () => {
    const next = rng(7);
    for (const code of ['hoan_kiem', 'ba_vi', 'long_bien']) {
      for (let k = 0; k < 500; k++) {
        const [lon, lat] = hanoi.randomPoint(code, next);
        expect(pointInGeometry(hanoi.get(code)!.geometry, lon, lat)).toBe(true);
      }
    }
    expect(() => hanoi.randomPoint('atlantis', next)).toThrow(UnknownAreaError);
  });

  it('adds up to within 10 % of the city area, each district near its official area', () => {
    const total = hanoi.areas.reduce((sum, a) => sum + geometryAreaKm2(a.geometry), 0);
    expect(Math.abs(total - 3359) / 3359).toBeLessThan(0.1);
    for (const a of hanoi.areas) {
      expect(Math.abs(geometryAreaKm2(a.geometry) - a.areaKm2) / a.areaKm2, a.code).toBeLessThan(0.15);
    }
  });

  it('keeps the 12 urban quận small and round the old centre', () => {
    for (const a of hanoi.areas.filter((x) => x.kind === 'quan')) {
      expect(a.areaKm2, a.code).toBeLessThan(70);
      expect(Math.hypot((a.centroid[0] - 105.83) * 104, (a.centroid[1] - 21.0) * 111), a.code).toBeLessThan(12);
    }
  });
});

describe('a MultiPolygon with a hole', async () => {
  const index: AreaIndex = await loadAreas(FIXTURE);

  it('locates inside the parts, respects the hole and its island', () => {
    expect(index.locate(105.02, 21.1)).toBe('ring'); // in the ring round the hole
    expect(index.locate(105.32, 21.02)).toBe('ring'); // the far part
    expect(index.locate(105.1, 21.1)).toBe('island'); // inside the hole, on the island
    expect(index.locate(105.065, 21.065)).toBeNull(); // inside the hole, > 2 km from everything
    expect(index.locate(105.25, 21.02)).toBeNull(); // between the parts, ~5 km from each
  });

  it('snaps near misses to the nearest area', () => {
    expect(index.locate(105.085, 21.1)).toBe('island'); // ~500 m west of the island
    expect(index.locate(105.05, 21.1)).toBe('ring'); // ~1 km inside the hole's edge
    expect(index.locate(105.29, 21.02)).toBe('ring'); // ~1 km west of the far part
  });

  it('computes what the file does not give', () => {
    const ring = index.get('ring')!;
    expect(ring.bbox).toEqual([105.0, 21.0, 105.35, 21.2]);
    // 0.2° × 0.2° minus 0.12° × 0.12° plus 0.05° × 0.05°, at ~103.9 × 110.6 km per degree.
    expect(ring.areaKm2).toBeGreaterThan(0.0281 * 103.9 * 110.6 * 0.98);
    expect(ring.areaKm2).toBeLessThan(0.0281 * 103.9 * 110.6 * 1.02);
    expect(ring.properties.population).toBe(1000);
    expect(index.get('island')!.centroid[0]).toBeCloseTo(105.1, 6);
    expect(index.get('island')!.centroid[1]).toBeCloseTo(21.1, 6);
  });
});

describe('the areas file schema', () => {
  const square = {
    type: 'Polygon',
    coordinates: [
      [
        [105, 21],
        [105.1, 21],
        [105.1, 21.1],
        [105, 21],
      ],
    ],
  };

  it('names the feature and the field that are wrong', () => {
    const bad = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { code: 'a', name: 'A' }, geometry: square },
        { type: 'Feature', properties: { name: 'B' }, geometry: square },
      ],
    };
    expect(() => parseAreasFile(bad, 'bad.geojson')).toThrow(AreasFileError);
    expect(() => parseAreasFile(bad, 'bad.geojson')).toThrow(
      'areas file bad.geojson: features[1] ("B").properties.code: Invalid input: expected string, received undefined',
    );
  });

  it('rejects points, out-of-range coordinates and duplicate codes', () => {
    const withGeometry = (geometry: unknown) => ({
      type: 'FeatureCollection',
      features: [{ type: 'Feature', properties: { code: 'a', name: 'A' }, geometry }],
    });
    expect(() => parseAreasFile(withGeometry({ type: 'Point', coordinates: [105, 21] }), 'f')).toThrow(
      /features\[0\] \("a"\)\.geometry/,
    );
    const far = {
      type: 'Polygon',
      coordinates: [
        [
          [105, 21],
          [205, 21],
          [105, 22],
          [105, 21],
        ],
      ],
    };
    expect(() => parseAreasFile(withGeometry(far), 'f')).toThrow(
      /features\[0\] \("a"\)\.geometry\.coordinates\[0\]\[1\]\[0\]/,
    );
    const twice = {
      type: 'FeatureCollection',
      features: [
        { type: 'Feature', properties: { code: 'a', name: 'A' }, geometry: square },
        { type: 'Feature', properties: { code: 'a', name: 'A again' }, geometry: square },
      ],
    };
    expect(() => parseAreasFile(twice, 'f')).toThrow(/features\[1\].*duplicate code "a"/);
  });

  it('keeps unknown properties of a supplied file', () => {
    const file = parseAreasFile(
      {
        type: 'FeatureCollection',
        features: [
          { type: 'Feature', properties: { code: 'phuong_x', name: 'Phường X', wikidata: 'Q1' }, geometry: square },
        ],
      },
      'communes.geojson',
    );
    expect(file.features[0]!.properties.wikidata).toBe('Q1');
  });

  it('says which file is missing or not JSON', async () => {
    await expect(loadAreas('/nonexistent/areas.geojson')).rejects.toThrow(
      /\/nonexistent\/areas\.geojson: cannot be read/,
    );
    await expect(loadAreas(fileURLToPath(import.meta.url))).rejects.toThrow(/is not valid JSON/);
  });
});
