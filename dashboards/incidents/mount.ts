// The incident room put together in an element (its own page, or the wall's side panel): list, report form, areas.
import { fetchAreas } from '../shared/api.ts';
import type { Lang } from '../shared/lang.ts';
import type { AreaFeature, Incident, IncidentEvent } from '../shared/wire/index.ts';
import { fetchActiveIncidents } from './api.ts';
import { h } from './element.ts';
import { IncidentPanel } from './panel.ts';
import { reportForm } from './report-form.ts';
import { IncidentRoom } from './room.ts';

export interface IncidentRoomView {
  /** Feeds a live `incident` event. */
  apply(event: IncidentEvent): void;
  /** Reloads the active list (first connection, or after the feed was away). */
  refresh(): Promise<void>;
  setLang(lang: Lang): void;
  /** Shows `incidents` as they stood at the replayed time `at`; null: back to live (then `refresh`). */
  showPast(incidents: readonly Incident[] | null, at: number | null): void;
}

export function mountIncidentRoom(
  el: HTMLElement,
  options: {
    lang: Lang;
    readOnly?: boolean;
    onError?: (error: unknown) => void;
    /**
     * The areas of every level, from a page that holds them already (the wall): without it the room fetches its own,
     * and the wall downloaded the city's boundaries (770 KB) a second time for their names.
     */
    areas?: Promise<readonly AreaFeature[]>;
  },
): IncidentRoomView {
  let lang = options.lang;
  let wards: AreaFeature[] = [];
  const names = new Map<string, { vi: string; en: string }>();
  const areaName = (code: string): string => {
    const n = names.get(code);
    return n ? (lang === 'en' ? n.en : n.vi) : code;
  };
  const room = new IncidentRoom();
  const listEl = h('section', { class: 'room-list', id: 'incident-list' });
  const formEl = h('aside', { class: 'room-report' });
  el.replaceChildren(listEl, formEl);
  const panel = new IncidentPanel(listEl, { room, lang: () => lang, areaName, readOnly: options.readOnly ?? false });
  const renderForm = (): void => {
    if (options.readOnly) return;
    formEl.replaceChildren(reportForm({ lang, areas: wards, areaName, onReported: (event) => room.apply(event) }));
  };

  void (options.areas ?? fetchAreas().then((areas) => areas.features)).then(
    (features) => {
      for (const f of features) {
        const { code, name, nameEn } = f.properties;
        names.set(code, { vi: name, en: nameEn ?? name });
      }
      wards = features
        .filter((f) => (f.properties.level ?? 'ward') === 'ward')
        .sort((a, b) => a.properties.name.localeCompare(b.properties.name, 'vi'));
      renderForm();
      panel.render(true);
    },
    (error: unknown) => options.onError?.(error),
  );

  return {
    apply: (event) => room.apply(event),
    refresh: () => fetchActiveIncidents().then((list) => room.set(list), options.onError),
    showPast: (incidents, at) => {
      room.setPast(incidents, at);
      // A report made on a replayed wall would open an incident now, beside the past ones shown: live only.
      formEl.hidden = incidents !== null;
    },
    setLang(next) {
      lang = next;
      renderForm();
      panel.render(true);
    },
  };
}
