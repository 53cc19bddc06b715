// The briefing's citizens' feedback: the period's figures, the categories most reported and the wards most behind.
import type { Lang } from '../shared/lang.ts';
import { FEEDBACK_CATEGORY_LABELS, type Briefing } from '../shared/wire/index.ts';
import { esc, num } from './format.ts';
import { briefingStrings } from './i18n.ts';

export function feedbackSection(b: Briefing, lang: Lang): string {
  const f = b.feedback;
  if (!f) return '';
  const s = briefingStrings(lang);
  const w = s.feedback;
  const figure = (key: string, label: string, value: string) =>
    `<div class="figure" data-figure="${key}"><span class="figure-value">${value}</span><span class="figure-label">${esc(label)}</span></div>`;
  const figures = [
    figure('received', w.received, num(f.received, s, 0)),
    figure('on-time', w.onTime, f.resolvedOnTime === null ? '—' : `${num(f.resolvedOnTime, s, 1)}%`),
    figure('backlog', w.backlog, num(f.backlog, s, 0)),
    figure('reopen', w.reopen, f.reopenRate === null ? '—' : `${num(f.reopenRate, s, 1)}%`),
    figure('rating', w.rating, f.rating === null ? '—' : `${num(f.rating, s, 1)}<span class="unit">/5</span>`),
  ].join('');
  const most = Math.max(1, ...f.categories.map((c) => c.received));
  const categories = f.categories.length
    ? `<div class="bars">${f.categories
        .map((c) => {
          const label = FEEDBACK_CATEGORY_LABELS[c.category]?.[lang] ?? c.category;
          return `<div class="bar-row" data-category="${esc(c.category)}"><span class="bar-label">${esc(label)}</span><span class="bar"><i style="width:${((c.received / most) * 100).toFixed(1)}%"></i></span><span class="bar-value">${num(c.received, s, 0)}</span></div>`;
        })
        .join('')}</div>`
    : `<p class="muted">—</p>`;
  const areas = f.backlogAreas.length
    ? `<ol>${f.backlogAreas.map((a) => `<li><span>${esc(lang === 'en' && a.nameEn ? a.nameEn : a.name)}</span><b>${num(a.count, s, 0)}</b></li>`).join('')}</ol>`
    : `<p class="muted">${esc(w.noBacklog)}</p>`;
  return `<section class="block" id="feedback"><h2>${esc(w.title)}</h2><div class="figures">${figures}</div>
  <div class="two"><div><h3>${esc(w.categories)}</h3>${categories}</div><div class="theme backlog-areas"><h3>${esc(w.backlogAreas)}</h3>${areas}</div></div></section>`;
}
