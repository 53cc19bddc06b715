// Ward and commune names as a TextLayer, each shown only from the zoom at which it fits inside its unit, and never
// over another name (the larger unit's wins; decided here, a few hundred boxes, rather than by a GPU collision pass,
// which a software-rendered wall pays on every frame); the full name is on the hover card.
import { TextLayer } from '@deck.gl/layers';
import type { AreaFeature } from '../../shared/wire/index.ts';
import { shortName } from '../area-search.ts';
import { LABEL_CHARACTER_SET } from '../charset.ts';
import { labelAnchor, zoomForWidth } from '../geometry.ts';
import type { Lang } from '../i18n.ts';

const AREA_LABELS_LAYER_ID = 'area-labels';

export interface AreaLabel {
  code: string;
  text: string;
  position: [number, number];
  minZoom: number;
}

const FONT_SIZE = 12;
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

export interface AreaLabelsConfig {
  zoom: number;
  fontFamily: string;
  /** 2 on a 4K wall, where the rest of the page is drawn twice as large too. */
  scale?: number;
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

export function areaLabelsLayer(labels: readonly AreaLabel[], config: AreaLabelsConfig): TextLayer<AreaLabel> {
  const scale = config.scale ?? 1;
  const visible = visibleLabels(labels, config.zoom, scale);
  return new TextLayer<AreaLabel>({
    id: AREA_LABELS_LAYER_ID,
    data: visible,
    getPosition: (label) => label.position,
    getText: (label) => label.text,
    getSize: FONT_SIZE * scale,
    sizeUnits: 'pixels',
    getColor: [232, 238, 247, 235],
    // Vietnamese diacritics are outside the default ASCII atlas; a fixed set also survives an empty first render.
    characterSet: LABEL_CHARACTER_SET as string[],
    fontFamily: config.fontFamily,
    fontWeight: 600,
    fontSettings: { sdf: true, fontSize: 48, buffer: 6 },
    outlineWidth: 3,
    outlineColor: [10, 14, 22, 230],
    getTextAnchor: 'middle',
    getAlignmentBaseline: 'center',
    pickable: false,
  });
}
