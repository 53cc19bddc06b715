// Where the wall writes an area's name: inside the area even when its centroid is not (a C shape, a ring round a
// hole), on its largest part, and inside every shipped Hanoi district.
import { describe, expect, it } from 'vitest';
import type { AreaFeature, AreaGeometry } from '../../dashboards/shared/wire/index.ts';
import { labelAnchor } from '../../dashboards/wall/geometry.ts';
import { DEFAULT_AREAS_FILE, loadAreas } from '../../engine/geo/index.ts';
import { geometryCentroid } from '../../engine/geo/measure.ts';
import { pointInGeometry } from '../../engine/geo/point-in-polygon.ts';

const feature = (geometry: AreaGeometry): AreaFeature => ({
  type: 'Feature',
  properties: { code: 'x', name: 'X' },
  geometry,
});
const inside = (geometry: AreaGeometry, [lon, lat]: [number, number]) => pointInGeometry(geometry, lon, lat);

/** A C open to the east, 0.1° across, arms 0.02° thick: its centroid falls in the open mouth. */
const C_SHAPE: AreaGeometry = {
  type: 'Polygon',
  coordinates: [
    [
      [105.8, 21.0],
      [105.9, 21.0],
      [105.9, 21.02],
      [105.82, 21.02],
      [105.82, 21.08],
      [105.9, 21.08],
      [105.9, 21.1],
      [105.8, 21.1],
      [105.8, 21.0],
    ],
  ],
};

describe('labelAnchor', () => {
  it('puts the name of a C-shaped area inside it, where its centroid is not', () => {
    expect(inside(C_SHAPE, geometryCentroid(C_SHAPE))).toBe(false);
    const anchor = labelAnchor(feature(C_SHAPE))!;
    expect(inside(C_SHAPE, anchor.position)).toBe(true);
    expect(anchor.widthDeg).toBeCloseTo(0.1, 9);
  });

  it('keeps the name off a hole, and on the largest part of a multipolygon', () => {
    const donut: AreaGeometry = {
      type: 'Polygon',
      coordinates: [
        [
          [105.8, 21.0],
          [105.9, 21.0],
          [105.9, 21.1],
          [105.8, 21.1],
          [105.8, 21.0],
        ],
        [
          [105.81, 21.01],
          [105.89, 21.01],
          [105.89, 21.09],
          [105.81, 21.09],
          [105.81, 21.01],
        ],
      ],
    };
    expect(inside(donut, geometryCentroid(donut))).toBe(false);
    expect(inside(donut, labelAnchor(feature(donut))!.position)).toBe(true);

    const islands: AreaGeometry = {
      type: 'MultiPolygon',
      coordinates: [
        [
          [
            [105.0, 21.0],
            [105.01, 21.0],
            [105.01, 21.01],
            [105.0, 21.0],
          ],
        ],
        C_SHAPE.coordinates,
      ],
    };
    const anchor = labelAnchor(feature(islands))!;
    expect(inside(C_SHAPE, anchor.position)).toBe(true);
    expect(anchor.widthDeg).toBeCloseTo(0.1, 9);
  });

  it('takes the file’s own label point when it lies inside, and searches when it does not', () => {
    const withPoint = (centroid: [number, number]): AreaFeature => ({
      type: 'Feature',
      properties: { code: 'x', name: 'X', centroid },
      geometry: C_SHAPE,
    });
    expect(labelAnchor(withPoint([105.81, 21.05]))!.position).toEqual([105.81, 21.05]);
    // A centroid in the C's open mouth, as a plain centroid of a custom file would be.
    const mouth = labelAnchor(withPoint([105.86, 21.05]))!;
    expect(mouth.position).not.toEqual([105.86, 21.05]);
    expect(inside(C_SHAPE, mouth.position)).toBe(true);
  });

  it('has no anchor for an area without a ring', () => {
    expect(labelAnchor(feature({ type: 'Polygon', coordinates: [] }))).toBeNull();
  });

  it('puts every shipped ward’s and commune’s name inside it', async () => {
    const hanoi = await loadAreas(DEFAULT_AREAS_FILE);
    const served = hanoi.featureCollection('ward').features as AreaFeature[];
    expect(served).toHaveLength(hanoi.areas.length);
    for (const area of served) {
      const anchor = labelAnchor(area)!;
      expect(anchor.position).toEqual(area.properties['centroid']);
      expect(hanoi.locate(anchor.position[0], anchor.position[1]), area.properties.code).toBe(area.properties.code);
    }
  });
});
