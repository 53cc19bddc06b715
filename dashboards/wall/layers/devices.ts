// Cameras and sensors as dots coloured by status, the worst drawn on top; a pure function of (data, config).
import { ScatterplotLayer } from '@deck.gl/layers';
import type { Device, DeviceStatus } from '../../shared/messages.ts';
import { STATUS_COLORS } from '../colors.ts';

export const DEVICES_LAYER_ID = 'devices';

/** Draw order: later is on top, so an alert is never hidden under a healthy neighbour. */
const SEVERITY: Record<DeviceStatus, number> = { silent: 0, ok: 1, warn: 2, alert: 3 };

export function sortBySeverity(devices: Iterable<Device>): Device[] {
  return [...devices].sort((a, b) => SEVERITY[a.status] - SEVERITY[b.status]);
}

export interface DevicesLayerConfig {
  /** Dot radius in pixels for a healthy device at the initial zoom. */
  radius: number;
}

export function devicesLayer(data: readonly Device[], config: DevicesLayerConfig): ScatterplotLayer<Device> {
  return new ScatterplotLayer<Device>({
    id: DEVICES_LAYER_ID,
    data: data as Device[],
    getPosition: (d) => [d.lon, d.lat],
    getFillColor: (d) => STATUS_COLORS[d.status],
    getRadius: (d) => {
      const base = d.family === 'camera' ? config.radius : config.radius * 0.85;
      return d.status === 'alert' ? base * 1.6 : d.status === 'warn' ? base * 1.25 : base;
    },
    radiusUnits: 'pixels',
    stroked: true,
    getLineColor: [8, 12, 20, 220],
    getLineWidth: 1,
    lineWidthUnits: 'pixels',
    pickable: true,
    autoHighlight: true,
    highlightColor: [255, 255, 255, 120],
    updateTriggers: { getRadius: [config.radius] },
  });
}
