// The wall's names at 126 wards: at the city view none overlaps another, more appear as the map zooms in; and finding a
// ward by name treats diacritics, and the two spellings of "hoà", alike.
import { describe, expect, it } from 'vitest';
import { loadAreas } from '../../engine/geo/index.ts';
import type { AreaFeature } from '../../dashboards/shared/wire/index.ts';
import { AreaSearch, foldName } from '../../dashboards/wall/area-search.ts';
import { areaLabels, visibleLabels } from '../../dashboards/wall/label-layout.ts';

const wards = await loadAreas();
const features = wards.featureCollection('ward').features as AreaFeature[];
const districts = wards.featureCollection('district').features as AreaFeature[];

describe('ward names on the wall', () => {
  it('never overlap at the city view, and more fit as the map zooms in', () => {
    const labels = areaLabels(features, 'vi');
    expect(labels).toHaveLength(126);
    const shown = (zoom: number) => visibleLabels(labels, zoom);
    for (const zoom of [9.3, 10.5, 12]) {
      const boxes = shown(zoom).map((l) => {
        const world = 512 * 2 ** zoom;
        const x = ((l.position[0] + 180) / 360) * world;
        const s = Math.sin((l.position[1] * Math.PI) / 180);
        const y = (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * world;
        const w = (l.text.length * 12 * 0.58) / 2;
        return [x - w, y - 6, x + w, y + 6] as const;
      });
      for (let i = 0; i < boxes.length; i++)
        for (let j = i + 1; j < boxes.length; j++) {
          const [a, b] = [boxes[i]!, boxes[j]!];
          expect(a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3], `zoom ${zoom}: ${i} × ${j}`).toBe(false);
        }
    }
    expect(shown(9.3).length).toBeGreaterThan(30);
    expect(shown(12).length).toBeGreaterThan(shown(9.3).length);
    // The kind is on the hover card: labels carry the name alone.
    expect(labels.find((l) => l.code === 'hoan_kiem')?.text).toBe('Hoàn Kiếm');
  });
});

describe('finding a ward by name', () => {
  const search = new AreaSearch();
  search.index(features, districts);
  const first = (q: string) => search.find(q, 'vi')[0]?.feature.properties.code;

  it('folds diacritics, đ and both spellings of hoà', () => {
    expect(foldName('Phường Yên Hoà')).toBe(foldName('phuong yen hòa'));
    expect(foldName('Đống Đa')).toBe('dong da');
    for (const q of ['Yên Hoà', 'Yên Hòa', 'yen hoa', 'YEN  HOA']) expect(first(q), q).toBe('yen_hoa');
    expect(first('hoan kiem')).toBe('hoan_kiem');
    expect(first('Đống Đa')).toBe('dong_da');
  });

  it('says which former district each hit came from, and finds nothing for nonsense', () => {
    expect(search.find('hoan kiem', 'vi')[0]?.district).toBe('Quận Hoàn Kiếm cũ');
    expect(search.find('hoan kiem', 'en')[0]?.district).toBe('former Hoan Kiem district');
    expect(search.find('zzzz', 'vi')).toEqual([]);
    expect(search.find('   ', 'vi')).toEqual([]);
  });
});
