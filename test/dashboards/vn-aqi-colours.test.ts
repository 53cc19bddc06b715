// The wall's VN_AQI colours (choropleth scale, legend bands, PM2.5 hexagons) come from the one wire table.
import { describe, expect, it } from 'vitest';
import { colorAt, hexRgba, scaleFor, VN_AQI_BANDS } from '../../dashboards/wall/colors.ts';
import { bandOf, HEX_BANDS } from '../../dashboards/wall/layers/hexes.ts';
import { subIndex } from '../../engine/aqi/index.ts';
import { VN_AQI_CATEGORIES, vnAqiCategory, type Indicator } from '../../dashboards/shared/wire/index.ts';

const AQI: Indicator = {
  name: 'aqi',
  title: { vi: 'VN_AQI', en: 'VN_AQI' },
  unit: 'VN_AQI',
  window: '1h',
  keys: ['area'],
  theme: 'air',
  source: 'sensor',
  target: null,
  direction: 'down',
  merge: 'max',
  devices: 'sensor/air',
  thresholds: { warn: null, alert: null },
  scale: 'vn_aqi',
  description: null,
};

describe('VN_AQI colours of the wall', () => {
  it('hex colours become opaque deck.gl colours', () => {
    expect(hexRgba('#00E400')).toEqual([0, 228, 0, 255]);
    expect(hexRgba('#8F3F97')).toEqual([143, 63, 151, 255]);
  });

  it('the choropleth paints every index in its Table 1 colour', () => {
    const scale = scaleFor(AQI, [42]);
    expect(VN_AQI_BANDS.map((b) => b.max)).toEqual(VN_AQI_CATEGORIES.map((c) => c.max));
    for (const x of [0, 50, 50.4, 50.5, 101, 150.49, 200, 201, 300, 301, 500]) {
      expect(colorAt(scale, x), `AQI ${x}`).toEqual(hexRgba(vnAqiCategory(x)!.color));
    }
  });

  it('a PM2.5 hexagon takes the colour and label of the category its sub-index falls in', () => {
    expect(HEX_BANDS.pm25.map((b) => b.label.en)).toEqual(VN_AQI_CATEGORIES.map((c) => c.en));
    for (const c of [0, 10, 25, 30, 50, 79, 80, 120, 150, 200, 250, 300, 499, 800]) {
      const band = bandOf('pm25', c);
      const category = vnAqiCategory(subIndex('pm25', c))!;
      const want = { c, color: hexRgba(category.color), vi: category.vi };
      expect({ c, color: band.color, vi: band.label.vi }).toEqual(want);
    }
  });
});
