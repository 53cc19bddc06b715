// The playback bar under the map: choose a day (or the last 24 hours), play it at a speed, scrub or step it, go back
// to live; and the banner over the map saying which moment is shown.
import { formatHanoiTime } from './format.ts';
import { strings } from './i18n.ts';
import type { Notices } from './notice.ts';
import { hanoiStamp, Playback, SPEEDS } from './playback.ts';
import { currentIndicator, type WallState } from './state.ts';
import type { WallStore } from './store.ts';

/** How often a playing replay moves on; the replayed time moves by the real time elapsed times the speed. */
const TICK_MS = 250;

export interface PlaybackControlsParts {
  el: HTMLElement;
  banner: HTMLElement;
  state: WallState;
  store: WallStore;
  playback: Playback;
  notices: Notices;
  scheduleRender(): void;
  /** Back to live: the live view is fetched again, as after a reconnect. */
  onLive(): void;
  /** The replay started, moved or stopped. */
  onMoved(): void;
}

export class PlaybackControls {
  private timer: ReturnType<typeof setInterval> | undefined;
  private shape = '';

  constructor(private readonly parts: PlaybackControlsParts) {
    const { el, playback } = parts;
    el.addEventListener('click', (event) => {
      const action = (event.target as HTMLElement).closest<HTMLElement>('[data-play]')?.dataset['play'];
      if (action === 'enter') void this.start(null);
      else if (action === 'toggle') this.toggle();
      else if (action === 'live') this.stop();
      else if (action === 'back' || action === 'forward') this.step(action === 'back' ? -1 : 1);
    });
    el.addEventListener('input', (event) => {
      const input = event.target as HTMLInputElement;
      if (input.type !== 'range') return;
      playback.seek(Number(input.value));
      this.changed();
    });
    el.addEventListener('change', (event) => {
      const input = event.target as HTMLInputElement | HTMLSelectElement;
      if (input.name === 'pb-day') void this.start(input.value === '' ? null : input.value);
      else if (input.name === 'pb-speed') playback.speed = Number(input.value);
    });
  }

  /** Replays the indicator now shown over `day` (null: the last 24 hours; undefined: the day already chosen). */
  async start(day?: string | null): Promise<void> {
    const { state, store, playback, notices } = this.parts;
    const indicator = currentIndicator(state, store);
    if (!indicator) return;
    try {
      await playback.start(indicator, store.catalogue, day);
      notices.ok('playback');
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      notices.fail('playback', `${strings(state.lang).loadFailed} ${why}`);
      return;
    }
    document.body.classList.add('replaying');
    this.changed();
  }

  render(): void {
    const { el, banner, state, store, playback } = this.parts;
    const s = strings(state.lang);
    const range = Playback.dayRange(store.rollupRetentionDays);
    const dayInput = (value: string): string =>
      `<input type="date" name="pb-day" value="${value}" max="${range.max}"${range.min ? ` min="${range.min}"` : ''} aria-label="${s.replayDay}" title="${s.replayDay}">`;
    banner.hidden = !playback.active;
    if (!playback.active) {
      const shape = `live|${state.lang}|${range.min}|${range.max}`;
      if (shape === this.shape) return;
      this.shape = shape;
      el.dataset['mode'] = 'live';
      el.innerHTML = `<button type="button" data-play="enter">↺ ${s.replay}</button>${dayInput('')}`;
      return;
    }
    banner.textContent = `${s.playbackBanner} ${hanoiStamp(playback.t)}`;
    const day = new Intl.DateTimeFormat(s.locale, { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit' });
    const time = `${formatHanoiTime(playback.t, s.locale)} ${day.format(playback.t)}`;
    // The bar is rebuilt only when its make-up changes: a select or date picker open under the operator's hand, or the
    // slider being dragged, would otherwise be replaced on every tick.
    const shape = `replay|${state.lang}|${playback.day}|${playback.steps}|${playback.playing}|${range.min}|${range.max}`;
    if (shape !== this.shape) {
      this.shape = shape;
      el.dataset['mode'] = 'replay';
      const speeds = SPEEDS.map(
        (x) => `<option value="${x}"${x === playback.speed ? ' selected' : ''}>${x}×</option>`,
      ).join('');
      el.innerHTML =
        dayInput(playback.day ?? '') +
        `<button type="button" data-play="back" title="${s.stepBack}" aria-label="${s.stepBack}">«</button>` +
        `<button type="button" data-play="toggle">${playback.playing ? `■ ${s.pause}` : `▶ ${s.play}`}</button>` +
        `<button type="button" data-play="forward" title="${s.stepForward}" aria-label="${s.stepForward}">»</button>` +
        `<select name="pb-speed" aria-label="${s.speed}" title="${s.speed}">${speeds}</select>` +
        `<input type="range" min="0" max="${playback.steps}" step="1" value="${playback.step}" aria-label="${s.replay}">` +
        `<span class="pb-time"></span>` +
        `<button type="button" data-play="live" class="pb-live">● ${s.backToLive}</button>`;
    }
    const slider = el.querySelector<HTMLInputElement>('input[type=range]');
    if (slider && document.activeElement !== slider) slider.value = String(playback.step);
    const label = el.querySelector('.pb-time');
    if (label) label.textContent = s.replaying(time);
  }

  private changed(): void {
    this.render();
    this.parts.onMoved();
    this.parts.scheduleRender();
  }

  private stop(): void {
    clearInterval(this.timer);
    this.parts.playback.stop();
    document.body.classList.remove('replaying');
    this.changed();
    this.parts.onLive();
  }

  private step(by: -1 | 1): void {
    const { playback } = this.parts;
    this.pause();
    playback.seek(playback.step + by);
    this.changed();
  }

  private pause(): void {
    clearInterval(this.timer);
    this.parts.playback.playing = false;
  }

  private toggle(): void {
    const { playback } = this.parts;
    if (playback.playing) {
      this.pause();
      this.changed();
      return;
    }
    if (playback.t >= playback.to) playback.seek(0);
    playback.playing = true;
    let last = performance.now();
    this.timer = setInterval(() => {
      const now = performance.now();
      if (!playback.advance((now - last) * playback.speed)) clearInterval(this.timer);
      last = now;
      this.changed();
    }, TICK_MS);
    this.changed();
  }
}
