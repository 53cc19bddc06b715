// Loads the REST snapshots (areas once, catalogue with each indicator's recent series, devices) into the store, and
// after the live feed moved to another engine, only what changed since the newest change the wall holds.
import { fetchAreas, fetchCatalogue, fetchSeries } from '../shared/api.ts';
import { fetchChangedRows } from '../shared/changes.ts';
import { fetchDeviceLayer } from './device-layer-api.ts';
import { CITY_AREA } from '../shared/wire/index.ts';
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
   * After a reconnect: the devices again, and of each indicator the windows changed since `sinceMs`; a full load
   * instead when the wall has nothing to resume from.
   */
  resync(sinceMs: number): void;
}

export function snapshotLoader(store: WallStore, report: SnapshotReport): SnapshotLoader {
  // Each source fails on its own: a broken devices endpoint must not blank the indicators.
  async function attempt(source: string, task: () => Promise<void>): Promise<void> {
    try {
      await task();
      report.ok(source);
    } catch (error) {
      report.fail(source, error);
    }
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
      const { indicators } = await fetchCatalogue();
      store.setCatalogue(indicators);
      // All districts at once: the map needs each one's latest value, the tiles the city's recent history.
      await Promise.all(
        indicators.map((indicator) =>
          attempt(`series:${indicator.name}`, async () => {
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
          }),
        ),
      );
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

  /** One load at a time; what is asked meanwhile runs once after it: a full load, or the changes since the oldest asked. */
  let loading: Promise<void> | null = null;
  let next: { full: true } | { full: false; sinceMs: number } | null = null;

  function run(job: { full: true } | { full: false; sinceMs: number }): void {
    if (loading) {
      next =
        job.full || next?.full
          ? { full: true }
          : { full: false, sinceMs: Math.min(job.sinceMs, next?.sinceMs ?? Infinity) };
      return;
    }
    // Nothing to resume from (the first load failed): everything.
    const task =
      job.full || store.catalogue.length === 0 || store.areas.length === 0 ? load() : loadChanges(job.sinceMs);
    loading = task.finally(() => {
      loading = null;
      const queued = next;
      next = null;
      if (queued) run(queued);
    });
  }

  return {
    refresh: () => run({ full: true }),
    resync: (sinceMs) => run({ full: false, sinceMs }),
  };
}
