// H3 hexagon heat of a dense measurement (PM2.5 against the VN_AQI breakpoints, or traffic speed); pure of (bins, config).
import { H3HexagonLayer } from '@deck.gl/geo-layers';
import { categoryBreakpoints } from '../../shared/wire/index.ts';
import type { HexBin, HexMetric } from '../hex-bins.ts';
import { hexRgba, type Rgba } from '../colors.ts';

export const HEXES_LAYER_ID = 'hexes';

export interface HexBand {
  /** Upper bound of the band (inclusive); Infinity for the last. */
  max: number;
  color: Rgba;
  label: { vi: string; en: string };
}

/**
 * PM2.5 bands are the VN_AQI sub-index breakpoints of Decision 1459 (25, 50, 80, 150, 250 µg/m³) in its own colours,
 * applied to each device's latest concentration: a guide to where the index is heading, not the hourly index itself.
 */
export const HEX_BANDS: Record<HexMetric, HexBand[]> = {
  pm25: categoryBreakpoints('pm25').map(({ category, max }) => ({
    max,
    color: hexRgba(category.color),
    label: { vi: category.vi, en: category.en },
  })),
  speed: [
    { max: 15, color: [215, 48, 60, 255], label: { vi: 'Ùn tắc', en: 'Jammed' } },
    { max: 20, color: [240, 130, 55, 255], label: { vi: 'Chậm', en: 'Slow' } },
    { max: 30, color: [238, 200, 72, 255], label: { vi: 'Trung bình', en: 'Moderate' } },
    { max: Infinity, color: [46, 204, 113, 255], label: { vi: 'Thông thoáng', en: 'Free-flowing' } },
  ],
};

export function bandOf(metric: HexMetric, value: number): HexBand {
  const bands = HEX_BANDS[metric];
  return bands.find((b) => value <= b.max) ?? bands[bands.length - 1]!;
}

export function hexesLayer(
  bins: readonly HexBin[],
  config: { metric: HexMetric; version: string },
): H3HexagonLayer<HexBin> {
  return new H3HexagonLayer<HexBin>({
    id: HEXES_LAYER_ID,
    data: bins as HexBin[],
    getHexagon: (b) => b.hex,
    getFillColor: (b) => {
      const [r, g, bl] = bandOf(config.metric, b.value).color;
      return [r, g, bl, 150];
    },
    stroked: false,
    filled: true,
    extruded: false,
    pickable: true,
    updateTriggers: { getFillColor: [config.metric, config.version] },
  });
}
