// Text and numbers as the briefing writes them: HTML-escaped, and in the reader's locale with sensible decimals.
import type { Lang } from '../shared/lang.ts';
import type { BriefingStrings } from './i18n.ts';

export const esc = (s: string): string => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function num(v: number | null | undefined, s: BriefingStrings, digits?: number): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '—';
  const d = digits ?? (Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2);
  return new Intl.NumberFormat(s.locale, { maximumFractionDigits: d }).format(v);
}

/** "1 giờ 5 phút", "45 min": a median time, to the minute. */
export function duration(seconds: number | null, lang: Lang): string {
  if (seconds === null) return '—';
  const m = Math.round(seconds / 60);
  const [h, min] = [Math.floor(m / 60), m % 60];
  const [hw, mw] = lang === 'vi' ? ['giờ', 'phút'] : ['h', 'min'];
  return h > 0 ? `${h} ${hw}${min ? ` ${min} ${mw}` : ''}` : `${min} ${mw}`;
}
