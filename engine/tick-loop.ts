// When the indicators are recomputed: right after a commit (so an event reaches the wall within a batch and a tick),
// never two ticks at once nor closer than a minimum gap, and at least once a period for what depends on the clock alone
// (snapshot views, alerts on missing data). Capping the share of time spent ticking (starts twice a tick's duration
// apart) was measured: it doubled publish-to-wall latency under load and did not raise the ingest rate.

export interface TickLoopOptions {
  /** Longest time between two ticks. */
  periodMs: number;
  /** Shortest time between the starts of two ticks. */
  minGapMs: number;
}

export class TickLoop {
  private running: Promise<void> | null = null;
  private wanted = false;
  private lastStart = 0;
  private soon: NodeJS.Timeout | null = null;
  private readonly period: NodeJS.Timeout;
  private stopped = false;

  constructor(
    private readonly run: () => Promise<void>,
    private readonly opts: TickLoopOptions,
    private readonly onError: (err: unknown) => void,
  ) {
    this.period = setInterval(() => this.request(), opts.periodMs);
  }

  /** Asks for a tick: at once if allowed, otherwise as soon as the one under way ends or the gap has passed. */
  request(): void {
    if (this.stopped) return;
    if (this.running) {
      this.wanted = true;
      return;
    }
    const wait = this.lastStart + this.opts.minGapMs - Date.now();
    if (wait > 0) {
      this.soon ??= setTimeout(() => {
        this.soon = null;
        this.request();
      }, wait);
      return;
    }
    this.start();
  }

  /** Runs a tick now (after the one under way), whatever the gap: for callers that must see its result. */
  async now(): Promise<void> {
    while (this.running) await this.running;
    this.start();
    await this.running;
  }

  /**
   * Stops asking for ticks and waits for the one under way; with `final`, runs one more over whatever was committed
   * since, so a stopped engine's rollups hold everything it stored.
   */
  async stop(options: { final?: boolean } = {}): Promise<void> {
    this.stopped = true;
    clearInterval(this.period);
    if (this.soon) clearTimeout(this.soon);
    while (this.running) await this.running;
    if (options.final) await this.run().catch(this.onError);
  }

  private start(): void {
    this.wanted = false;
    this.lastStart = Date.now();
    this.running = this.run()
      .catch(this.onError)
      .finally(() => {
        this.running = null;
        if (this.wanted) this.request();
      });
  }
}
