// The header's live parts: Hanoi clock, the connection dot (live / reconnecting / switching / stale) and the engine.
import { engineLabel } from '../shared/engines.ts';
import type { LiveStatus } from '../shared/live.ts';
import { formatHanoiTime } from './format.ts';
import { hanoiFormat } from '../shared/hanoi-time.ts';
import { strings, type Lang } from './i18n.ts';

function hanoiDate(ms: number, locale: string): string {
  return hanoiFormat('date', locale, { weekday: 'long', day: '2-digit', month: '2-digit', year: 'numeric' }).format(ms);
}

/** Ticks every second, aligned to the second so the display never lags a whole second behind. */
export function startClock(timeEl: HTMLElement, dateEl: HTMLElement, lang: () => Lang): () => void {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const tick = (): void => {
    const now = Date.now();
    const locale = strings(lang()).locale;
    timeEl.textContent = formatHanoiTime(now, locale, true);
    dateEl.textContent = hanoiDate(now, locale);
    timer = setTimeout(tick, 1_000 - (now % 1_000) + 5);
  };
  tick();
  return () => clearTimeout(timer);
}

export function renderConnection(el: HTMLElement, status: LiveStatus, lang: Lang): void {
  const s = strings(lang).connection;
  el.dataset['state'] = status.type;
  let label: string;
  switch (status.type) {
    case 'connecting':
      label = s.connecting;
      break;
    case 'live':
      label = s.live;
      break;
    case 'reconnecting':
      label = s.reconnecting;
      break;
    case 'stale':
      label = s.stale;
      break;
    case 'switching':
      label = s.switching;
      break;
    default: {
      const never: never = status;
      label = String(never);
    }
  }
  const labelEl = el.querySelector('.conn-label');
  if (labelEl) labelEl.textContent = label;
  el.title = label;
}

/** Which replica the wall is on: only said when it knows of more than one, small, beside the connection dot. */
export function renderEngine(el: HTMLElement, engine: string | null, engines: readonly string[], lang: Lang): void {
  el.hidden = engine === null || engines.length < 2;
  if (el.hidden || engine === null) return;
  const text = `${strings(lang).engineOn} ${engineLabel(engine)}`;
  if (el.textContent !== text) el.textContent = text;
  el.title = engine;
  el.dataset['engine'] = engine;
}
