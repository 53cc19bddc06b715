// A dense city's devices as H3 cells coloured by the worst state inside: thousands of cells instead of 100,000 dots.
import { H3HexagonLayer } from '@deck.gl/geo-layers';
import type { StatusBin } from '../hex-bins.ts';
import { STATUS_COLORS } from '../colors.ts';
import { STATUSES } from '../entities.ts';

export const DEVICE_CELLS_LAYER_ID = 'device-cells';

export function deviceCellsLayer(bins: readonly StatusBin[], config: { version: string }): H3HexagonLayer<StatusBin> {
  return new H3HexagonLayer<StatusBin>({
    id: DEVICE_CELLS_LAYER_ID,
    data: bins as StatusBin[],
    getHexagon: (b) => b.hex,
    getFillColor: (b) => {
      const [r, g, bl] = STATUS_COLORS[STATUSES[b.worst] ?? 'ok'];
      return [r, g, bl, b.worst === 0 ? 110 : 200];
    },
    stroked: false,
    filled: true,
    extruded: false,
    pickable: true,
    updateTriggers: { getFillColor: config.version },
  });
}
