// A uniform-grid point locator over many polygons: O(1) for most points, no allocation per lookup.
//
// Each grid cell is one of: EMPTY (no area within reach), FULL (wholly inside one area: answered from the
// cell), NEAR (outside every area but within `nearKm` of one) or MIXED (boundaries cross it). A MIXED cell
// keeps, per candidate area, only the boundary edges that cross the cell and whether the cell's centre is
// inside that area; a point's inside-ness is then the centre's, flipped once per edge crossed on the way
// from the point to the centre. The cost of a lookup follows the edges in one cell, not the size of the
// polygon, so detailed commune boundaries stay as fast as the coarse district shapes.
// Building and querying share one packed memory layout, which is why they live in one (longer) file.
import type { AreaGeometry } from './schema.ts';
import { KM_PER_DEG_LAT, kmPerDegLon, openLength, polygonsOf } from './measure.ts';

const EMPTY = 0;
const FULL = 1;
const MIXED = 2;
const NEAR = 3;

export interface GridIndexOptions {
  /** Points outside every area but this close to one are given the nearest area (GPS jitter at borders). */
  nearKm?: number;
  /** Wanted number of grid cells; by default it grows with the number of boundary edges. */
  cells?: number;
}

export interface GridIndexStats {
  nx: number;
  ny: number;
  cellKm: [number, number];
  full: number;
  mixed: number;
  near: number;
  empty: number;
  edgeRefs: number;
}

export class GridIndex {
  private readonly minX: number;
  private readonly minY: number;
  private readonly cellW: number;
  private readonly cellH: number;
  private readonly invW: number;
  private readonly invH: number;
  private readonly nx: number;
  private readonly ny: number;
  private readonly kx: number;
  private readonly ky: number;
  private readonly nearKm: number;
  private readonly kind: Uint8Array;
  /** FULL: the area; MIXED: the index into mixStart. */
  private readonly value: Int32Array;
  private readonly mixStart: Int32Array;
  private readonly candArea: Int32Array;
  private readonly candInside: Uint8Array;
  private readonly candEdgeStart: Int32Array;
  /** x1, y1, x2, y2 per edge reference, copied per cell so a lookup reads one contiguous run. */
  private readonly edges: Float64Array;
  // The running minimum of nearest(), kept on the instance so the search allocates nothing.
  private bestD2 = 0;
  private bestArea = -1;

  constructor(geometries: readonly AreaGeometry[], options: GridIndexOptions = {}) {
    this.nearKm = options.nearKm ?? 2;
    const src = collectEdges(geometries);
    const nEdges = src.area.length;
    if (nEdges === 0) throw new Error('no polygon edges to index');

    let minX = Infinity,
      minY = Infinity,
      maxX = -Infinity,
      maxY = -Infinity;
    for (let e = 0; e < nEdges; e++) {
      const x1 = src.xy[4 * e]!,
        y1 = src.xy[4 * e + 1]!;
      if (x1 < minX) minX = x1;
      if (x1 > maxX) maxX = x1;
      if (y1 < minY) minY = y1;
      if (y1 > maxY) maxY = y1;
    }
    this.ky = KM_PER_DEG_LAT;
    this.kx = kmPerDegLon((minY + maxY) / 2);
    // A margin of nearKm (plus a little) so that every point that may snap to an area falls on the grid.
    const padX = (this.nearKm * 1.01) / this.kx + 1e-9;
    const padY = (this.nearKm * 1.01) / this.ky + 1e-9;
    minX -= padX;
    maxX += padX;
    minY -= padY;
    maxY += padY;

    const wantCells = options.cells ?? Math.min(1 << 21, Math.max(1 << 16, 4 * nEdges));
    const wKm = (maxX - minX) * this.kx;
    const hKm = (maxY - minY) * this.ky;
    // Square cells in kilometres keep the edge count per cell even in both directions.
    const nx = Math.max(1, Math.round(Math.sqrt((wantCells * wKm) / hKm)));
    const ny = Math.max(1, Math.ceil(wantCells / nx));
    this.nx = nx;
    this.ny = ny;
    this.minX = minX;
    this.minY = minY;
    this.cellW = (maxX - minX) / nx;
    this.cellH = (maxY - minY) / ny;
    this.invW = 1 / this.cellW;
    this.invH = 1 / this.cellH;

    const nCells = nx * ny;
    const cellEdges = this.rasterizeEdges(src.xy, nEdges);

    // Pack MIXED cells: edges arrive in area order, so each cell's list is already grouped by area.
    this.kind = new Uint8Array(nCells);
    this.value = new Int32Array(nCells);
    let nMixed = 0,
      nCand = 0,
      nRefs = 0;
    for (const list of cellEdges.values()) {
      nMixed++;
      nRefs += list.length;
      for (let k = 0; k < list.length; k++) if (k === 0 || src.area[list[k]!] !== src.area[list[k - 1]!]) nCand++;
    }
    this.mixStart = new Int32Array(nMixed + 1);
    this.candArea = new Int32Array(nCand);
    this.candInside = new Uint8Array(nCand);
    this.candEdgeStart = new Int32Array(nCand + 1);
    this.edges = new Float64Array(4 * nRefs);
    let m = 0,
      c = 0,
      r = 0;
    const cells = [...cellEdges.keys()].sort((a, b) => a - b);
    for (const cell of cells) {
      const list = cellEdges.get(cell)!;
      this.kind[cell] = MIXED;
      this.value[cell] = m;
      this.mixStart[m] = c;
      for (let k = 0; k < list.length; k++) {
        const e = list[k]!;
        if (k === 0 || src.area[e] !== src.area[list[k - 1]!]) {
          this.candArea[c] = src.area[e]!;
          this.candEdgeStart[c] = r;
          c++;
        }
        this.edges.set(src.xy.subarray(4 * e, 4 * e + 4), 4 * r);
        r++;
      }
      m++;
    }
    this.mixStart[m] = c;
    this.candEdgeStart[c] = r;

    this.classifyCentres(src, nEdges, geometries.length);
    this.markNear();
  }

  /** Index of the area holding the point, or -1: no snapping to a nearby area. */
  contains(lon: number, lat: number): number {
    const fx = (lon - this.minX) * this.invW;
    const fy = (lat - this.minY) * this.invH;
    if (!(fx >= 0 && fx < this.nx && fy >= 0 && fy < this.ny)) return -1;
    const i = fx | 0;
    const j = fy | 0;
    const cell = j * this.nx + i;
    const kind = this.kind[cell];
    if (kind === FULL) return this.value[cell]!;
    return kind === MIXED ? this.inMixedCell(cell, i, j, lon, lat) : -1;
  }

  /** Index of the area holding the point, else of the nearest one within nearKm, else -1. */
  locate(lon: number, lat: number): number {
    const fx = (lon - this.minX) * this.invW;
    const fy = (lat - this.minY) * this.invH;
    // Written so NaN fails too.
    if (!(fx >= 0 && fx < this.nx && fy >= 0 && fy < this.ny)) return -1;
    const i = fx | 0;
    const j = fy | 0;
    const cell = j * this.nx + i;
    switch (this.kind[cell]) {
      case FULL:
        return this.value[cell]!;
      case MIXED: {
        const hit = this.inMixedCell(cell, i, j, lon, lat);
        return hit >= 0 ? hit : this.nearest(lon, lat);
      }
      case NEAR:
        return this.nearest(lon, lat);
      default:
        return -1;
    }
  }

  /** The area whose boundary is closest to the point, if within nearKm; -1 otherwise. */
  nearest(lon: number, lat: number): number {
    const fx = (lon - this.minX) * this.invW;
    const fy = (lat - this.minY) * this.invH;
    if (!(fx >= 0 && fx < this.nx && fy >= 0 && fy < this.ny)) return -1;
    const ci = fx | 0;
    const cj = fy | 0;
    const cellKm = Math.min(this.cellW * this.kx, this.cellH * this.ky);
    const rings = Math.ceil(this.nearKm / cellKm) + 1;
    this.bestD2 = this.nearKm * this.nearKm;
    this.bestArea = -1;
    // Square rings of cells round the point's cell, nearest first: a ring r cells out is at least (r − 1)
    // cells away, so the search stops as soon as that exceeds the best distance found.
    for (let r = 0; r <= rings; r++) {
      const gap = (r - 1) * cellKm;
      if (gap > 0 && gap * gap > this.bestD2) break;
      const j0 = cj - r,
        j1 = cj + r;
      for (let i = ci - r; i <= ci + r; i++) {
        this.scanCell(i, j0, lon, lat);
        if (r > 0) this.scanCell(i, j1, lon, lat);
      }
      for (let j = j0 + 1; j < j1; j++) {
        this.scanCell(ci - r, j, lon, lat);
        this.scanCell(ci + r, j, lon, lat);
      }
    }
    return this.bestArea;
  }

  private scanCell(i: number, j: number, lon: number, lat: number): void {
    if (i < 0 || j < 0 || i >= this.nx || j >= this.ny) return;
    const cell = j * this.nx + i;
    if (this.kind[cell] !== MIXED) return;
    const kx = this.kx,
      ky = this.ky;
    const edges = this.edges;
    const m = this.value[cell]!;
    for (let k = this.mixStart[m]!, kEnd = this.mixStart[m + 1]!; k < kEnd; k++) {
      for (let e = this.candEdgeStart[k]!, eEnd = this.candEdgeStart[k + 1]!; e < eEnd; e++) {
        // Distance in km on a local plane: exact enough over a couple of kilometres.
        const ax = (edges[4 * e]! - lon) * kx,
          ay = (edges[4 * e + 1]! - lat) * ky;
        const bx = (edges[4 * e + 2]! - lon) * kx,
          by = (edges[4 * e + 3]! - lat) * ky;
        const dx = bx - ax,
          dy = by - ay;
        const len2 = dx * dx + dy * dy;
        let t = len2 > 0 ? -(ax * dx + ay * dy) / len2 : 0;
        if (t < 0) t = 0;
        else if (t > 1) t = 1;
        const px = ax + t * dx,
          py = ay + t * dy;
        const d2 = px * px + py * py;
        if (d2 < this.bestD2) {
          this.bestD2 = d2;
          this.bestArea = this.candArea[k]!;
        }
      }
    }
  }

  stats(): GridIndexStats {
    const count = [0, 0, 0, 0];
    for (const k of this.kind) count[k] = (count[k] ?? 0) + 1;
    return {
      nx: this.nx,
      ny: this.ny,
      cellKm: [this.cellW * this.kx, this.cellH * this.ky],
      empty: count[EMPTY]!,
      full: count[FULL]!,
      mixed: count[MIXED]!,
      near: count[NEAR]!,
      edgeRefs: this.edges.length / 4,
    };
  }

  private inMixedCell(cell: number, i: number, j: number, px: number, py: number): number {
    const cx = this.minX + (i + 0.5) * this.cellW;
    const cy = this.minY + (j + 0.5) * this.cellH;
    const edges = this.edges;
    const m = this.value[cell]!;
    for (let k = this.mixStart[m]!, kEnd = this.mixStart[m + 1]!; k < kEnd; k++) {
      let inside = this.candInside[k] === 1;
      for (let e = this.candEdgeStart[k]!, eEnd = this.candEdgeStart[k + 1]!; e < eEnd; e++) {
        const x1 = edges[4 * e]!,
          y1 = edges[4 * e + 1]!,
          x2 = edges[4 * e + 2]!,
          y2 = edges[4 * e + 3]!;
        // Leg 1, along y = py from the point to x = cx; half-open in y, as in ordinary ray casting.
        if (y1 > py !== y2 > py) {
          const x = x1 + ((py - y1) * (x2 - x1)) / (y2 - y1);
          if (x > px !== x > cx) inside = !inside;
        }
        // Leg 2, along x = cx from y = py to the cell centre.
        if (x1 > cx !== x2 > cx) {
          const y = y1 + ((cx - x1) * (y2 - y1)) / (x2 - x1);
          if (y > py !== y > cy) inside = !inside;
        }
      }
      if (inside) return this.candArea[k]!;
    }
    return -1;
  }

  /** For every cell that a boundary edge touches, the edges touching it (closed cells, a hair wider). */
  private rasterizeEdges(xy: Float64Array, nEdges: number): Map<number, number[]> {
    const out = new Map<number, number[]>();
    const epsX = this.cellW * 1e-9,
      epsY = this.cellH * 1e-9;
    for (let e = 0; e < nEdges; e++) {
      const x1 = xy[4 * e]!,
        y1 = xy[4 * e + 1]!,
        x2 = xy[4 * e + 2]!,
        y2 = xy[4 * e + 3]!;
      const ya = Math.min(y1, y2),
        yb = Math.max(y1, y2);
      const j0 = this.clampRow(Math.floor((ya - epsY - this.minY) * this.invH));
      const j1 = this.clampRow(Math.floor((yb + epsY - this.minY) * this.invH));
      for (let j = j0; j <= j1; j++) {
        // The part of the edge inside this row's slab gives the columns it crosses.
        const s0 = Math.max(ya, this.minY + j * this.cellH - epsY);
        const s1 = Math.min(yb, this.minY + (j + 1) * this.cellH + epsY);
        let xa: number, xb: number;
        if (y1 === y2) {
          xa = Math.min(x1, x2);
          xb = Math.max(x1, x2);
        } else {
          const u = x1 + ((s0 - y1) * (x2 - x1)) / (y2 - y1);
          const v = x1 + ((s1 - y1) * (x2 - x1)) / (y2 - y1);
          xa = Math.min(u, v);
          xb = Math.max(u, v);
        }
        const i0 = this.clampCol(Math.floor((xa - epsX - this.minX) * this.invW));
        const i1 = this.clampCol(Math.floor((xb + epsX - this.minX) * this.invW));
        for (let i = i0; i <= i1; i++) {
          const cell = j * this.nx + i;
          const list = out.get(cell);
          if (list === undefined) out.set(cell, [e]);
          else if (list[list.length - 1] !== e) list.push(e);
        }
      }
    }
    return out;
  }

  /** Scanline through every row of cell centres: which areas hold each centre. */
  private classifyCentres(src: EdgeSource, nEdges: number, nAreas: number): void {
    const byRow: number[][] = Array.from({ length: this.ny }, () => []);
    for (let e = 0; e < nEdges; e++) {
      const ya = Math.min(src.xy[4 * e + 1]!, src.xy[4 * e + 3]!);
      const yb = Math.max(src.xy[4 * e + 1]!, src.xy[4 * e + 3]!);
      const j0 = this.clampRow(Math.floor((ya - this.minY) * this.invH - 0.5));
      const j1 = this.clampRow(Math.ceil((yb - this.minY) * this.invH - 0.5));
      for (let j = j0; j <= j1; j++) byRow[j]!.push(e);
    }
    const parity = new Uint8Array(nAreas);
    const insideNow: number[] = [];
    const xs: { x: number; area: number }[] = [];
    for (let j = 0; j < this.ny; j++) {
      const cy = this.minY + (j + 0.5) * this.cellH;
      xs.length = 0;
      for (const e of byRow[j]!) {
        const x1 = src.xy[4 * e]!,
          y1 = src.xy[4 * e + 1]!,
          x2 = src.xy[4 * e + 2]!,
          y2 = src.xy[4 * e + 3]!;
        if (y1 > cy !== y2 > cy) xs.push({ x: x1 + ((cy - y1) * (x2 - x1)) / (y2 - y1), area: src.area[e]! });
      }
      xs.sort((a, b) => a.x - b.x);
      parity.fill(0);
      insideNow.length = 0;
      let next = 0;
      for (let i = 0; i < this.nx; i++) {
        const cx = this.minX + (i + 0.5) * this.cellW;
        // A closed ring crosses a line an even number of times, so crossings on the left give the parity.
        while (next < xs.length && xs[next]!.x <= cx) {
          const a = xs[next++]!.area;
          parity[a] = parity[a] === 1 ? 0 : 1;
          if (parity[a] === 1) insideNow.push(a);
          else insideNow.splice(insideNow.indexOf(a), 1);
        }
        const cell = j * this.nx + i;
        if (this.kind[cell] === MIXED) {
          const m = this.value[cell]!;
          for (let k = this.mixStart[m]!; k < this.mixStart[m + 1]!; k++)
            this.candInside[k] = parity[this.candArea[k]!]!;
        } else if (insideNow.length > 0) {
          // Overlapping areas are a data error; the first listed wins, as in the MIXED cells.
          this.kind[cell] = FULL;
          this.value[cell] = Math.min(...insideNow);
        }
      }
    }
  }

  /** EMPTY cells within nearKm of a boundary become NEAR (a summed-area table answers each box in O(1)). */
  private markNear(): void {
    const nx = this.nx,
      ny = this.ny,
      w = nx + 1;
    const sum = new Int32Array(w * (ny + 1));
    for (let j = 0; j < ny; j++) {
      for (let i = 0; i < nx; i++) {
        const mixed = this.kind[j * nx + i] === MIXED ? 1 : 0;
        sum[(j + 1) * w + i + 1] = mixed + sum[j * w + i + 1]! + sum[(j + 1) * w + i]! - sum[j * w + i]!;
      }
    }
    const rx = Math.ceil(this.nearKm / (this.cellW * this.kx));
    const ry = Math.ceil(this.nearKm / (this.cellH * this.ky));
    for (let j = 0; j < ny; j++) {
      const j0 = Math.max(0, j - ry),
        j1 = Math.min(ny, j + ry + 1);
      for (let i = 0; i < nx; i++) {
        const cell = j * nx + i;
        if (this.kind[cell] !== EMPTY) continue;
        const i0 = Math.max(0, i - rx),
          i1 = Math.min(nx, i + rx + 1);
        const n = sum[j1 * w + i1]! - sum[j0 * w + i1]! - sum[j1 * w + i0]! + sum[j0 * w + i0]!;
        if (n > 0) this.kind[cell] = NEAR;
      }
    }
  }

  private clampRow(j: number): number {
    return j < 0 ? 0 : j >= this.ny ? this.ny - 1 : j;
  }

  private clampCol(i: number): number {
    return i < 0 ? 0 : i >= this.nx ? this.nx - 1 : i;
  }
}

interface EdgeSource {
  /** x1, y1, x2, y2 per edge */
  xy: Float64Array;
  /** owning area per edge */
  area: Int32Array;
}

function collectEdges(geometries: readonly AreaGeometry[]): EdgeSource {
  let n = 0;
  for (const g of geometries) for (const polygon of polygonsOf(g)) for (const ring of polygon) n += openLength(ring);
  const xy = new Float64Array(4 * n);
  const area = new Int32Array(n);
  let e = 0;
  geometries.forEach((g, a) => {
    for (const polygon of polygonsOf(g)) {
      for (const ring of polygon) {
        const len = openLength(ring);
        for (let k = 0; k < len; k++) {
          const p = ring[k]!;
          const q = ring[(k + 1) % len]!;
          // Zero-length edges cross nothing; leaving them out keeps the cells lean.
          if (p[0] === q[0] && p[1] === q[1]) continue;
          xy[4 * e] = p[0];
          xy[4 * e + 1] = p[1];
          xy[4 * e + 2] = q[0];
          xy[4 * e + 3] = q[1];
          area[e] = a;
          e++;
        }
      }
    }
  });
  return { xy: xy.subarray(0, 4 * e), area: area.subarray(0, e) };
}
