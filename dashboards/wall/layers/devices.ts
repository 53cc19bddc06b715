// Cameras and sensors as dots coloured by status, from the entity buffer's typed columns (deck.gl binary attributes).
import { ScatterplotLayer } from '@deck.gl/layers';
import type { EntityBuffer } from '../entities.ts';

export const DEVICES_LAYER_ID = 'devices';
export const ATTENTION_LAYER_ID = 'devices-attention';

const common = {
  radiusUnits: 'pixels' as const,
  stroked: true,
  getLineColor: [8, 12, 20, 220] as [number, number, number, number],
  getLineWidth: 1,
  lineWidthUnits: 'pixels' as const,
  pickable: true,
  autoHighlight: true,
  highlightColor: [255, 255, 255, 120],
};

/**
 * Every device, drawn from binary attributes: a hundred thousand dots cost one buffer upload when they change, not a
 * hundred thousand accessor calls. The buffer's version tells deck.gl when to upload again.
 */
let positions32 = new Float32Array(0);
let positions32Key = '';

/** Single-precision positions (about a metre at Hanoi's longitude): half the upload, and no 64-bit emulation in the shader. */
function float32Positions(buffer: EntityBuffer): Float32Array {
  const key = `${buffer.positionsVersion}|${buffer.length}`;
  if (key !== positions32Key) {
    positions32 = Float32Array.from(buffer.positions.subarray(0, buffer.length * 2));
    positions32Key = key;
  }
  return positions32;
}

export function devicesLayer(buffer: EntityBuffer): ScatterplotLayer {
  const n = buffer.length;
  return new ScatterplotLayer({
    id: DEVICES_LAYER_ID,
    data: {
      length: n,
      attributes: {
        getPosition: { value: float32Positions(buffer), size: 2 },
        getFillColor: { value: buffer.colors.subarray(0, n * 4), size: 4, normalized: true },
        getRadius: { value: buffer.radii.subarray(0, n), size: 1 },
      },
    },
    updateTriggers: { getPosition: buffer.positionsVersion, getFillColor: buffer.version, getRadius: buffer.version },
    ...common,
    // Tens of thousands of dots overlap at the city view: small unstroked dots cost a tenth of the pixels to draw.
    ...(n > DENSE ? { stroked: false, radiusScale: 0.45, radiusMinPixels: 1 } : {}),
  });
}

/** Past this many devices the layer switches to dense drawing. */
export const DENSE = 20_000;

/** Devices in warning or alert drawn once more on top: an alert is never hidden under a healthy neighbour. */
export function attentionLayer(buffer: EntityBuffer, indices: readonly number[]): ScatterplotLayer<number> {
  return new ScatterplotLayer<number>({
    id: ATTENTION_LAYER_ID,
    data: indices as number[],
    getPosition: (i) => [buffer.positions[i * 2]!, buffer.positions[i * 2 + 1]!],
    getFillColor: (i) => [
      buffer.colors[i * 4]!,
      buffer.colors[i * 4 + 1]!,
      buffer.colors[i * 4 + 2]!,
      buffer.colors[i * 4 + 3]!,
    ],
    getRadius: (i) => buffer.radii[i]!,
    updateTriggers: { getPosition: buffer.positionsVersion, getFillColor: buffer.version, getRadius: buffer.version },
    ...common,
  });
}
