// Choropleth of the districts shaded by one indicator's latest value, with thin borders; a pure function of (data, config).
import { GeoJsonLayer } from '@deck.gl/layers';
import type { AreaFeature, AreaProperties } from '../../shared/wire/index.ts';
import { colorAt, NO_DATA_FILL, type ColorScale, type Rgba } from '../colors.ts';

export const AREAS_LAYER_ID = 'areas';

export interface AreasLayerConfig {
  indicator: string | null;
  /** Latest value per area code. */
  values: ReadonlyMap<string, number | null>;
  scale: ColorScale;
  /** The indicator's series version: bumps when `values` change, so deck.gl recolours without re-tessellating. */
  version: number;
}

export const BORDER: Rgba = [190, 205, 225, 120];
const HIGHLIGHT: Rgba = [255, 255, 255, 60];

export function areasLayer(data: readonly AreaFeature[], config: AreasLayerConfig): GeoJsonLayer<AreaProperties> {
  return new GeoJsonLayer<AreaProperties>({
    id: AREAS_LAYER_ID,
    data: data as AreaFeature[],
    filled: true,
    // Borders are drawn by bordersLayer, once per shared segment.
    stroked: false,
    getFillColor: (feature) => {
      const value = config.values.get(feature.properties.code);
      if (value === null || value === undefined) return NO_DATA_FILL;
      const [r, g, b] = colorAt(config.scale, value);
      // Translucent so the borders and device dots read through the fill.
      return [r, g, b, 175];
    },
    pickable: true,
    autoHighlight: true,
    highlightColor: HIGHLIGHT,
    updateTriggers: {
      getFillColor: [config.indicator, config.version, config.scale.min, config.scale.max, config.scale.basis],
    },
  });
}
