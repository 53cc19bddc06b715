// The default areas: Hanoi's 126 wards and communes since 1 July 2025 (real boundaries) and the 30 former districts
// dissolved from them; exact assignment of events to units.
import { describe, expect, it } from 'vitest';
import { DEFAULT_AREAS_FILE, OUTSIDE, loadAreas } from '../../engine/geo/index.ts';
import { geometryAreaKm2 } from '../../engine/geo/measure.ts';
import { pointInGeometry } from '../../engine/geo/point-in-polygon.ts';
import { decodeMessage } from '../../engine/decode.ts';
import { mulberry32 as rng } from '../../sources/simulate/prng.ts';

describe('the shipped Hanoi wards and communes', async () => {
  const hanoi = await loadAreas(DEFAULT_AREAS_FILE);

  it('has the 126 units (51 phường, 75 xã) with codes, names and their former district', () => {
    expect(hanoi.areas).toHaveLength(126);
    expect(hanoi.areas.filter((a) => a.kind === 'phuong')).toHaveLength(51);
    expect(hanoi.areas.filter((a) => a.kind === 'xa')).toHaveLength(75);
    const hoanKiem = hanoi.get('hoan_kiem')!;
    expect(hoanKiem).toMatchObject({ name: 'Phường Hoàn Kiếm', nameEn: 'Phuong Hoan Kiem', level: 'ward' });
    expect(hoanKiem.parent).toBe('former_hoan_kiem');
    expect(hoanKiem.properties).toMatchObject({ gsoCode: '00070', population: null });
    expect(hoanKiem.areaKm2).toBeGreaterThan(1);
    expect(hoanKiem.areaKm2).toBeLessThan(3);
    expect(hanoi.get('phu_xuyen')).toMatchObject({ kind: 'xa', parent: 'former_phu_xuyen' });
    for (const a of hanoi.areas) {
      expect(a.code, a.name).toMatch(/^[a-z0-9_]+$/);
      expect(hanoi.get(a.parent!)?.level, a.code).toBe('district');
    }
  });

  it('keeps the 30 former districts as a second level, dissolved from their units', () => {
    expect(hanoi.districts).toHaveLength(30);
    const baVi = hanoi.get('former_ba_vi')!;
    expect(baVi).toMatchObject({ level: 'district', kind: 'huyen', name: 'Huyện Ba Vì cũ' });
    expect(baVi.properties).toMatchObject({ approximate: true, population: 246_120, populationYear: 2009 });
    for (const d of hanoi.districts) {
      const units = hanoi.areas.filter((a) => a.parent === d.code);
      expect(units.length, d.code).toBeGreaterThan(0);
      const sum = units.reduce((s, a) => s + geometryAreaKm2(a.geometry), 0);
      expect(Math.abs(geometryAreaKm2(d.geometry) - sum) / sum, d.code).toBeLessThan(0.001);
    }
    const total = hanoi.areas.reduce((s, a) => s + geometryAreaKm2(a.geometry), 0);
    expect(Math.abs(total - 3359.8) / 3359.8).toBeLessThan(0.02);
    // Districts are never where an event lands: only units are located.
    expect(
      hanoi.locate(hanoi.get('former_hoan_kiem')!.centroid[0], hanoi.get('former_hoan_kiem')!.centroid[1]),
    ).toMatch(/^(hoan_kiem|cua_nam)$/);
  });

  it('places points well inside each unit in it, exactly', () => {
    const next = rng(126);
    for (const a of hanoi.areas) {
      const [minLon, minLat, maxLon, maxLat] = a.bbox;
      let found = 0;
      for (let k = 0; k < 5000 && found < 25; k++) {
        const lon = minLon + next() * (maxLon - minLon);
        const lat = minLat + next() * (maxLat - minLat);
        if (!pointInGeometry(a.geometry, lon, lat)) continue;
        found++;
        expect(hanoi.locate(lon, lat), `${a.code} ${lon},${lat}`).toBe(a.code);
      }
      expect(found, a.code).toBeGreaterThan(0);
    }
  });

  it('agrees with a brute-force point-in-polygon over thousands of random points in and round the city', () => {
    const next = rng(2025);
    let inside = 0;
    for (let k = 0; k < 20_000; k++) {
      const lon = 105.25 + next() * 0.85;
      const lat = 20.55 + next() * 0.85;
      const owner = hanoi.areas.find((a) => pointInGeometry(a.geometry, lon, lat));
      if (owner) {
        inside++;
        expect(hanoi.locate(lon, lat), `${lon},${lat}`).toBe(owner.code);
      }
    }
    expect(inside).toBeGreaterThan(5_000);
  });

  it('gives a point on a shared boundary to exactly one of its two units, and none far outside', () => {
    // Midpoints of the edges Hoàn Kiếm and Cửa Nam share: on the line between the two and no third unit.
    const edges = (code: string) => {
      const g = hanoi.get(code)!.geometry;
      const ring = g.type === 'Polygon' ? g.coordinates[0]! : g.coordinates[0]![0]!;
      return ring.slice(1).map((p, i) => [ring[i]!, p] as const);
    };
    const key = ([a, b]: readonly [number[], number[]]) => [a.join(','), b.join(',')].sort().join('|');
    const other = new Set(edges('cua_nam').map(key));
    const shared = edges('hoan_kiem').filter((e) => other.has(key(e)));
    expect(shared.length).toBeGreaterThan(3);
    for (const [a, b] of shared) {
      const [lon, lat] = [(a[0]! + b[0]!) / 2, (a[1]! + b[1]!) / 2];
      expect(['hoan_kiem', 'cua_nam'], `${lon},${lat}`).toContain(hanoi.locate(lon, lat));
    }
    expect(hanoi.locate(106.68, 20.86)).toBeNull(); // Hải Phòng
    expect(hanoi.locate(105.52, 21.3)).toBeNull(); // Vĩnh Phúc, 10 km north-west of the border
  });

  it('stores an event outside the city as outside, and dead-letters an unknown area without a position', () => {
    const opts = {
      maxPayloadBytes: 1 << 20,
      maxFutureMs: 86_400_000,
      locate: (lon: number, lat: number) => hanoi.locate(lon, lat),
      isArea: (code: string) => hanoi.get(code)?.level === 'ward',
    };
    const now = Date.parse('2026-12-01T08:00:00+07:00');
    const decode = (family: string, event: Record<string, unknown>) =>
      decodeMessage(family, Buffer.from(JSON.stringify({ id: 'e1', ts: now - 1000, ...event })), now, opts);
    const noise = { sensorId: 's1', kind: 'noise', metrics: { laeqDb: 60 } };
    expect(decode('sensor', { ...noise, lat: 20.86, lon: 106.68 }).rows[0]?.area).toBe(OUTSIDE);
    // An unknown code with a position: the position decides, the code is kept in extra.
    const named = decode('sensor', { ...noise, lat: 21.0287, lon: 105.8524, area: 'quan_hoan_kiem' }).rows[0]!;
    expect(named.area).toBe('hoan_kiem');
    expect(JSON.parse(named.extra!)).toMatchObject({ given_area: 'quan_hoan_kiem' });
    // A former district is not a unit an event lands in; without a position there is nowhere to put it.
    const dossier = { dossierId: 'd', procedure: 'p', agency: 'a', status: 'received', channel: 'online' };
    const refused = decode('service', { ...dossier, area: 'former_ba_dinh' });
    expect(refused.rows).toHaveLength(0);
    expect(refused.rejects[0]?.reason).toMatch(/area "former_ba_dinh" is not a known area code/);
    expect(decode('service', { ...dossier, area: 'ba_dinh' }).rows[0]?.area).toBe('ba_dinh');
  });
});
