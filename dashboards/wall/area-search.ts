// Finding a ward or commune by name, typed with or without diacritics: "hoa" finds Yên Hoà and Hòa Lạc alike, since
// the official "oà" and the common "òa" fold to the same letters.
import type { AreaFeature } from '../shared/wire/index.ts';

/** Lower case, no tone or vowel marks, đ as d, single spaces. */
export function foldName(text: string): string {
  return text
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** "Phường Hoàn Kiếm" → "Hoàn Kiếm": what a label has room for, and what people type. */
export function shortName(name: string): string {
  return name.replace(/^(phường|xã|quận|huyện|thị xã|phuong|xa|quan|huyen|thi xa)\s+/iu, '');
}

export interface SearchHit {
  feature: AreaFeature;
  /** The former district's name, to tell apart units people still place by it. */
  district: string | null;
}

interface Entry {
  feature: AreaFeature;
  district: AreaFeature | undefined;
  /** Folded short names (Vietnamese, English) and code. */
  keys: string[];
}

export class AreaSearch {
  private entries: Entry[] = [];

  /** Called when the areas arrive. */
  index(areas: readonly AreaFeature[], districts: readonly AreaFeature[]): void {
    const byCode = new Map(districts.map((d) => [d.properties.code, d]));
    this.entries = areas.map((feature) => {
      const p = feature.properties;
      const keys = [shortName(p.name), p.nameEn ? shortName(p.nameEn) : '', p.code.replace(/_/g, ' ')]
        .map(foldName)
        .filter((k) => k !== '');
      return { feature, district: p.parent ? byCode.get(p.parent) : undefined, keys };
    });
  }

  /**
   * Units whose name contains every word typed, best first: names starting with the query, then a word starting
   * with it, then anything containing it.
   */
  find(query: string, lang: 'vi' | 'en', limit = 8): SearchHit[] {
    const q = foldName(query);
    if (q === '') return [];
    const words = q.split(' ');
    const scored: { entry: Entry; score: number }[] = [];
    for (const entry of this.entries) {
      let best = -1;
      for (const key of entry.keys) {
        if (!words.every((w) => key.includes(w))) continue;
        const score = key.startsWith(q) ? 3 : ` ${key}`.includes(` ${words[0]}`) ? 2 : 1;
        best = Math.max(best, score);
      }
      if (best > 0) scored.push({ entry, score: best });
    }
    scored.sort(
      (a, b) =>
        b.score - a.score ||
        a.entry.keys[0]!.length - b.entry.keys[0]!.length ||
        a.entry.keys[0]!.localeCompare(b.entry.keys[0]!),
    );
    return scored.slice(0, limit).map(({ entry }) => {
      const d = entry.district?.properties;
      return { feature: entry.feature, district: d ? (lang === 'en' && d.nameEn ? d.nameEn : d.name) : null };
    });
  }
}
