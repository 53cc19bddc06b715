// The device layer during playback: the devices as they stood at the replayed time, asked again only when that time
// moved by a minute or more, one request at a time, so a fast replay does not flood the engine.
import { fetchDevicesAt } from './device-layer-api.ts';
import type { Playback } from './playback.ts';
import type { WallStore } from './store.ts';

const MOVE_MS = 60_000;

export interface DeviceReplayReport {
  ok(): void;
  /** `unknown`: why no device is shown (the raw events of then are no longer kept); else the request failed. */
  fail(error: unknown, unknown?: string): void;
}

export class DeviceReplay {
  /** The replayed time of the devices shown or on the way. */
  private asked: number | null = null;
  private inFlight = false;

  constructor(
    private readonly store: WallStore,
    private readonly playback: Playback,
    private readonly report: DeviceReplayReport,
  ) {}

  /** Called whenever the replayed time may have moved. */
  follow(): void {
    const { playback } = this;
    if (!playback.active || this.inFlight) return;
    if (this.asked !== null && Math.abs(playback.t - this.asked) < MOVE_MS) return;
    const at = playback.t;
    this.asked = at;
    this.inFlight = true;
    fetchDevicesAt(undefined, at).then(
      ({ table, unknown }) => {
        this.inFlight = false;
        // Back to live meanwhile: the live devices are being loaded, these would cover them.
        if (!this.playback.active) return;
        this.store.setPastDevices(table);
        if (unknown === null) this.report.ok();
        else this.report.fail(null, unknown);
        // The time moved on while this one was asked: catch up with where it stands now.
        this.follow();
      },
      (error: unknown) => {
        this.inFlight = false;
        // Asked again on the next move, not at once: a failing engine is not asked in a loop.
        this.asked = null;
        this.report.fail(error);
      },
    );
  }

  /** Back to live: the next replay asks afresh, and live devices are merged again; a replay's notice goes. */
  stop(): void {
    this.asked = null;
    this.store.liveDevices();
    this.report.ok();
  }
}
