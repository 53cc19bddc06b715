// Alert markers: a ring at the device the alert is about, or at its district's label point; pure of (markers, config).
import { ScatterplotLayer } from '@deck.gl/layers';
import type { Rgba } from '../colors.ts';

const ALERTS_LAYER_ID = 'alerts';

export interface AlertMarker {
  id: string;
  position: [number, number];
  severity: string;
  acknowledged: boolean;
}

const COLORS: Record<string, Rgba> = {
  critical: [255, 64, 64, 255],
  warning: [255, 176, 32, 255],
  info: [96, 180, 255, 255],
};

export function alertsLayer(markers: readonly AlertMarker[], config: { pulse: number }): ScatterplotLayer<AlertMarker> {
  return new ScatterplotLayer<AlertMarker>({
    id: ALERTS_LAYER_ID,
    data: markers as AlertMarker[],
    getPosition: (m) => m.position,
    filled: true,
    stroked: true,
    getFillColor: (m) => {
      const [r, g, b] = COLORS[m.severity] ?? COLORS['info']!;
      return [r, g, b, m.acknowledged ? 25 : 60];
    },
    getLineColor: (m) => COLORS[m.severity] ?? COLORS['info']!,
    getLineWidth: (m) => (m.acknowledged ? 1.5 : 3),
    lineWidthUnits: 'pixels',
    radiusUnits: 'pixels',
    // An open alert breathes so the eye finds it; an acknowledged one stays still.
    getRadius: (m) => (m.acknowledged ? 14 : 14 + 5 * config.pulse),
    pickable: true,
    updateTriggers: { getRadius: [config.pulse] },
  });
}
