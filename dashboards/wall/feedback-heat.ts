// Citizens' reports of the last 24 hours for the wall's heat layer: fetched while shown, binned into H3 cells by zoom.
import { latLngToCell } from 'h3-js';
import { getJson } from '../shared/api.ts';
import { feedbackLayerSchema, type FeedbackLayer } from '../shared/wire/index.ts';

export type FeedbackShow = 'all' | 'open';
export const FEEDBACK_SHOWS: readonly FeedbackShow[] = ['all', 'open'];

/** New reports come in minutes apart across the city: a minute's refresh keeps the heat current at little cost. */
const REFRESH_MS = 60_000;
const SPAN_MS = 24 * 3_600_000;

export interface FeedbackBin {
  hex: string;
  reports: number;
  open: number;
}

function fetchFeedbackLayer(show: FeedbackShow, now: number, signal?: AbortSignal): Promise<FeedbackLayer> {
  const params = new URLSearchParams({
    from: new Date(now - SPAN_MS).toISOString(),
    to: new Date(now).toISOString(),
    status: show,
  });
  return getJson(`/api/layers/feedback?${params}`, feedbackLayerSchema, signal);
}

/** The reports' cells as the engine sent them, kept fresh while the layer is on, and their H3 bins per resolution. */
export class FeedbackHeat {
  private layer: FeedbackLayer | null = null;
  private loaded: FeedbackShow | null = null;
  private timer: ReturnType<typeof setInterval> | undefined;
  private bins: FeedbackBin[] = [];
  private binsKey = '';
  private version = 0;

  constructor(
    private readonly onChange: () => void,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Starts, switches or stops the fetching to follow what the operator shows. */
  show(what: FeedbackShow | null): void {
    if (what === this.loaded) return;
    clearInterval(this.timer);
    this.loaded = what;
    this.layer = null;
    this.version++;
    if (what === null) return;
    const load = (): void => {
      fetchFeedbackLayer(what, Date.now()).then(
        (layer) => {
          if (this.loaded !== what) return;
          this.layer = layer;
          this.version++;
          this.onChange();
        },
        (error: unknown) => this.onError(error),
      );
    };
    load();
    this.timer = setInterval(load, REFRESH_MS);
  }

  /** Reports in the range shown; null until the first answer. */
  get total(): number | null {
    return this.layer?.reports ?? null;
  }

  /** The engine's cells summed into H3 cells of the map's resolution. */
  bin(res: number): FeedbackBin[] {
    const key = `${res}|${this.version}`;
    if (key === this.binsKey) return this.bins;
    const byHex = new Map<string, FeedbackBin>();
    for (const c of this.layer?.cells ?? []) {
      const hex = latLngToCell(c.lat, c.lon, res);
      const b = byHex.get(hex);
      if (b) {
        b.reports += c.reports;
        b.open += c.open;
      } else byHex.set(hex, { hex, reports: c.reports, open: c.open });
    }
    this.bins = [...byHex.values()];
    this.binsKey = key;
    return this.bins;
  }
}
