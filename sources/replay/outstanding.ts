// A bound on the sends a target keeps in flight: send() waits when it is full, and the first failure is kept.
/** Keeps at most `max` promises pending; `add` waits for room. */
export class Outstanding {
  private readonly pending = new Set<Promise<unknown>>();
  private failure: unknown = null;
  constructor(private readonly max: number) {}

  async add(p: Promise<unknown>): Promise<void> {
    const tracked = p
      .catch((err: unknown) => {
        this.failure ??= err;
      })
      .finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
    if (this.failure) throw this.failure;
    while (this.pending.size >= this.max) await Promise.race(this.pending);
  }

  async drain(): Promise<void> {
    await Promise.all(this.pending);
    if (this.failure) throw this.failure;
  }
}
