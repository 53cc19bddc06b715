// Number, time and window formatting for the wall, plus HTML escaping of engine-supplied text.
import type { Lang } from './i18n.ts';

const numberFormats = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string, digits: number): Intl.NumberFormat {
  const key = `${locale}|${digits}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { maximumFractionDigits: digits, minimumFractionDigits: 0 });
    numberFormats.set(key, format);
  }
  return format;
}

/** Fewer decimals for bigger numbers, so a tile never shows noise like 1 234.5678. */
export function formatValue(value: number | null | undefined, locale: string): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return numberFormat(locale, digits).format(value);
}

const WINDOW_RE = /^(\d+)\s*(ms|s|m|h|d)$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Window length in milliseconds, or null when the engine sends a form we do not know. */
export function windowMs(window: string): number | null {
  const match = WINDOW_RE.exec(window.trim());
  if (!match) return null;
  const unit = match[2] as keyof typeof UNIT_MS;
  return Number(match[1]) * UNIT_MS[unit];
}

const WINDOW_WORDS: Record<Lang, Record<keyof typeof UNIT_MS, string>> = {
  vi: { ms: 'ms', s: 'giây', m: 'phút', h: 'giờ', d: 'ngày' },
  en: { ms: 'ms', s: 's', m: 'min', h: 'h', d: 'd' },
};

export function formatWindow(window: string, lang: Lang): string {
  const match = WINDOW_RE.exec(window.trim());
  if (!match) return window;
  return `${match[1]} ${WINDOW_WORDS[lang][match[2] as keyof typeof UNIT_MS]}`;
}

export { formatHanoiTime } from '../shared/hanoi-time.ts';

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
