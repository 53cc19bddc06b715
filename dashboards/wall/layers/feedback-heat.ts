// Citizens' reports as heat: H3 cells from crimson to pale yellow by their share of the busiest cell; pure of (bins, config).
import { H3HexagonLayer } from '@deck.gl/geo-layers';
import type { FeedbackBin } from '../feedback-heat.ts';
import type { Rgba } from '../colors.ts';

export const FEEDBACK_LAYER_ID = 'feedback-heat';

/**
 * Five steps glowing from a dim crimson to a pale yellow, fainter where reports are few: on the wall's dark map the
 * hottest cells read brightest, and the wards' shading still shows through the cool ones.
 */
export const FEEDBACK_HEAT: readonly Rgba[] = [
  [128, 24, 64, 150],
  [196, 40, 52, 180],
  [238, 96, 36, 205],
  [252, 170, 48, 225],
  [255, 236, 140, 240],
];

/**
 * Upper bounds of the five steps for a busiest cell of `max` reports, on a square-root scale: a few cells hold most
 * reports, and a linear scale would put all the others in the first step. The steps follow the data, not fixed
 * counts: a cell holds ten times the reports at the city's zoom as in a ward, and the hot spots are what matters.
 */
export function heatSteps(max: number): number[] {
  const steps: number[] = [];
  FEEDBACK_HEAT.forEach((_, i) => {
    const bound = Math.ceil(max * ((i + 1) / FEEDBACK_HEAT.length) ** 2);
    steps.push(Math.max(bound, (steps[i - 1] ?? 0) + 1));
  });
  return steps;
}

export function heatColor(reports: number, steps: readonly number[]): Rgba {
  const i = steps.findIndex((s) => reports <= s);
  return FEEDBACK_HEAT[i < 0 ? FEEDBACK_HEAT.length - 1 : i]!;
}

export function feedbackHeatLayer(
  bins: readonly FeedbackBin[],
  config: { steps: readonly number[]; version: string },
): H3HexagonLayer<FeedbackBin> {
  return new H3HexagonLayer<FeedbackBin>({
    id: FEEDBACK_LAYER_ID,
    data: bins as FeedbackBin[],
    getHexagon: (b) => b.hex,
    getFillColor: (b) => heatColor(b.reports, config.steps),
    stroked: false,
    filled: true,
    extruded: false,
    pickable: true,
    updateTriggers: { getFillColor: config.version },
  });
}
