// The wall's client state: REST snapshots merged with live updates by (indicator, window, area) and by device id.
import { CITY_AREA, type AreaFeature, type Device, type Indicator, type IndicatorRow } from '../shared/wire/index.ts';
import type { Table } from 'apache-arrow';
import { EntityBuffer } from './entities.ts';

/** One indicator window in one area, with its start as epoch ms so differently written ISO strings agree. */
export interface Point {
  t: number;
  value: number | null;
  n: number | null;
  /** Trust line: past the watermark, and the share of expected sources that reported (null when unknown). */
  final?: boolean;
  completeness?: number | null;
  sources?: number | null;
  expected?: number;
}

/** A point as held: with the store's revision when it was merged, so a resynchronisation does not overwrite a newer one. */
type HeldPoint = Point & { rev: number };

interface IndicatorSeries {
  /** area → window start → point */
  byArea: Map<string, Map<number, HeldPoint>>;
  /** area → newest point; kept even when pruning so a quiet area still shows its last value. */
  latest: Map<string, Point>;
  version: number;
  /** Event time (ms) up to which this indicator's windows are final, from the last snapshot. */
  watermark: number | null;
  /** City-wide windows of about a day ago, by window start: "change against the same hour yesterday". */
  yesterday: Map<number, number | null>;
}

export class WallStore {
  /** The units events land in (wards and communes): the map's shapes. */
  areas: AreaFeature[] = [];
  /** The former districts, drawn as outlines when asked. */
  districts: AreaFeature[] = [];
  /** The codes of `areas`: the map shades these and only these (not the districts' or the city's rows). */
  areaCodes: ReadonlySet<string> = new Set();
  /** Where the boundaries come from, as the areas file says: shown on the map. */
  attribution = '';
  areasVersion = 0;
  catalogue: Indicator[] = [];
  /** Days of rollups the engine keeps: how far back a day can be replayed (null until the catalogue answered). */
  rollupRetentionDays: number | null = null;
  /** Cameras and sensors as typed columns; large layers arrive as Arrow and go straight in. */
  readonly entities = new EntityBuffer();
  private readonly series = new Map<string, IndicatorSeries>();
  private readonly listeners = new Set<() => void>();
  /** Counts merges of indicator rows. */
  revision = 0;
  /** The newest `updatedAt` (the engine's clock) among the rows held, and when rows without one last arrived. */
  private newestUpdatedAt: number | null = null;
  private newestArrival: number | null = null;
  private devicesPast = false;

  private resolveAreas: (features: readonly AreaFeature[]) => void = () => undefined;
  /** The wards and districts, once they first arrive. */
  readonly areasLoaded: Promise<readonly AreaFeature[]> = new Promise((resolve) => {
    this.resolveAreas = resolve;
  });

  onChange(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private changed(): void {
    for (const listener of this.listeners) listener();
  }

  setAreas(features: AreaFeature[], districts: AreaFeature[] = [], attribution = ''): void {
    this.areas = features;
    this.attribution = attribution;
    this.districts = districts;
    this.areaCodes = new Set(features.map((f) => f.properties.code));
    this.areasVersion++;
    this.resolveAreas([...features, ...districts]);
    this.changed();
  }

  setCatalogue(indicators: Indicator[]): void {
    this.catalogue = indicators;
    this.changed();
  }

  indicator(name: string): Indicator | undefined {
    return this.catalogue.find((i) => i.name === name);
  }

  /**
   * Snapshot and live rows merge the same way: a window seen again replaces its older value. `unlessAfter`: a window
   * merged after that revision is kept (a resynchronisation's answer may be older than a live update that overtook it).
   */
  mergeRows(name: string, rows: readonly (IndicatorRow & { updatedAt?: string })[], unlessAfter?: number): void {
    if (rows.length === 0) return;
    const arrived = Date.now();
    const rev = ++this.revision;
    const series = this.seriesOf(name);
    for (const row of rows) {
      if (row.updatedAt !== undefined) {
        this.newestUpdatedAt = Math.max(this.newestUpdatedAt ?? 0, Date.parse(row.updatedAt));
      } else {
        this.newestArrival = arrived;
      }
      const t = Date.parse(row.t);
      if (unlessAfter !== undefined && (series.byArea.get(row.area)?.get(t)?.rev ?? 0) > unlessAfter) continue;
      if (row.removed) {
        dropWindow(series, row.area, t);
        continue;
      }
      const point: HeldPoint = { t, value: row.value, n: row.n ?? null, rev };
      if (row.final !== undefined) point.final = row.final;
      if (row.completeness !== undefined) point.completeness = row.completeness;
      if (row.sources !== undefined) point.sources = row.sources;
      if (row.expected !== undefined) point.expected = row.expected;
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

  /**
   * The newest change the wall holds, to ask the next engine for what came after: the rows' `updatedAt` when the
   * engine sends it, else when rows last arrived (the browser's clock); null before any row.
   */
  newestChange(): number | null {
    return this.newestUpdatedAt ?? this.newestArrival;
  }

  private seriesOf(name: string): IndicatorSeries {
    let series = this.series.get(name);
    if (!series) {
      series = { byArea: new Map(), latest: new Map(), version: 0, watermark: null, yesterday: new Map() };
      this.series.set(name, series);
    }
    return series;
  }

  setWatermark(name: string, watermark: string | null | undefined): void {
    if (!watermark) return;
    const series = this.seriesOf(name);
    series.watermark = Math.max(series.watermark ?? 0, Date.parse(watermark));
  }

  watermark(name: string): number | null {
    return this.series.get(name)?.watermark ?? null;
  }

  setYesterday(name: string, rows: readonly IndicatorRow[]): void {
    const series = this.seriesOf(name);
    series.yesterday = new Map(rows.filter((r) => r.area === CITY_AREA).map((r) => [Date.parse(r.t), r.value]));
    this.changed();
  }

  /** The city's value in the window one day before `t`, or undefined when that window is unknown. */
  dayBefore(name: string, t: number): number | null | undefined {
    return this.series.get(name)?.yesterday.get(t - 86_400_000);
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

  get devicesVersion(): number {
    return this.entities.version;
  }

  /** A REST snapshot (Arrow) is the whole truth about devices: ones no longer listed disappear. */
  setDevices(table: Table): void {
    if (this.devicesPast) return;
    this.entities.replace(table);
    this.changed();
  }

  /**
   * The devices as they stood at a replayed time. Until `liveDevices`, live snapshots and changes are dropped: the
   * return to live loads them afresh.
   */
  setPastDevices(table: Table): void {
    this.devicesPast = true;
    this.entities.replace(table);
    this.changed();
  }

  liveDevices(): void {
    this.devicesPast = false;
  }

  get showsPastDevices(): boolean {
    return this.devicesPast;
  }

  /** Live changes: JSON devices or an Arrow batch of only the devices that changed. */
  mergeDevices(devices: readonly Device[] | Table): void {
    if (this.devicesPast) return;
    if (Array.isArray(devices)) {
      if (devices.length === 0) return;
      this.entities.upsertMany(devices);
    } else {
      this.entities.applyArrow(devices as Table);
    }
    this.changed();
  }
}

/** A window the engine no longer has: gone from the area's series, and its latest is the newest window left. */
function dropWindow(series: IndicatorSeries, area: string, t: number): void {
  const windows = series.byArea.get(area);
  if (!windows?.delete(t)) return;
  let newest: Point | undefined;
  for (const p of windows.values()) if (!newest || p.t > newest.t) newest = p;
  if (newest) series.latest.set(area, newest);
  else series.latest.delete(area);
}
