// Ward and commune names as a TextLayer, laid out by label-layout.ts; the full name is on the hover card.
import { TextLayer } from '@deck.gl/layers';
import { LABEL_CHARACTER_SET } from '../charset.ts';
import { FONT_SIZE, visibleLabels, type AreaLabel } from '../label-layout.ts';

const AREA_LABELS_LAYER_ID = 'area-labels';

export interface AreaLabelsConfig {
  zoom: number;
  fontFamily: string;
  /** 2 on a 4K wall, where the rest of the page is drawn twice as large too. */
  scale?: number;
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
