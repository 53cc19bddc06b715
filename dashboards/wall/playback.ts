// Time playback: the last 24 hours of one indicator from the rollups, scrubbed or played, then back to live.
import { fetchSeries } from '../shared/api.ts';
import type { Indicator } from '../shared/wire/index.ts';
import { windowMs } from './format.ts';

const DAY_MS = 86_400_000;
/** Playback steps of at least five minutes: 288 frames for a day, smooth enough and one request. */
const MIN_STEP_MS = 5 * 60_000;

export class Playback {
  active = false;
  playing = false;
  indicator: string | null = null;
  from = 0;
  to = 0;
  stepMs = MIN_STEP_MS;
  t = 0;
  private byArea = new Map<string, { t: number; value: number | null }[]>();

  /** Loads the day of `indicator` for every area, re-bucketed by the engine with the view's merge rule. */
  async start(indicator: Indicator, now = Date.now()): Promise<void> {
    const w = windowMs(indicator.window) ?? 60_000;
    const step = Math.max(MIN_STEP_MS, w);
    this.stepMs = step % w === 0 ? step : w;
    this.to = Math.floor(now / this.stepMs) * this.stepMs;
    this.from = this.to - DAY_MS;
    const bucket = this.stepMs % 3_600_000 === 0 ? `${this.stepMs / 3_600_000}h` : `${this.stepMs / 60_000}m`;
    const series = await fetchSeries(indicator.name, {
      from: new Date(this.from),
      to: new Date(this.to + this.stepMs),
      bucket,
    });
    this.byArea = new Map();
    for (const r of series.rows) {
      let list = this.byArea.get(r.area);
      if (!list) this.byArea.set(r.area, (list = []));
      list.push({ t: Date.parse(r.t), value: r.value });
    }
    for (const list of this.byArea.values()) list.sort((a, b) => a.t - b.t);
    this.indicator = indicator.name;
    this.active = true;
    this.t = this.from;
  }

  stop(): void {
    this.active = false;
    this.playing = false;
    this.byArea = new Map();
  }

  get steps(): number {
    return Math.round((this.to - this.from) / this.stepMs);
  }

  seek(step: number): void {
    this.t = this.from + Math.max(0, Math.min(this.steps, step)) * this.stepMs;
  }

  /** One step forward; false at the end (playing stops there). */
  advance(): boolean {
    if (this.t + this.stepMs > this.to) {
      this.playing = false;
      return false;
    }
    this.t += this.stepMs;
    return true;
  }

  /** Each area's value in the bucket holding `t` (an area with no bucket there has none). */
  valuesAt(t = this.t): Map<string, number | null> {
    const out = new Map<string, number | null>();
    for (const [area, list] of this.byArea) {
      const hit = list.find((p) => p.t <= t && t < p.t + this.stepMs);
      if (hit) out.set(area, hit.value);
    }
    return out;
  }
}
