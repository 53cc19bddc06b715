// One incident as a card: what happened where, who has it, its clock against the targets, its steps and its actions.
import type { Lang } from '../shared/lang.ts';
import type { Incident } from '../shared/wire/index.ts';
import { h } from './element.ts';
import { roomStrings, typeLabel } from './i18n.ts';
import { formatSpan, targetClock } from './targets.ts';

export interface CardContext {
  lang: Lang;
  areaName: (code: string) => string;
  /** A wall screen nobody touches: the cards without their buttons and fields. */
  readOnly: boolean;
}

export function incidentCard(incident: Incident, ctx: CardContext, now: number): HTMLElement {
  const s = roomStrings(ctx.lang);
  const severity = incident.severity ?? 'info';
  const steps = incident.checklist.map((step) => {
    const label = ctx.lang === 'en' ? step.en : step.vi;
    const box = h('input', {
      type: 'checkbox',
      'data-step': String(step.step),
      checked: step.done,
      disabled: ctx.readOnly,
    });
    return h(
      'li',
      { class: step.done ? 'done' : '' },
      h('label', {}, box, ' ', label),
      step.by ? h('i', {}, step.by) : null,
    );
  });
  return h(
    'article',
    { class: `incident sev-${severity}`, 'data-incident': incident.id, 'data-status': incident.status },
    h(
      'header',
      { class: 'incident-head' },
      h('b', { class: 'sev' }, s.severity[severity] ?? severity),
      h('span', { class: 'type' }, typeLabel(incident.type, ctx.lang)),
      h('span', { class: 'area' }, ctx.areaName(incident.area)),
      clock(incident, ctx.lang, now),
    ),
    h(
      'div',
      { class: 'incident-meta' },
      h('span', { class: 'status' }, s.status[incident.status] ?? incident.status),
      incident.escalatedAt ? h('span', { class: 'escalated' }, s.escalated) : null,
      h('span', { class: 'origin' }, s.origin[incident.origin]),
      h('span', { class: 'assignee' }, `${s.assignee}: ${incident.assignee ?? s.unassigned}`),
    ),
    incident.description ? h('p', { class: 'description' }, incident.description) : null,
    h('ol', { class: 'checklist', 'aria-label': s.checklist }, ...steps),
    ctx.readOnly ? null : actions(incident, ctx.lang),
  );
}

/** The countdown; refreshed in place every few seconds without rebuilding the card. */
export function clock(incident: Incident, lang: Lang, now: number): HTMLElement {
  const s = roomStrings(lang);
  const c = targetClock(incident, now);
  const what = c.target === 'detect' ? s.detect : s.fix;
  const text = c.leftMs >= 0 ? s.left(what, formatSpan(c.leftMs)) : s.over(what, formatSpan(c.leftMs));
  return h('span', { class: `target-clock ${c.level}`, 'data-clock': c.level }, text);
}

function actions(incident: Incident, lang: Lang): HTMLElement {
  const s = roomStrings(lang);
  return h(
    'div',
    { class: 'incident-actions' },
    h(
      'div',
      { class: 'buttons' },
      incident.status === 'open' ? h('button', { type: 'button', 'data-action': 'acknowledge' }, s.acknowledge) : null,
      incident.escalatedAt ? null : h('button', { type: 'button', 'data-action': 'escalate' }, s.escalate),
    ),
    h(
      'form',
      { 'data-form': 'assign' },
      h('input', { name: 'assignee', maxlength: '200', placeholder: s.assignee, 'aria-label': s.assignee }),
      h('button', { type: 'submit' }, s.assign),
    ),
    h(
      'form',
      { 'data-form': 'note' },
      h('input', { name: 'note', required: true, maxlength: '2000', placeholder: s.note, 'aria-label': s.note }),
      h('button', { type: 'submit' }, s.addNote),
    ),
    h(
      'form',
      { 'data-form': 'resolve' },
      h('textarea', {
        name: 'summary',
        required: true,
        rows: '2',
        maxlength: '4000',
        placeholder: s.summary,
        'aria-label': s.summary,
      }),
      h('button', { type: 'submit', class: 'resolve' }, s.resolve),
    ),
  );
}
