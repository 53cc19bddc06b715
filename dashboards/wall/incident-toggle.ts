// The wall's incident room: a header button with the count of active incidents that opens the room over the map.
import { mountIncidentRoom, roomStrings, type IncidentRoomView } from '../incidents/index.ts';
import type { Lang } from '../shared/lang.ts';
import type { AreaFeature } from '../shared/wire/index.ts';
import type { WallElements } from './page.ts';

export function wallIncidentRoom(
  els: WallElements,
  options: {
    lang: Lang;
    kiosk: boolean;
    onError: (error: unknown) => void;
    /** The wards and districts once the wall has them. */
    areas: Promise<readonly AreaFeature[]>;
  },
): IncidentRoomView & { setLang(lang: Lang): void } {
  const room = mountIncidentRoom(els.incidentRoom, {
    lang: options.lang,
    readOnly: options.kiosk,
    onError: options.onError,
    areas: options.areas,
  });
  let lang = options.lang;
  const label = (): void => {
    els.incidentsLabel.textContent = roomStrings(lang).room;
  };
  // The list keeps its count on its element; the button shows it without opening the room.
  new MutationObserver(() => {
    els.incidentsCount.textContent =
      els.incidentRoom.querySelector<HTMLElement>('[data-count]')?.dataset['count'] ?? '0';
  }).observe(els.incidentRoom, { subtree: true, attributes: true, attributeFilter: ['data-count'] });
  els.incidentsToggle.addEventListener('click', () => {
    els.incidentRoom.hidden = !els.incidentRoom.hidden;
    els.incidentsToggle.setAttribute('aria-pressed', String(!els.incidentRoom.hidden));
  });
  label();
  return {
    ...room,
    setLang(next) {
      lang = next;
      label();
      room.setLang(next);
    },
  };
}
