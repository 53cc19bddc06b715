// The street base map under every other layer: the city's raster tiles as bitmaps, or its vector tiles drawn in the
// wall's dark colours, thin and low in contrast, so the choropleth over them stays the thing the eye reads.
import type { Layer } from '@deck.gl/core';
import { MVTLayer, TileLayer } from '@deck.gl/geo-layers';
import { BitmapLayer } from '@deck.gl/layers';
import { MVTLoader } from '@loaders.gl/mvt';
import type { Basemap } from '../../shared/wire/index.ts';
import type { Rgba } from '../colors.ts';

export const BASEMAP_LAYER_ID = 'basemap';

/** Raster tiles are drawn dimmed over the page's dark map background: a bright street style would outshine the data. */
const RASTER_OPACITY = 0.8;
/**
 * MVTLayer's own loader parses in a worker fetched from a CDN; the page's Content Security Policy allows neither, and
 * a city's tiles parse fast enough on the page with the loader that has its parser bundled.
 */
const NO_WORKER = { core: { worker: false } };

/** A tile the service does not have (off the city's edge, past its zooms) is only blank map, not an error to log. */
const quiet = (): void => undefined;

const ROAD: Rgba = [118, 132, 156, 150];
const MAJOR_ROAD: Rgba = [140, 154, 178, 170];
const WATER: Rgba = [22, 44, 74, 200];
const GREEN: Rgba = [22, 38, 34, 160];
const BUILDING: Rgba = [30, 36, 48, 140];
const NONE: Rgba = [0, 0, 0, 0];

/** The vector tiles' layer a feature came from (`layerName`, as loaders.gl names it), and its class if it has one. */
interface TileFeature {
  properties?: { layerName?: string; class?: string; kind?: string; highway?: string } | null;
}

const is = (name: string, pattern: RegExp): boolean => pattern.test(name);
const WATER_LAYER = /water|ocean|river|lake/i;
const GREEN_LAYER = /landuse|landcover|park|green|wood|grass/i;
const BUILDING_LAYER = /building/i;
const ROAD_LAYER = /road|transport|highway|street|line/i;
const MAJOR = /motorway|trunk|primary|major|highway/i;

function fillOf(f: TileFeature): Rgba {
  const name = f.properties?.layerName ?? '';
  if (is(name, WATER_LAYER)) return WATER;
  if (is(name, GREEN_LAYER)) return GREEN;
  if (is(name, BUILDING_LAYER)) return BUILDING;
  return NONE;
}

function lineOf(f: TileFeature): Rgba {
  const name = f.properties?.layerName ?? '';
  if (is(name, WATER_LAYER)) return WATER;
  if (!is(name, ROAD_LAYER)) return NONE;
  const kind = f.properties?.class ?? f.properties?.kind ?? f.properties?.highway ?? '';
  return MAJOR.test(kind) ? MAJOR_ROAD : ROAD;
}

function lineWidthOf(f: TileFeature): number {
  const kind = f.properties?.class ?? f.properties?.kind ?? f.properties?.highway ?? '';
  return MAJOR.test(kind) ? 1.5 : 1;
}

export function basemapLayer(basemap: Basemap): Layer {
  const zooms = { minZoom: basemap.minZoom, maxZoom: basemap.maxZoom };
  if (basemap.kind === 'vector')
    return new MVTLayer({
      id: BASEMAP_LAYER_ID,
      data: basemap.url,
      ...zooms,
      loaders: [MVTLoader],
      onTileError: quiet,
      loadOptions: NO_WORKER,
      // GeoJSON features: the style reads each one's source layer (`layerName`) from its properties.
      binary: false,
      pickable: false,
      filled: true,
      stroked: true,
      // Labels and points belong to the wall's own layers.
      pointType: 'circle',
      getPointRadius: 0,
      getFillColor: (f: TileFeature) => fillOf(f),
      getLineColor: (f: TileFeature) => lineOf(f),
      getLineWidth: (f: TileFeature) => lineWidthOf(f),
      lineWidthUnits: 'pixels',
    }) as unknown as Layer;
  return new TileLayer<ImageBitmap>({
    id: BASEMAP_LAYER_ID,
    data: basemap.url,
    ...zooms,
    tileSize: 256,
    pickable: false,
    onTileError: quiet,
    renderSubLayers: (props) => {
      // A geographic tile's box is [[west, south], [east, north]].
      const [[west, south], [east, north]] = props.tile.boundingBox as [[number, number], [number, number]];
      return new BitmapLayer({
        id: props.id,
        image: props.data,
        bounds: [west, south, east, north],
        opacity: RASTER_OPACITY,
        pickable: false,
      });
    },
  }) as unknown as Layer;
}
