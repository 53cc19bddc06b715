// District names as a TextLayer, each shown only from the zoom at which it fits inside its district.
import { TextLayer } from '@deck.gl/layers';
import type { AreaFeature } from '../../shared/wire/index.ts';
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

/** Computed once per (areas, language); filtering by zoom is then a cheap pass over about thirty items. */
export function areaLabels(features: readonly AreaFeature[], lang: Lang): AreaLabel[] {
  const labels: AreaLabel[] = [];
  for (const feature of features) {
    const anchor = labelAnchor(feature);
    if (!anchor) continue;
    const { name, nameEn, code } = feature.properties;
    const text = lang === 'en' && nameEn ? nameEn : name;
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

export function areaLabelsLayer(labels: readonly AreaLabel[], config: AreaLabelsConfig): TextLayer<AreaLabel> {
  const scale = config.scale ?? 1;
  // A label twice as large needs its district twice as wide: one zoom level more.
  const visible = labels.filter((label) => label.minZoom + Math.log2(scale) <= config.zoom);
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
