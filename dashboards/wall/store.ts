// The wall's client state: REST snapshots merged with live updates by (indicator, window, area) and by device id.
import {
  CITY_AREA,
  type AreaFeature,
  type Device,
  type Indicator,
  type IndicatorRow,
} from '../shared/messages.ts';

/** One indicator window in one area, with its start as epoch ms so differently written ISO strings agree. */
export interface Point {
  t: number;
  value: number | null;
  n: number | null;
}

interface IndicatorSeries {
  /** area → window start → point */
  byArea: Map<string, Map<number, Point>>;
  /** area → newest point; kept even when pruning so a quiet area still shows its last value. */
  latest: Map<string, Point>;
  version: number;
}

export class WallStore {
  areas: AreaFeature[] = [];
  areasVersion = 0;
  catalogue: Indicator[] = [];
  devices = new Map<string, Device>();
  devicesVersion = 0;
  private readonly series = new Map<string, IndicatorSeries>();
  private readonly listeners = new Set<() => void>();

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  setAreas(features: AreaFeature[]): void {
    this.areas = features;
    this.areasVersion++;
    this.changed();
  }

  setCatalogue(indicators: Indicator[]): void {
    this.catalogue = indicators;
    this.changed();
  }

  indicator(name: string): Indicator | undefined {
    return this.catalogue.find((i) => i.name === name);
  }

  /** Snapshot and live rows merge the same way: a window seen again replaces its older value. */
  mergeRows(name: string, rows: readonly IndicatorRow[]): void {
    if (rows.length === 0) return;
    let series = this.series.get(name);
    if (!series) {
      series = { byArea: new Map(), latest: new Map(), version: 0 };
      this.series.set(name, series);
    }
    for (const row of rows) {
      const t = Date.parse(row.t);
      const point: Point = { t, value: row.value, n: row.n ?? null };
      let windows = series.byArea.get(row.area);
      if (!windows) {
        windows = new Map();
        series.byArea.set(row.area, windows);
      }
      windows.set(t, point);
      const latest = series.latest.get(row.area);
      if (!latest || latest.t <= t) series.latest.set(row.area, point);
    }
    series.version++;
    this.changed();
  }

  /** Changes whenever the indicator's rows change; used as a deck.gl update trigger. */
  seriesVersion(name: string): number {
    return this.series.get(name)?.version ?? 0;
  }

  latest(name: string, area: string): Point | undefined {
    return this.series.get(name)?.latest.get(area);
  }

  /** Newest value of every district (the city-wide row excluded). */
  latestByArea(name: string): Map<string, Point> {
    const out = new Map<string, Point>();
    const latest = this.series.get(name)?.latest;
    if (!latest) return out;
    for (const [area, point] of latest) if (area !== CITY_AREA) out.set(area, point);
    return out;
  }

  /** An area's windows from `sinceMs` on, oldest first. */
  history(name: string, area: string, sinceMs: number): Point[] {
    const windows = this.series.get(name)?.byArea.get(area);
    if (!windows) return [];
    const out: Point[] = [];
    for (const point of windows.values()) if (point.t >= sinceMs) out.push(point);
    return out.sort((a, b) => a.t - b.t);
  }

  /** Drops windows older than `beforeMs` so a wall left on for weeks keeps a flat memory. */
  prune(beforeMs: number): void {
    for (const series of this.series.values()) {
      for (const windows of series.byArea.values()) {
        for (const t of windows.keys()) if (t < beforeMs) windows.delete(t);
      }
    }
  }

  /** A REST snapshot is the whole truth about devices: ones no longer listed disappear. */
  setDevices(devices: readonly Device[]): void {
    this.devices = new Map(devices.map((d) => [d.id, d]));
    this.devicesVersion++;
    this.changed();
  }

  mergeDevices(devices: readonly Device[]): void {
    if (devices.length === 0) return;
    for (const device of devices) this.devices.set(device.id, device);
    this.devicesVersion++;
    this.changed();
  }
}
