// A PMTiles archive on the engine's disk, read with the pmtiles package through a Source that reads the byte ranges it
// asks for. The file is opened for each read: the engine keeps no handle to close, and the OS caches the pages.
import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { PMTiles, TileType, type RangeResponse, type Source } from 'pmtiles';
import type { BasemapKind } from '../../dashboards/shared/wire/basemap.ts';

class FileRangeSource implements Source {
  constructor(private readonly path: string) {}

  getKey(): string {
    return this.path;
  }

  async getBytes(offset: number, length: number): Promise<RangeResponse> {
    const file = await open(this.path, 'r');
    try {
      const bytes = new Uint8Array(length);
      // The first read asks for 16 KiB whatever the file's size: a short read is the end of the file.
      const { bytesRead } = await file.read(bytes, 0, length, offset);
      return { data: bytes.buffer.slice(0, bytesRead) };
    } finally {
      await file.close();
    }
  }
}

const TYPES: Partial<Record<TileType, { kind: BasemapKind; contentType: string }>> = {
  [TileType.Mvt]: { kind: 'vector', contentType: 'application/x-protobuf' },
  [TileType.Png]: { kind: 'raster', contentType: 'image/png' },
  [TileType.Jpeg]: { kind: 'raster', contentType: 'image/jpeg' },
  [TileType.Webp]: { kind: 'raster', contentType: 'image/webp' },
  [TileType.Avif]: { kind: 'raster', contentType: 'image/avif' },
};

export interface PmtilesArchive {
  name: string;
  kind: BasemapKind;
  contentType: string;
  minZoom: number;
  maxZoom: number;
  /** The tile's bytes, uncompressed; undefined when the archive has none there. */
  tile(z: number, x: number, y: number): Promise<Uint8Array | undefined>;
}

export async function openPmtiles(path: string): Promise<PmtilesArchive> {
  const archive = new PMTiles(new FileRangeSource(path));
  const header = await archive.getHeader();
  const type = TYPES[header.tileType];
  if (!type) throw new Error(`${path}: PMTiles of tile type ${header.tileType}, not vector (MVT) or raster tiles`);
  return {
    name: basename(path),
    ...type,
    minZoom: header.minZoom,
    maxZoom: header.maxZoom,
    tile: async (z, x, y) => {
      const found = await archive.getZxy(z, x, y);
      return found ? new Uint8Array(found.data) : undefined;
    },
  };
}
