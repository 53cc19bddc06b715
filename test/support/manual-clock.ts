// A clock for schedulers whose timers fire when the test says: each `set` is kept; `fire()` moves time to the earliest
// timer's instant and runs it.
import type { ScheduleClock } from '../../engine/briefing/index.ts';

export class ManualClock implements ScheduleClock {
  private timers: { at: number; fn: () => void }[] = [];
  /** Every delay asked for, in order. */
  readonly delays: number[] = [];

  constructor(private t: number) {}

  now(): number {
    return this.t;
  }

  set(fn: () => void, ms: number): () => void {
    const timer = { at: this.t + ms, fn };
    this.delays.push(ms);
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((x) => x !== timer);
    };
  }

  get pending(): number {
    return this.timers.length;
  }

  /** Runs the earliest timer at its instant. */
  fire(): void {
    const first = this.timers.sort((a, b) => a.at - b.at).shift();
    if (!first) throw new Error('no timer is set');
    this.t = Math.max(this.t, first.at);
    first.fn();
  }
}
