// A power diagram (weighted Voronoi) of fixed sites inside an outline, its weights fitted to target cell areas.
import { clipHalfPlane, type Pt } from './plane.ts';

/**
 * Cell i = points of the outline closer to site i than to any other, distance measured as |p − sᵢ|² − wᵢ.
 * Each cell is the outline clipped by half-planes: exact when the outline is convex, and still exact for a
 * concave outline as long as the cell meets it in one piece (the build checks the result).
 */
function powerCells(sites: readonly Pt[], weights: readonly number[], outline: readonly Pt[]): Pt[][] {
  return sites.map((si, i) => {
    let cell: Pt[] = [...outline];
    const wi = weights[i]!;
    sites.forEach((sj, j) => {
      if (j === i || cell.length === 0) return;
      // |p−sᵢ|² − wᵢ ≤ |p−sⱼ|² − wⱼ  ⇔  2p·(sⱼ−sᵢ) ≤ |sⱼ|² − |sᵢ|² + wᵢ − wⱼ
      const nx = sj[0] - si[0];
      const ny = sj[1] - si[1];
      const r = (sj[0] ** 2 + sj[1] ** 2 - si[0] ** 2 - si[1] ** 2 + wi - weights[j]!) / 2;
      cell = clipHalfPlane(cell, nx, ny, r);
    });
    return cell;
  });
}

export interface FitOptions {
  iterations: number;
  /** Cell area in the caller's measure (e.g. geodesic km²). */
  areaOf: (cell: readonly Pt[]) => number;
  /**
   * Each site must stay inside its own cell (every centroid must locate to its own district), which holds
   * while wⱼ − wᵢ < d²ᵢⱼ; keeping the gap under this share of d² leaves a margin round the site as well.
   */
  siteMargin: number;
}

export interface FitResult {
  weights: number[];
  cells: Pt[][];
  areas: number[];
}

export function fitPowerDiagram(
  sites: readonly Pt[],
  targets: readonly number[],
  outline: readonly Pt[],
  opts: FitOptions,
): FitResult {
  const n = sites.length;
  const weights = new Array<number>(n).fill(0);
  const d2 = sites.map((a) => sites.map((b) => (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2));
  for (let it = 0; it < opts.iterations; it++) {
    const cells = powerCells(sites, weights, outline);
    for (let i = 0; i < n; i++) {
      const cell = cells[i]!;
      const area = opts.areaOf(cell);
      // Moving a bisector by δw/(2d) changes the area by its length times that: for a roundish cell with
      // neighbours about 2R away, dA/dw ≈ perimeter/(4R). Damped by half so that neighbours settle together.
      const radius = Math.sqrt(Math.max(area, 1e-6) / Math.PI);
      const gain = Math.max(perimeter(cell) / (4 * radius), 1e-3);
      weights[i]! += (0.5 * (targets[i]! - area)) / gain;
    }
    keepSitesInside(weights, d2, opts.siteMargin);
  }
  const cells = powerCells(sites, weights, outline);
  return { weights, cells, areas: cells.map(opts.areaOf) };
}

/** Pulls together any pair of weights whose gap would push a site out of its own cell. */
function keepSitesInside(weights: number[], d2: readonly (readonly number[])[], margin: number): void {
  const n = weights.length;
  for (let pass = 0; pass < 20; pass++) {
    let moved = false;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (i === j) continue;
        const excess = weights[j]! - weights[i]! - margin * d2[i]![j]!;
        if (excess > 0) {
          weights[j]! -= excess / 2;
          weights[i]! += excess / 2;
          moved = true;
        }
      }
    }
    if (!moved) return;
  }
}

function perimeter(poly: readonly Pt[]): number {
  let p = 0;
  for (let i = 0, j = poly.length - 1; i < poly.length; j = i++) {
    p += Math.hypot(poly[i]![0] - poly[j]![0], poly[i]![1] - poly[j]![1]);
  }
  return p;
}
