// Which ward names the wall writes, and where: each from the zoom at which it fits inside its unit, and never over
// another (the larger unit's wins; decided here, a few hundred boxes, rather than by a GPU collision pass, which a
// software-rendered wall pays on every frame). No deck.gl here: the layout is tested without a browser.
import type { AreaFeature } from '../shared/wire/index.ts';
import { shortName } from './area-search.ts';
import { labelAnchor, zoomForWidth } from './geometry.ts';
import type { Lang } from './i18n.ts';

export interface AreaLabel {
  code: string;
  text: string;
  position: [number, number];
  minZoom: number;
}

export const FONT_SIZE = 12;
/** Rough width of one character at FONT_SIZE, enough to decide whether a name fits. */
const CHAR_PX = FONT_SIZE * 0.58;

/** Computed once per (areas, language); filtering by zoom is then a cheap pass over a few hundred items. */
export function areaLabels(features: readonly AreaFeature[], lang: Lang): AreaLabel[] {
  const labels: AreaLabel[] = [];
  for (const feature of features) {
    const anchor = labelAnchor(feature);
    if (!anchor) continue;
    const { name, nameEn, code } = feature.properties;
    // "Phường Hoàn Kiếm" → "Hoàn Kiếm": the kind is on the hover card, and the shorter name fits sooner.
    const text = shortName(lang === 'en' && nameEn ? nameEn : name);
    const minZoom = zoomForWidth(anchor.widthDeg, text.length * CHAR_PX * 1.15);
    labels.push({ code, text, position: anchor.position, minZoom });
  }
  return labels;
}

/** The labels that fit at this zoom, larger units first, leaving out any that would overlap one already placed. */
export function visibleLabels(labels: readonly AreaLabel[], zoom: number, scale = 1): AreaLabel[] {
  // A label twice as large needs its unit twice as wide: one zoom level more.
  const fitting = labels
    .filter((label) => label.minZoom + Math.log2(scale) <= zoom)
    .sort((a, b) => a.minZoom - b.minZoom);
  const world = 512 * 2 ** zoom;
  const placed: [number, number, number, number][] = [];
  const out: AreaLabel[] = [];
  for (const label of fitting) {
    const [lon, lat] = label.position;
    const x = ((lon + 180) / 360) * world;
    const s = Math.sin((lat * Math.PI) / 180);
    const y = (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * world;
    const w = (label.text.length * CHAR_PX * scale) / 2 + 2;
    const h = (FONT_SIZE * scale) / 2 + 2;
    const box: [number, number, number, number] = [x - w, y - h, x + w, y + h];
    if (placed.some((p) => p[0] < box[2] && box[0] < p[2] && p[1] < box[3] && box[1] < p[3])) continue;
    placed.push(box);
    out.push(label);
  }
  return out;
}
