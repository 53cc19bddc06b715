// What BASEMAP_URL names, read from the setting alone: an XYZ tile service (raster or vector by its extension), or a
// PMTiles file on the engine's disk whose own header says what its tiles are.
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BasemapKind } from '../../dashboards/shared/wire/basemap.ts';

const RASTER = /\.(png|jpe?g|webp)$/i;
const VECTOR = /\.(pbf|mvt)$/i;
const PMTILES = /\.pmtiles$/i;

export type BasemapSource = { type: 'xyz'; kind: BasemapKind; url: string } | { type: 'pmtiles'; path: string };

/** The tile source BASEMAP_URL names, or null when it names none the wall can draw. */
export function basemapSource(setting: string): BasemapSource | null {
  if (setting.startsWith('file://')) {
    try {
      const path = fileURLToPath(setting);
      return PMTILES.test(path) ? { type: 'pmtiles', path } : null;
    } catch {
      return null;
    }
  }
  if (!/^[a-z][\w+.-]*:/i.test(setting))
    return PMTILES.test(setting) ? { type: 'pmtiles', path: resolve(setting) } : null;
  let u: URL;
  try {
    u = new URL(setting);
  } catch {
    return null;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  // Credentials in the URL would be handed to every browser on the wall.
  if (u.username || u.password) return null;
  if (!['{z}', '{x}', '{y}'].every((p) => setting.includes(p))) return null;
  // The extension is the path's; a key in the query string (`?key=…`) does not change the kind.
  const path = decodeURIComponent(u.pathname);
  const kind = RASTER.test(path) ? 'raster' : VECTOR.test(path) ? 'vector' : null;
  return kind ? { type: 'xyz', kind, url: setting } : null;
}

/**
 * The origin the pages fetch tiles from: the only one the Content Security Policy adds for the base map. None for a
 * PMTiles file: the engine serves its tiles itself.
 */
export function basemapOrigin(setting: string | undefined): string[] {
  const source = setting ? basemapSource(setting) : null;
  return source?.type === 'xyz' ? [new URL(source.url).origin] : [];
}
