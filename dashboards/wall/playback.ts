// Time playback: a past day (or the last 24 hours) from the rollups, scrubbed or played, then back to live. The map's
// indicator by area, every tile's city value and the alerts open at the replayed time all come from here meanwhile.
import { fetchSeries } from '../shared/api.ts';
import { CITY_AREA, type Alert, type Indicator } from '../shared/wire/index.ts';
import { DAY_MS, hanoiDate, HANOI_OFFSET_MS } from '../shared/wire/hanoi-time.ts';
import { AlertBoard, alertsAt, fetchAlertsDuring } from './alert-board.ts';
import { windowMs } from './format.ts';
import type { Point } from './store.ts';

/** Playback steps of at least five minutes: 288 frames for a day, smooth enough and one request. */
const MIN_STEP_MS = 5 * 60_000;
/** Replayed time per real second; 60× plays an hour in a minute, 3600× a day in 24 s. */
export const SPEEDS = [1, 60, 600, 3600] as const;

type Series = { stepMs: number; points: Point[] };
/** A day's worth loaded once: each indicator's city series, and the alerts that lived during it. */
type Day = { key: string; city: Map<string, Series>; alerts: Alert[] };

/** The bucket an indicator is replayed in: its own window, or five minutes when that is finer. */
function stepOf(indicator: Indicator): number {
  const w = windowMs(indicator.window) ?? 60_000;
  const step = Math.max(MIN_STEP_MS, w);
  return step % w === 0 ? step : w;
}

function bucketOf(stepMs: number): string {
  return stepMs % 3_600_000 === 0 ? `${stepMs / 3_600_000}h` : `${stepMs / 60_000}m`;
}

/** The Hanoi midnight that starts `day` (YYYY-MM-DD). */
export function hanoiDayStart(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) - HANOI_OFFSET_MS;
}

/** "dd/mm hh:mm" in Hanoi time, the same in both languages. */
export function hanoiStamp(ms: number): string {
  const iso = new Date(ms + HANOI_OFFSET_MS).toISOString();
  return `${iso.slice(8, 10)}/${iso.slice(5, 7)} ${iso.slice(11, 16)}`;
}

function pointAt(series: Series | undefined, t: number): Point | undefined {
  return series?.points.find((p) => p.t <= t && t < p.t + series.stepMs);
}

export class Playback {
  active = false;
  playing = false;
  indicator: string | null = null;
  /** The Hanoi date replayed, or null for the last 24 hours. */
  day: string | null = null;
  speed: number = 60;
  from = 0;
  to = 0;
  stepMs = MIN_STEP_MS;
  t = 0;
  /** The alerts open at `t`, as they stood then (acknowledged or not yet). */
  readonly board = new AlertBoard();
  private byArea = new Map<string, { t: number; value: number | null }[]>();
  private loaded: Day | null = null;
  private boardKey = '';
  /** Moves when a tile's series for the day arrives: they come after the map's, one by one. */
  version = 0;

  /** `onSeries`: a tile's series for the replayed day arrived (or failed: that tile then shows no value). */
  constructor(private readonly onSeries: () => void = () => undefined) {}

  /**
   * Loads `indicator` for every area, re-bucketed by the engine with the view's merge rule, over `day` (undefined: the
   * day already chosen); the tiles' series and the day's alerts too when the day changed.
   */
  async start(
    indicator: Indicator,
    catalogue: readonly Indicator[],
    day: string | null | undefined,
    now = Date.now(),
  ): Promise<void> {
    const chosen = day === undefined ? this.day : day;
    const stepMs = stepOf(indicator);
    const end = Math.floor(now / stepMs) * stepMs;
    const from = chosen === null ? end - DAY_MS : hanoiDayStart(chosen);
    const to = chosen === null ? end : Math.min(from + DAY_MS, end);
    const key = `${chosen ?? 'last'}|${from}|${catalogue.map((i) => i.name).join(',')}`;
    const [series, loaded] = await Promise.all([
      fetchSeries(indicator.name, { from: new Date(from), to: new Date(to + stepMs), bucket: bucketOf(stepMs) }),
      this.loaded?.key === key ? Promise.resolve(this.loaded) : this.loadDay(key, from, to),
    ]);
    this.byArea = new Map();
    for (const r of series.rows) {
      let list = this.byArea.get(r.area);
      if (!list) this.byArea.set(r.area, (list = []));
      list.push({ t: Date.parse(r.t), value: r.value });
    }
    for (const list of this.byArea.values()) list.sort((a, b) => a.t - b.t);
    const sameSpan = this.active && this.day === chosen && this.from === from;
    if (loaded !== this.loaded) {
      this.loaded = loaded;
      this.loadTiles(loaded, catalogue, from, to);
    }
    this.day = chosen;
    this.stepMs = stepMs;
    this.from = from;
    this.to = to;
    this.indicator = indicator.name;
    this.active = true;
    // Another indicator over the same day keeps the replayed moment; another day starts at its beginning.
    this.seekTime(sameSpan ? this.t : from);
  }

  private async loadDay(key: string, from: number, to: number): Promise<Day> {
    return { key, city: new Map(), alerts: await fetchAlertsDuring(from, to + MIN_STEP_MS) };
  }

  /**
   * The tiles' series of the day, one request per indicator, not awaited: the map and the bar are usable at once and
   * each tile fills in as its answer comes. An answer for a day no longer shown is dropped.
   */
  private loadTiles(day: Day, catalogue: readonly Indicator[], from: number, to: number): void {
    for (const indicator of catalogue) {
      const stepMs = stepOf(indicator);
      fetchSeries(indicator.name, {
        area: CITY_AREA,
        from: new Date(Math.floor(from / stepMs) * stepMs),
        to: new Date(to + stepMs),
        bucket: bucketOf(stepMs),
      }).then(
        ({ rows }) => {
          if (this.loaded !== day) return;
          const points = rows.map((r) => ({ t: Date.parse(r.t), value: r.value, n: r.n })).sort((a, b) => a.t - b.t);
          day.city.set(indicator.name, { stepMs, points });
          this.version++;
          this.onSeries();
        },
        () => undefined,
      );
    }
  }

  stop(): void {
    this.active = false;
    this.playing = false;
    this.byArea = new Map();
    this.loaded = null;
    this.boardKey = '';
    this.board.set([]);
  }

  get steps(): number {
    return Math.round((this.to - this.from) / this.stepMs);
  }

  get step(): number {
    return Math.floor((this.t - this.from) / this.stepMs);
  }

  seek(step: number): void {
    this.seekTime(this.from + Math.max(0, Math.min(this.steps, step)) * this.stepMs);
  }

  /** Moves the replayed time on by `ms` (played at `speed`); false at the end, where playing stops. */
  advance(ms: number): boolean {
    if (this.t >= this.to) {
      this.playing = false;
      return false;
    }
    this.seekTime(Math.min(this.to, this.t + ms));
    return true;
  }

  private seekTime(t: number): void {
    this.t = Math.max(this.from, Math.min(this.to, t));
    const shown = alertsAt(this.loaded?.alerts ?? [], this.t);
    // The board's version moves only when what it holds does, so the ticker is not rebuilt on every step.
    const key = shown.map((a) => `${a.id}:${a.status}`).join(',');
    if (key !== this.boardKey) {
      this.boardKey = key;
      this.board.set(shown);
    }
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

  /** An area's windows of the replayed indicator from `fromMs` to `toMs`, oldest first (a pinned card's sparkline). */
  areaHistory(area: string, fromMs: number, toMs: number): Point[] {
    return (this.byArea.get(area) ?? [])
      .filter((p) => p.t >= fromMs && p.t <= toMs)
      .map((p) => ({ t: p.t, value: p.value, n: null }));
  }

  /** An indicator's city-wide window holding the replayed time. */
  cityAt(name: string, t = this.t): Point | undefined {
    return pointAt(this.loaded?.city.get(name), t);
  }

  /** An indicator's city-wide series over the replayed day. */
  citySeries(name: string): readonly Point[] {
    return this.loaded?.city.get(name)?.points ?? [];
  }

  /** The days that can be replayed: from the oldest the rollups keep to today. */
  static dayRange(retentionDays: number | null, now = Date.now()): { min: string | null; max: string } {
    return { min: retentionDays === null ? null : hanoiDate(now - retentionDays * DAY_MS), max: hanoiDate(now) };
  }
}
