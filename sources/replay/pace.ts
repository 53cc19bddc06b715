// Replay timing: events keep their event-time spacing divided by the speed factor, and never exceed a rate cap.

export interface PaceOptions {
  /** 1 = real time, 60 = an hour a minute; 0 or absent: no event-time pacing. */
  speed?: number;
  /** At most this many events per second; 0 or absent: no cap. */
  rate?: number;
}

export class Pacer {
  private firstTs: number | null = null;
  private startedAt = 0;
  private sent = 0;

  constructor(
    private readonly opts: PaceOptions,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** How long to wait before sending an event stamped `ts` (epoch ms, or NaN when it has none). */
  delayFor(ts: number): number {
    const now = this.now();
    if (this.sent === 0) this.startedAt = now;
    this.sent++;
    let due = now;
    const speed = this.opts.speed ?? 0;
    if (speed > 0 && Number.isFinite(ts)) {
      this.firstTs ??= ts;
      // Events earlier than the first (files are not always sorted) go at once.
      due = Math.max(due, this.startedAt + Math.max(0, ts - this.firstTs) / speed);
    }
    const rate = this.opts.rate ?? 0;
    if (rate > 0) due = Math.max(due, this.startedAt + ((this.sent - 1) * 1000) / rate);
    return due - now;
  }
}

/** Epoch ms of a wire `ts` (RFC 3339 text or epoch ms), NaN when it has none. */
export function eventTime(ts: unknown): number {
  if (typeof ts === 'number') return ts;
  if (typeof ts === 'string') return Date.parse(ts);
  return Number.NaN;
}
