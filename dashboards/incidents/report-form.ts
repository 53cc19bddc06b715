// "Report an incident": type, severity, a place (a ward from the list, or a point clicked on the map), a description.
import type { Lang } from '../shared/lang.ts';
import { INCIDENT_TYPES, type AreaFeature } from '../shared/wire/index.ts';
import { reportIncident, type Report } from './api.ts';
import { h } from './element.ts';
import { roomStrings, SEVERITIES, typeLabel } from './i18n.ts';
import { placeMap } from './place-map.ts';

export interface ReportFormOptions {
  lang: Lang;
  /** The wards, sorted by name. */
  areas: readonly AreaFeature[];
  areaName: (code: string) => string;
  onReported: (event: Awaited<ReturnType<typeof reportIncident>>) => void;
}

export function reportForm(options: ReportFormOptions): HTMLFormElement {
  const s = roomStrings(options.lang);
  let point: { lat: number; lon: number } | null = null;

  const type = h(
    'select',
    { name: 'type', required: true },
    ...INCIDENT_TYPES.map((t) => h('option', { value: t }, typeLabel(t, options.lang))),
  );
  const severity = h(
    'select',
    { name: 'severity' },
    ...SEVERITIES.map((v) => h('option', { value: v, selected: v === 'warning' }, s.severity[v] ?? v)),
  );
  const area = h(
    'select',
    { name: 'area' },
    h('option', { value: '' }, s.chooseArea),
    ...options.areas.map((a) => h('option', { value: a.properties.code }, options.areaName(a.properties.code))),
  );
  const pointLabel = h('div', { class: 'point', 'data-point': '' });
  const map = placeMap(options.areas, (lat, lon) => {
    point = { lat, lon };
    area.value = '';
    map.mark(point);
    pointLabel.textContent = s.point(lat, lon);
  });
  area.addEventListener('change', () => {
    if (!area.value) return;
    point = null;
    map.mark(null);
    pointLabel.textContent = '';
  });
  const description = h('textarea', { name: 'description', required: true, rows: '3', maxlength: '4000' });
  const error = h('div', { class: 'room-error', role: 'alert', hidden: true });
  const send = h('button', { type: 'submit', class: 'primary' }, s.send);

  const form = h(
    'form',
    { class: 'report-form', id: 'report-form' },
    h('h2', {}, s.report),
    h('label', {}, h('span', {}, s.type), type),
    h('label', {}, h('span', {}, s.severityLabel), severity),
    h('label', {}, h('span', {}, s.area), area),
    map.el,
    pointLabel,
    h('label', {}, h('span', {}, s.description), description),
    error,
    send,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    const place = area.value ? { area: area.value } : point;
    if (!place) {
      error.textContent = s.noPlace;
      error.hidden = false;
      return;
    }
    const report: Report = {
      type: type.value,
      severity: severity.value,
      description: description.value.trim(),
      ...place,
    };
    error.hidden = true;
    send.disabled = true;
    reportIncident(report)
      .then((answer) => {
        form.reset();
        point = null;
        map.mark(null);
        pointLabel.textContent = '';
        options.onReported(answer);
      })
      .catch((e: unknown) => {
        error.textContent = `${s.failed} ${e instanceof Error ? e.message : String(e)}`;
        error.hidden = false;
      })
      .finally(() => {
        send.disabled = false;
      });
  });
  return form;
}
