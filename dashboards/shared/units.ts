// Units as the pages show them: the catalogue writes some in Vietnamese only, so English gets its own words.
import type { Lang } from './lang.ts';

const EN: Record<string, string> = {
  'xe/phút': 'vehicles/min',
  'xe/giờ': 'vehicles/h',
  'hồ sơ': 'dossiers',
  'sự cố': 'incidents',
  'cảm biến': 'sensors',
  'phản ánh': 'reports',
  điểm: 'points',
};

/** The unit in the page's language; units that read the same in both (%, km/h, µg/m³) pass through. */
export function unitLabel(unit: string, lang: Lang): string {
  return lang === 'en' ? (EN[unit] ?? unit) : unit;
}
