// Which event-time windows new rows made dirty, coalesced into the few ranges a refresh recomputes.
import { hanoiWindowStart } from '../sql/index.ts';

export interface Range {
  from: number;
  to: number;
}

/** Window starts → sorted ranges; windows closer than `gap` windows merge, so a tick runs few statements. */
export function coalesce(starts: Iterable<number>, windowMs: number, gap = 4): Range[] {
  const sorted = [...starts].sort((a, b) => a - b);
  const ranges: Range[] = [];
  for (const s of sorted) {
    const last = ranges[ranges.length - 1];
    if (last && s <= last.to + gap * windowMs) last.to = Math.max(last.to, s + windowMs);
    else ranges.push({ from: s, to: s + windowMs });
  }
  return ranges;
}

/** Per view: the set of window starts waiting for a refresh. */
export class DirtyWindows {
  private readonly dirty = new Map<string, Set<number>>();

  mark(view: string, windowMs: number, minutes: Iterable<number>): void {
    let set = this.dirty.get(view);
    if (!set) this.dirty.set(view, (set = new Set()));
    for (const m of minutes) set.add(hanoiWindowStart(m, windowMs));
  }

  /** Takes the dirty windows of a view, leaving it clean. */
  take(view: string): Set<number> {
    const set = this.dirty.get(view) ?? new Set<number>();
    this.dirty.delete(view);
    return set;
  }

  /** Puts windows back after a failed refresh. */
  restore(view: string, starts: Iterable<number>): void {
    let set = this.dirty.get(view);
    if (!set) this.dirty.set(view, (set = new Set()));
    for (const s of starts) set.add(s);
  }

  has(view: string): boolean {
    return (this.dirty.get(view)?.size ?? 0) > 0;
  }

  /** Forgets a view's windows (it was removed). */
  drop(view: string): void {
    this.dirty.delete(view);
  }

  get size(): number {
    let n = 0;
    for (const s of this.dirty.values()) n += s.size;
    return n;
  }
}
