// The stale-data banner: shown when no update came for 30 s, the server cannot be reached or the wall is moving to
// another one, gone once data flows again.
import { engineLabel } from '../shared/engines.ts';
import type { LiveStatus } from '../shared/live.ts';
import { formatHanoiTime } from './format.ts';
import { strings, type Lang } from './i18n.ts';

/** While still connecting for the first time, the banner waits this long before saying the server is down. */
const FIRST_CONNECT_GRACE_MS = 5_000;

export function renderStaleBanner(
  el: HTMLElement,
  status: LiveStatus,
  lang: Lang,
  openedAt: number,
  now = Date.now(),
): void {
  const s = strings(lang);
  const since = (t: number | null): string => formatHanoiTime(t ?? openedAt, s.locale, true);
  let text: string | null = null;
  switch (status.type) {
    case 'live':
      break;
    case 'connecting':
      if (now - openedAt > FIRST_CONNECT_GRACE_MS) text = s.down(since(openedAt));
      break;
    case 'reconnecting':
      text = s.down(since(status.lastUpdate));
      break;
    case 'stale':
      text = s.stale(since(status.lastUpdate));
      break;
    case 'switching':
      text = s.switching(engineLabel(status.from), since(status.lastUpdate));
      break;
    default: {
      const never: never = status;
      void never;
    }
  }
  el.hidden = text === null;
  el.dataset['state'] = status.type;
  if (text !== null && el.textContent !== `⚠ ${text}`) el.textContent = `⚠ ${text}`;
}
