// The playback bar under the map: enter a replay of the shown indicator's day, play or scrub it, go back to live.
import { formatHanoiTime } from './format.ts';
import { strings } from './i18n.ts';
import type { Notices } from './notice.ts';
import type { Playback } from './playback.ts';
import { currentIndicator, type WallState } from './state.ts';
import type { WallStore } from './store.ts';

export interface PlaybackControlsParts {
  el: HTMLElement;
  state: WallState;
  store: WallStore;
  playback: Playback;
  notices: Notices;
  scheduleRender(): void;
}

export class PlaybackControls {
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(private readonly parts: PlaybackControlsParts) {
    const { el, playback } = parts;
    el.addEventListener('click', (event) => {
      const action = (event.target as HTMLElement).closest<HTMLElement>('[data-play]')?.dataset['play'];
      if (action === 'enter') void this.start();
      else if (action === 'toggle') this.toggle();
      else if (action === 'live') this.stop();
    });
    el.addEventListener('input', (event) => {
      const slider = event.target as HTMLInputElement;
      if (slider.type !== 'range') return;
      playback.seek(Number(slider.value));
      this.render();
      parts.scheduleRender();
    });
  }

  /** Replays the indicator now shown (again, if one was playing). */
  async start(): Promise<void> {
    const { state, store, playback, notices } = this.parts;
    const indicator = currentIndicator(state, store);
    if (!indicator) return;
    try {
      await playback.start(indicator);
      notices.ok('playback');
    } catch (error) {
      const why = error instanceof Error ? error.message : String(error);
      notices.fail('playback', `${strings(state.lang).loadFailed} ${why}`);
      return;
    }
    document.body.classList.add('replaying');
    this.render();
    this.parts.scheduleRender();
  }

  render(): void {
    const { el, state, playback } = this.parts;
    const s = strings(state.lang);
    if (!playback.active) {
      el.dataset['mode'] = 'live';
      el.innerHTML = `<button type="button" data-play="enter">↺ ${s.replay}</button>`;
      return;
    }
    el.dataset['mode'] = 'replay';
    const step = Math.round((playback.t - playback.from) / playback.stepMs);
    const day = new Intl.DateTimeFormat(s.locale, { timeZone: 'Asia/Ho_Chi_Minh', day: '2-digit', month: '2-digit' });
    const time = `${formatHanoiTime(playback.t, s.locale)} ${day.format(playback.t)}`;
    const slider = el.querySelector<HTMLInputElement>('input[type=range]');
    if (slider && document.activeElement === slider) {
      // Scrubbing: update the label only, never rebuild the slider under the operator's hand.
      const label = el.querySelector('.pb-time');
      if (label) label.textContent = s.replaying(time);
      return;
    }
    el.innerHTML =
      `<button type="button" data-play="toggle">${playback.playing ? `■ ${s.pause}` : `▶ ${s.play}`}</button>` +
      `<input type="range" min="0" max="${playback.steps}" step="1" value="${step}" aria-label="${s.replay}">` +
      `<span class="pb-time">${s.replaying(time)}</span>` +
      `<button type="button" data-play="live" class="pb-live">● ${s.backToLive}</button>`;
  }

  private stop(): void {
    clearInterval(this.timer);
    this.parts.playback.stop();
    document.body.classList.remove('replaying');
    this.render();
    this.parts.scheduleRender();
  }

  private toggle(): void {
    const { playback } = this.parts;
    playback.playing = !playback.playing;
    clearInterval(this.timer);
    if (playback.playing) {
      if (playback.t >= playback.to) playback.seek(0);
      this.timer = setInterval(() => {
        if (!playback.advance()) clearInterval(this.timer);
        this.render();
        this.parts.scheduleRender();
      }, 250);
    }
    this.render();
  }
}
