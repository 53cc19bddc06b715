// The incident room during playback: the incidents of the replayed span, loaded once per span, shown as each stood at
// the replayed time; back to live, the live list again.
import { fetchIncidentsDuring, incidentsAt, type IncidentRoomView } from '../incidents/index.ts';
import type { Incident } from '../shared/wire/index.ts';
import type { Playback } from './playback.ts';

export class IncidentReplay {
  private span = '';
  private list: Incident[] = [];
  private shown = '';

  constructor(
    private readonly room: IncidentRoomView,
    private readonly playback: Playback,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Called whenever the replayed time may have moved. */
  follow(): void {
    const { playback } = this;
    if (!playback.active) return;
    const span = `${playback.from}|${playback.to}`;
    if (span !== this.span) {
      this.span = span;
      this.list = [];
      fetchIncidentsDuring(playback.from, playback.to + 60_000).then(
        (list) => {
          if (this.span !== span) return;
          this.list = list;
          this.shown = '';
          this.follow();
        },
        (error: unknown) => {
          this.span = '';
          this.onError(error);
        },
      );
    }
    const at = incidentsAt(this.list, playback.t);
    // The room is redrawn only when what it holds changed, or its clocks moved by a minute.
    const key = `${Math.floor(playback.t / 60_000)}|${at.map((i) => `${i.id}:${i.status}`).join(',')}`;
    if (key === this.shown) return;
    this.shown = key;
    this.room.showPast(at, playback.t);
  }

  stop(): void {
    this.span = '';
    this.list = [];
    this.shown = '';
    this.room.showPast(null, null);
  }
}
