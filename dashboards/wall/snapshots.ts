// Loads the REST snapshots (areas once, catalogue with each indicator's recent series, devices) into the store, and
// after the live feed moved to another engine, only what changed since the newest change the wall holds.
import { ApiError, fetchAreas, fetchCatalogue, fetchSeries } from '../shared/api.ts';
import { fetchChangedRows } from '../shared/changes.ts';
import { fetchDeviceLayer } from './device-layer-api.ts';
import { CITY_AREA, type Indicator } from '../shared/wire/index.ts';
import { windowMs } from './format.ts';
import type { WallStore } from './store.ts';
import { historySpanMs } from './span.ts';

export interface SnapshotReport {
  ok(source: string): void;
  fail(source: string, error: unknown): void;
}

export interface SnapshotLoader {
  /** Starts a load; asked during one, it runs once more afterwards so nothing that changed meanwhile is missed. */
  refresh(): void;
  /**
   * After a (re)connect: the devices again, and of each indicator the windows changed since the newest change the wall
   * holds, less `marginMs` (the engine's clock, never the wall's). Asked while the wall holds no rows but a load is
   * under way (the boot load, begun before the feed came), it runs when that load is over, from the newest change the
   * load brought: the rows that changed between its answers and the live feed, not everything again. A full load
   * instead when no load has brought the catalogue and the areas yet.
   */
  resync(marginMs: number): void;
  /** A view made or changed at run time: the catalogue again, and that indicator's series. */
  indicator(name: string): Promise<void>;
  /** A view deleted at run time: out of the catalogue, with nothing to ask the engine. */
  drop(name: string): void;
}

export function snapshotLoader(store: WallStore, report: SnapshotReport): SnapshotLoader {
  // Each source fails on its own: a broken devices endpoint must not blank the indicators.
  async function attempt(source: string, task: () => Promise<void>): Promise<void> {
    try {
      await task();
      report.ok(source);
    } catch (error) {
      // An indicator deleted while its series was on the way: the next catalogue leaves it out, nothing failed.
      if (source.startsWith('series:') && error instanceof ApiError && error.status === 404) return;
      report.fail(source, error);
    }
  }

  /** An indicator's recent series, and the same hours yesterday for the tiles' change. */
  function loadIndicator(indicator: Indicator, now: number): Promise<void> {
    return attempt(`series:${indicator.name}`, async () => {
      const { rows, watermark } = await fetchSeries(indicator.name, {
        from: new Date(now - historySpanMs(indicator)),
      });
      store.setWatermark(indicator.name, watermark);
      store.mergeRows(indicator.name, rows);
      // The same hour yesterday, for the tiles' change: the city's windows around now − 24 h.
      const span = Math.max(windowMs(indicator.window) ?? 60_000, 3_600_000);
      const dayAgo = now - 86_400_000;
      const past = await fetchSeries(indicator.name, {
        area: CITY_AREA,
        from: new Date(dayAgo - span),
        to: new Date(dayAgo + span),
      });
      store.setYesterday(indicator.name, past.rows);
    });
  }

  async function load(): Promise<void> {
    const now = Date.now();
    // Boundaries do not change while the engine runs; fetched until they arrive once.
    const areas =
      store.areas.length > 0
        ? Promise.resolve()
        : attempt('areas', async () => {
            const [wards, districts] = await Promise.all([fetchAreas('ward'), fetchAreas('district')]);
            const { attribution } = wards as { attribution?: unknown };
            store.setAreas(wards.features, districts.features, typeof attribution === 'string' ? attribution : '');
          });
    const devices = attempt('devices', async () => store.setDevices(await fetchDeviceLayer()));
    const series = attempt('indicators', async () => {
      const { indicators, rollupRetentionDays } = await fetchCatalogue();
      store.rollupRetentionDays = rollupRetentionDays ?? null;
      store.setCatalogue(indicators);
      // All districts at once: the map needs each one's latest value, the tiles the city's recent history.
      await Promise.all(indicators.map((indicator) => loadIndicator(indicator, now)));
    });
    await Promise.all([areas, devices, series]);
  }

  async function loadChanges(sinceMs: number): Promise<void> {
    const now = Date.now();
    // Rows merged from here on are newer than the answers: a live update that overtakes its request wins.
    const rev = store.revision;
    const devices = attempt('devices', async () => store.setDevices(await fetchDeviceLayer()));
    const series = store.catalogue.map((indicator) =>
      attempt(`series:${indicator.name}`, async () => {
        const changed = await fetchChangedRows(indicator.name, {
          since: new Date(sinceMs),
          from: new Date(now - historySpanMs(indicator)),
        });
        store.setWatermark(indicator.name, changed.watermark);
        store.mergeRows(indicator.name, changed.rows, rev);
      }),
    );
    await Promise.all([devices, ...series]);
  }

  /**
   * One load at a time; what is asked meanwhile runs once after it: a full load, or the changes since the earliest
   * moment asked. `sinceMs` null: since the newest change the wall holds when the job runs, less `marginMs`.
   */
  let loading: Promise<void> | null = null;
  let next: Job | null = null;
  type Job = { full: true } | { full: false; sinceMs: number | null; marginMs: number };

  /** A fixed moment is never later than "the newest when it runs" (null): the earliest fixed one wins. */
  const earliest = (a: number | null, b: number | null): number | null =>
    a === null ? b : b === null ? a : Math.min(a, b);

  function run(job: Job): void {
    if (loading) {
      next =
        job.full || next?.full ? { full: true } : { ...job, sinceMs: earliest(job.sinceMs, next?.sinceMs ?? null) };
      return;
    }
    // Nothing to resume from (no load ran yet, or the first failed): everything. A load that found no rows at all
    // resumes from the beginning, one request an indicator rather than a full load's two.
    const newest = store.newestChange();
    const task =
      job.full || store.catalogue.length === 0 || store.areas.length === 0
        ? load()
        : loadChanges(job.sinceMs ?? (newest === null ? 0 : newest - job.marginMs));
    loading = task.finally(() => {
      loading = null;
      const queued = next;
      next = null;
      if (queued) run(queued);
    });
  }

  return {
    refresh: () => run({ full: true }),
    async indicator(name) {
      await attempt('indicators', async () => {
        const { indicators, rollupRetentionDays } = await fetchCatalogue();
        store.rollupRetentionDays = rollupRetentionDays ?? null;
        store.setCatalogue(indicators);
        const made = indicators.find((i) => i.name === name);
        if (made) await loadIndicator(made, Date.now());
      });
    },
    drop(name) {
      store.setCatalogue(store.catalogue.filter((i) => i.name !== name));
    },
    resync: (marginMs) => {
      // Fixed now when the wall holds rows: live rows merged while the job waits must not move it past what it missed.
      const newest = store.newestChange();
      run({ full: false, sinceMs: newest === null ? null : newest - marginMs, marginMs });
    },
  };
}
