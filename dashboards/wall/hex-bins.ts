// Dense measurements binned into H3 cells in the browser: each device's cell is computed once, means per frame's data.
import { latLngToCell } from 'h3-js';
import type { EntityBuffer } from './entities.ts';

export type HexMetric = 'pm25' | 'speed';
export const HEX_METRICS: readonly HexMetric[] = ['pm25', 'speed'];

/** Which devices feed a metric: their kind, and that their headline value is that metric. */
const KIND: Record<HexMetric, string> = { pm25: 'air', speed: 'camera' };

export interface HexBin {
  hex: string;
  value: number;
  count: number;
}

/** Finer cells as the operator zooms in: about 5 km² at the city view, 0.7 km² in a district, 0.1 km² in a ward. */
export function hexResolution(zoom: number): number {
  return zoom >= 13 ? 9 : zoom >= 11 ? 8 : 7;
}

export class HexBinner {
  private cells: string[] = [];
  private cellsKey = '';
  private bins: HexBin[] = [];
  private binsKey = '';

  /**
   * Means per cell of the live values. Re-binned only when the data changed (buffer version) and at most as often as
   * the caller asks; cells are recomputed only when devices moved or appeared or the resolution changed.
   */
  bin(buffer: EntityBuffer, metric: HexMetric, res: number): HexBin[] {
    const key = `${metric}|${res}|${buffer.version}`;
    if (key === this.binsKey) return this.bins;
    const cellsKey = `${res}|${buffer.positionsVersion}|${buffer.length}`;
    if (cellsKey !== this.cellsKey) {
      this.cells = new Array<string>(buffer.length);
      this.cellsKey = cellsKey;
    }
    const kind = KIND[metric];
    const sums = new Map<string, { sum: number; count: number }>();
    for (let i = 0; i < buffer.length; i++) {
      if (buffer.kinds[i] !== kind || buffer.statuses[i] === 3) continue;
      const v = buffer.values[i]!;
      if (Number.isNaN(v)) continue;
      let cell = this.cells[i];
      if (cell === undefined) {
        cell = latLngToCell(buffer.positions[i * 2 + 1]!, buffer.positions[i * 2]!, res);
        this.cells[i] = cell;
      }
      const s = sums.get(cell);
      if (s) {
        s.sum += v;
        s.count++;
      } else sums.set(cell, { sum: v, count: 1 });
    }
    this.bins = [...sums].map(([hex, s]) => ({ hex, value: s.sum / s.count, count: s.count }));
    this.binsKey = key;
    return this.bins;
  }
}

export interface StatusBin {
  hex: string;
  /** Worst status code in the cell: 0 ok, 1 warn, 2 alert, 3 silent (silent counts only when nothing else reports). */
  worst: number;
  count: number;
}

const RANK = [1, 2, 3, 0];
const BY_RANK = [3, 0, 1, 2];

/** Devices by H3 cell with the worst state in each: how a dense city view shows 100,000 devices as a few thousand cells. */
export class StatusBinner {
  private cells: string[] = [];
  private cellsKey = '';
  private bins: StatusBin[] = [];
  private binsKey = '';

  private readonly byCell = new Map<string, StatusBin>();
  private binsRes = -1;

  bin(buffer: EntityBuffer, res: number): StatusBin[] {
    const key = `${res}|${buffer.version}`;
    if (key === this.binsKey) return this.bins;
    const cellsKey = `${res}|${buffer.positionsVersion}|${buffer.length}`;
    if (cellsKey !== this.cellsKey) {
      this.cells = new Array<string>(buffer.length);
      this.cellsKey = cellsKey;
    }
    if (res !== this.binsRes) this.byCell.clear();
    // The same cells keep the same objects in the same array, so deck.gl recolours them without rebuilding the hexagons.
    for (const b of this.byCell.values()) {
      b.worst = 0;
      b.count = 0;
    }
    let added = false;
    for (let i = 0; i < buffer.length; i++) {
      let cell = this.cells[i];
      if (cell === undefined) {
        cell = latLngToCell(buffer.positions[i * 2 + 1]!, buffer.positions[i * 2]!, res);
        this.cells[i] = cell;
      }
      const rank = RANK[buffer.statuses[i]!] ?? 0;
      let b = this.byCell.get(cell);
      if (!b) {
        b = { hex: cell, worst: 0, count: 0 };
        this.byCell.set(cell, b);
        added = true;
      }
      b.count++;
      if (rank > b.worst) b.worst = rank;
    }
    for (const b of this.byCell.values()) b.worst = b.count > 0 ? BY_RANK[b.worst]! : 3;
    if (added || this.binsRes !== res) {
      this.bins = [...this.byCell.values()];
      this.binsRes = res;
    }
    this.binsKey = key;
    return this.bins;
  }
}
