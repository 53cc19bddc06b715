// Event-time progress per family: the newest committed event time. A window is final once that time, less the
// view's allowed lateness, has passed the window's end; a later event still lands and re-opens the window.
import type { Family } from '../schema/index.ts';

export class Watermarks {
  private readonly newest = new Map<Family, number>();

  observe(family: Family, ts: number): void {
    if (ts > (this.newest.get(family) ?? -Infinity)) this.newest.set(family, ts);
  }

  /** The newest event time committed for the family, or null before any. */
  newestTs(family: Family): number | null {
    return this.newest.get(family) ?? null;
  }

  /** Event time up to which windows of this family are final, given an allowed lateness. */
  watermark(family: Family, latenessMs: number): number | null {
    const n = this.newest.get(family);
    return n === undefined ? null : n - latenessMs;
  }

  isFinal(family: Family, windowEnd: number, latenessMs: number): boolean {
    const w = this.watermark(family, latenessMs);
    return w !== null && windowEnd <= w;
  }
}
