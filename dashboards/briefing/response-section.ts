// The operators' incidents of the period against the centre's targets (Decision 6372): detected within 1 h of the first
// evidence, resolved within 4 h of detection, with the median times.
import type { Lang } from '../shared/lang.ts';
import type { Briefing } from '../shared/wire/index.ts';
import { duration, esc, num } from './format.ts';
import { briefingStrings, type BriefingStrings } from './i18n.ts';

function line(key: string, label: string, n: number, of: number, median: string, s: BriefingStrings): string {
  // As in the PDF: a target is met when every incident met it.
  const status = n === of ? 'met' : 'missed';
  const share = `${num(n, s, 0)}/${num(of, s, 0)} (${num((n / of) * 100, s, 0)}%)`;
  return `<p class="target" data-target="${key}" data-status="${status}">${esc(label)}: <b class="${status === 'met' ? 'good' : 'bad'}">${share}</b> · ${esc(s.response.median)} ${esc(median)}</p>`;
}

export function responseFigures(b: Briefing, lang: Lang): string {
  const r = b.incidents.response;
  if (r.total === 0) return '';
  const s = briefingStrings(lang);
  const w = s.response;
  return `<div class="response" id="incident-response"><h3>${esc(w.title(r.total))}</h3>${line('detect', w.detected, r.detectedInHour, r.total, duration(r.medianDetectS, lang), s)}${line('resolve', w.resolved(r.resolved), r.resolvedIn4h, r.total, duration(r.medianResolveS, lang), s)}</div>`;
}
