// A small map of the wards to click a place on: plain SVG, enough to mark a point where no area name fits.
import type { AreaFeature } from '../shared/wire/index.ts';

const SVG = 'http://www.w3.org/2000/svg';
const WIDTH = 400;

export interface PlaceMap {
  el: SVGSVGElement;
  /** Marks a point, or clears the mark. */
  mark(point: { lat: number; lon: number } | null): void;
}

/** `onPick` gets the clicked place; wards are drawn in an equirectangular projection squeezed by cos(latitude). */
export function placeMap(areas: readonly AreaFeature[], onPick: (lat: number, lon: number) => void): PlaceMap {
  const rings = areas.flatMap((a) =>
    a.geometry.type === 'Polygon' ? [a.geometry.coordinates[0] ?? []] : a.geometry.coordinates.map((p) => p[0] ?? []),
  );
  let [west, east, south, north] = [Infinity, -Infinity, Infinity, -Infinity];
  for (const ring of rings) {
    for (const [lon, lat] of ring) {
      west = Math.min(west, lon);
      east = Math.max(east, lon);
      south = Math.min(south, lat);
      north = Math.max(north, lat);
    }
  }
  const squeeze = Math.cos(((south + north) / 2) * (Math.PI / 180));
  const scale = WIDTH / ((east - west) * squeeze || 1);
  const height = Math.max(1, (north - south) * scale);
  const x = (lon: number): number => (lon - west) * squeeze * scale;
  const y = (lat: number): number => (north - lat) * scale;

  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${WIDTH} ${height.toFixed(1)}`);
  svg.setAttribute('class', 'place-map');
  svg.setAttribute('role', 'img');
  const d = rings
    .map((ring) => `M${ring.map(([lon, lat]) => `${x(lon).toFixed(1)},${y(lat).toFixed(1)}`).join('L')}Z`)
    .join('');
  const path = document.createElementNS(SVG, 'path');
  path.setAttribute('d', d);
  path.setAttribute('class', 'wards');
  const dot = document.createElementNS(SVG, 'circle');
  dot.setAttribute('r', '5');
  dot.setAttribute('class', 'picked');
  dot.style.display = 'none';
  svg.append(path, dot);

  svg.addEventListener('click', (event) => {
    const ctm = svg.getScreenCTM();
    if (!ctm) return;
    const p = new DOMPoint(event.clientX, event.clientY).matrixTransform(ctm.inverse());
    const lon = west + p.x / scale / squeeze;
    const lat = north - p.y / scale;
    onPick(Math.round(lat * 1e5) / 1e5, Math.round(lon * 1e5) / 1e5);
  });

  return {
    el: svg,
    mark(point) {
      dot.style.display = point ? '' : 'none';
      if (!point) return;
      dot.setAttribute('cx', x(point.lon).toFixed(1));
      dot.setAttribute('cy', y(point.lat).toFixed(1));
    },
  };
}
