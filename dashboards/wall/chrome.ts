// The page around the map: titles in the chosen language, connection state, indicator selector and hexagon control.
import type { Indicator } from '../shared/wire/index.ts';
import { renderConnection, renderEngine } from './header.ts';
import { HEX_METRICS, type HexMetric } from './hex-bins.ts';
import { strings } from './i18n.ts';
import type { Notices } from './notice.ts';
import type { WallElements } from './page.ts';
import type { PlaybackControls } from './playback-controls.ts';
import { renderStaleBanner } from './stale-banner.ts';
import type { WallState } from './state.ts';
import type { WallStore } from './store.ts';

export interface ChromeParts {
  els: WallElements;
  state: WallState;
  store: WallStore;
  notices: Notices;
  playbackControls: PlaybackControls;
  /** When the page was opened: the stale banner gives the first connection some grace. */
  openedAt: number;
}

export class Chrome {
  private selectorKey = '';

  constructor(private readonly parts: ChromeParts) {}

  /** Every text of the page in the state's language. */
  applyLanguage(): void {
    const { els, state, notices, playbackControls } = this.parts;
    const s = strings(state.lang);
    document.documentElement.lang = state.lang;
    document.title = s.title;
    els.title.textContent = s.title;
    els.subtitle.textContent = s.subtitle;
    els.indicatorLabel.textContent = s.indicator;
    els.lang.title = s.switchTo;
    els.lang.dataset['active'] = state.lang;
    this.renderConnection();
    this.renderHexControl();
    this.renderFeedbackControl();
    playbackControls.render();
    notices.render();
  }

  /** The header's connection dot and engine and, when the data is old, the banner over the map. */
  renderConnection(): void {
    const { els, state } = this.parts;
    renderConnection(els.conn, state.liveStatus, state.lang);
    renderEngine(els.engine, state.engine, state.engines, state.lang);
    this.renderStaleBanner();
  }

  renderStaleBanner(): void {
    const { els, state, openedAt } = this.parts;
    renderStaleBanner(els.stale, state.liveStatus, state.lang, openedAt);
  }

  renderHexControl(): void {
    const { els, state } = this.parts;
    const s = strings(state.lang);
    const options: [HexMetric | 'off', string][] = [
      ['off', s.hexOff],
      ...HEX_METRICS.map((m) => [m, s.hexMetric[m]] as [HexMetric, string]),
    ];
    const shown = state.hexMetric ?? 'off';
    const button = (value: HexMetric | 'off', label: string): string =>
      `<button type="button" data-hex="${value}" aria-pressed="${shown === value}">${label}</button>`;
    const buttons = options.map(([value, label]) => button(value, label)).join('');
    els.hexControl.innerHTML = `<span class="panel-label">${s.hexLayer}</span><div class="seg">${buttons}</div>`;
  }

  renderFeedbackControl(): void {
    const { els, state } = this.parts;
    const s = strings(state.lang);
    const shown = state.feedback ?? 'off';
    const buttons = (['off', 'all', 'open'] as const)
      .map(
        (v) => `<button type="button" data-feedback="${v}" aria-pressed="${shown === v}">${s.feedbackShow[v]}</button>`,
      )
      .join('');
    els.feedbackControl.innerHTML = `<span class="panel-label">${s.feedbackLayer}</span><div class="seg">${buttons}</div>`;
  }

  renderSelector(indicator: Indicator | undefined): void {
    const { els, state, store } = this.parts;
    const key = `${state.lang}|${store.catalogue.map((i) => i.name).join(',')}`;
    if (key !== this.selectorKey) {
      this.selectorKey = key;
      els.indicatorSelect.replaceChildren(
        ...store.catalogue.map((i) => {
          const option = document.createElement('option');
          option.value = i.name;
          option.textContent = i.title[state.lang];
          return option;
        }),
      );
    }
    els.indicatorSelect.disabled = store.catalogue.length === 0;
    if (indicator) els.indicatorSelect.value = indicator.name;
  }
}
