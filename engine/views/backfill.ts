// A view created on a running engine is filled over several ticks, newest history first: one tick recomputing all of
// it would hold every other view's refresh (and the walls) for as long as the whole history takes to read.

/** Minutes of raw events one tick hands to a backfilling view: a day, a few seconds of work over a busy city. */
export const BACKFILL_MINUTES_PER_TICK = 1440;

interface Queue {
  /** Minutes with events, newest first, not yet handed out. */
  minutes: number[];
  total: number;
  /** Minutes whose windows were refreshed. */
  done: number;
  /** Handed out this tick, counted done once the tick refreshed them. */
  inFlight: number;
  startedAt: number;
}

export class Backfills {
  private readonly queues = new Map<string, Queue>();

  start(view: string, minutes: Iterable<number>): void {
    const list = [...minutes].sort((a, b) => b - a);
    this.queues.set(view, { minutes: list, total: list.length, done: 0, inFlight: 0, startedAt: Date.now() });
  }

  has(view: string): boolean {
    return this.queues.has(view);
  }

  get size(): number {
    return this.queues.size;
  }

  views(): string[] {
    return [...this.queues.keys()];
  }

  /** This tick's share of a view's history. */
  take(view: string): number[] {
    const q = this.queues.get(view);
    if (!q) return [];
    const chunk = q.minutes.splice(0, BACKFILL_MINUTES_PER_TICK);
    q.inFlight = chunk.length;
    return chunk;
  }

  /** The tick is over: what it handed out is done; answers whether the whole history now is. */
  settle(view: string): boolean {
    const q = this.queues.get(view);
    if (!q) return false;
    q.done += q.inFlight;
    q.inFlight = 0;
    return q.minutes.length === 0;
  }

  /** Share of the history refreshed, 0 to 1. */
  progress(view: string): number {
    const q = this.queues.get(view);
    if (!q) return 1;
    return q.total === 0 ? 1 : q.done / q.total;
  }

  drop(view: string): void {
    this.queues.delete(view);
  }
}
