// The /incidents page: the incident room full-page for a second screen, live over the engine's `incident` events.
import '../shared/auth.ts';
import { byId } from '../shared/dom.ts';
import { loadLang, saveLang } from '../shared/lang.ts';
import { connectLive } from '../shared/live.ts';
import { roomStrings } from './i18n.ts';
import { mountIncidentRoom } from './index.ts';

let lang = loadLang();
const title = byId('title', 'incidents');
const subtitle = byId('subtitle', 'incidents');
const wallLink = byId('wall-link', 'incidents');
const langButton = byId<HTMLButtonElement>('lang', 'incidents');
const conn = byId('conn', 'incidents');
const failure = byId('failure', 'incidents');

const showError = (error: unknown): void => {
  failure.textContent = `${roomStrings(lang).failed} ${error instanceof Error ? error.message : String(error)}`;
  failure.hidden = false;
};
const room = mountIncidentRoom(byId('room', 'incidents'), { lang, onError: showError });

function applyLanguage(): void {
  const s = roomStrings(lang);
  document.documentElement.lang = lang;
  document.title = s.title;
  title.textContent = s.title;
  subtitle.textContent = s.subtitle;
  wallLink.textContent = s.wall;
  langButton.dataset['active'] = lang;
  langButton.title = s.switchTo;
}
applyLanguage();

langButton.addEventListener('click', () => {
  lang = lang === 'vi' ? 'en' : 'vi';
  saveLang(lang);
  applyLanguage();
  room.setLang(lang);
});

connectLive({
  // No indicators: this page hears only alerts and incidents.
  subscribe: { indicators: [] },
  onMessage: (message) => {
    switch (message.type) {
      case 'connected':
        failure.hidden = true;
        void room.refresh();
        break;
      case 'incident':
        room.apply(message.event);
        break;
      case 'status':
        conn.dataset['state'] = message.status.type;
        break;
      case 'invalid':
        console.warn(`incidents: dropped invalid ${message.event} event: ${message.reason}`);
        break;
      case 'indicator':
      case 'devices':
      case 'devicesArrow':
      case 'alert':
      case 'view':
        break;
      default: {
        const never: never = message;
        void never;
      }
    }
  },
});
