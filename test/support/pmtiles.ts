// A PMTiles v3 archive of one tile at zoom 0, written by hand (the pmtiles package only reads): the 127-byte header,
// a root directory of one entry, empty metadata, the tile. Enough for the engine to serve it back.
import type { TileType } from 'pmtiles';

function varint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

export function singleTilePmtiles(tile: Uint8Array, tileType: TileType): Buffer {
  // One entry: tile id 0 (z0/0/0), a run of 1, its length, offset 0 written as 0 + 1.
  const directory = Buffer.from([...varint(1), ...varint(0), ...varint(1), ...varint(tile.length), ...varint(1)]);
  const metadata = Buffer.from('{}');
  const header = Buffer.alloc(127);
  header.write('PMTiles', 0, 'ascii');
  header[7] = 3;
  const rootAt = 127;
  const metadataAt = rootAt + directory.length;
  const tilesAt = metadataAt + metadata.length;
  const u64 = (at: number, n: number) => header.writeBigUInt64LE(BigInt(n), at);
  u64(8, rootAt);
  u64(16, directory.length);
  u64(24, metadataAt);
  u64(32, metadata.length);
  u64(40, tilesAt); // no leaf directories
  u64(48, 0);
  u64(56, tilesAt);
  u64(64, tile.length);
  u64(72, 1); // addressed tiles
  u64(80, 1); // tile entries
  u64(88, 1); // tile contents
  header[96] = 1; // clustered
  header[97] = 1; // internal compression: none
  header[98] = 1; // tile compression: none
  header[99] = tileType;
  header[100] = 0; // min zoom
  header[101] = 0; // max zoom
  header.writeInt32LE(-1_800_000_000, 102);
  header.writeInt32LE(-850_000_000, 106);
  header.writeInt32LE(1_800_000_000, 110);
  header.writeInt32LE(850_000_000, 114);
  return Buffer.concat([header, directory, metadata, Buffer.from(tile)]);
}
