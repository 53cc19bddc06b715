// The result on a map: one dot per row with lat/lon, coloured by the first other numeric column, over district outlines; no tiles.
import { Deck } from '@deck.gl/core';
import { GeoJsonLayer, ScatterplotLayer } from '@deck.gl/layers';
import type { Table } from 'apache-arrow';
import { fetchAreas } from '../shared/api.ts';
import type { Areas } from '../shared/wire/index.ts';
import { isNumeric, numberOf } from './format.ts';

const LAT = /^(lat|latitude|centroid_lat|y)$/i;
const LON = /^(lon|lng|long|longitude|centroid_lon|x)$/i;

interface Dot {
  position: [number, number];
  value: number | null;
}

function latLonColumns(table: Table): { lat: number; lon: number; value: number } | null {
  const fields = table.schema.fields;
  const lat = fields.findIndex((f) => LAT.test(f.name) && isNumeric(f.type));
  const lon = fields.findIndex((f) => LON.test(f.name) && isNumeric(f.type));
  if (lat < 0 || lon < 0) return null;
  return { lat, lon, value: fields.findIndex((f, i) => i !== lat && i !== lon && isNumeric(f.type)) };
}

function color(t: number): [number, number, number, number] {
  // Blue to amber to red, like the wall's scales.
  const stops: [number, number, number][] = [
    [76, 194, 255],
    [245, 176, 65],
    [239, 68, 68],
  ];
  const x = Math.min(1, Math.max(0, t)) * 2;
  const a = stops[Math.floor(Math.min(x, 1.999))]!;
  const b = stops[Math.floor(Math.min(x, 1.999)) + 1]!;
  const f = x - Math.floor(Math.min(x, 1.999));
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f, 220];
}

export class MapChart {
  private deck: Deck | null = null;
  private areas: Areas | null = null;

  constructor(private readonly el: HTMLDivElement) {
    fetchAreas().then(
      (a) => {
        this.areas = a;
      },
      () => undefined,
    );
  }

  show(table: Table): boolean {
    const cols = latLonColumns(table);
    if (!cols) return false;
    const latCol = table.getChildAt(cols.lat)!;
    const lonCol = table.getChildAt(cols.lon)!;
    const valCol = cols.value >= 0 ? table.getChildAt(cols.value)! : null;
    const valType = cols.value >= 0 ? table.schema.fields[cols.value]!.type : null;
    const dots: Dot[] = [];
    for (let r = 0; r < table.numRows; r++) {
      const lat = numberOf(latCol.get(r), table.schema.fields[cols.lat]!.type);
      const lon = numberOf(lonCol.get(r), table.schema.fields[cols.lon]!.type);
      if (lat === null || lon === null) continue;
      dots.push({ position: [lon, lat], value: valCol && valType ? numberOf(valCol.get(r), valType) : null });
    }
    if (dots.length === 0) return false;
    const values = dots.map((d) => d.value).filter((v): v is number => v !== null);
    const lo = values.length ? Math.min(...values) : 0;
    const hi = values.length ? Math.max(...values) : 1;
    const lons = dots.map((d) => d.position[0]);
    const lats = dots.map((d) => d.position[1]);
    const span = Math.max(Math.max(...lons) - Math.min(...lons), (Math.max(...lats) - Math.min(...lats)) * 1.3, 0.01);
    const viewState = {
      longitude: (Math.max(...lons) + Math.min(...lons)) / 2,
      latitude: (Math.max(...lats) + Math.min(...lats)) / 2,
      zoom: Math.max(3, Math.min(15, Math.log2((360 * this.el.clientWidth) / 512 / span) - 0.3)),
      pitch: 0,
      bearing: 0,
    };
    const layers = [
      this.areas &&
        new GeoJsonLayer({
          id: 'areas',
          data: this.areas as never,
          stroked: true,
          filled: true,
          getFillColor: [22, 34, 52, 160],
          getLineColor: [59, 85, 117, 255],
          lineWidthMinPixels: 1,
        }),
      new ScatterplotLayer<Dot>({
        id: 'dots',
        data: dots,
        getPosition: (d) => d.position,
        radiusUnits: 'pixels',
        getRadius: dots.length > 5000 ? 2 : 5,
        getFillColor: (d) => (d.value === null || hi === lo ? [76, 194, 255, 220] : color((d.value - lo) / (hi - lo))),
        stroked: dots.length <= 5000,
        getLineColor: [0, 0, 0, 160],
        lineWidthMinPixels: 1,
        updateTriggers: { getFillColor: [lo, hi] },
      }),
    ];
    if (!this.deck) {
      this.deck = new Deck({ parent: this.el, initialViewState: viewState, controller: { dragRotate: false }, layers });
    } else {
      this.deck.setProps({ initialViewState: viewState, layers });
    }
    return true;
  }
}
