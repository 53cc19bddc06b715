// The leaders' briefing: a day's or a week's facts from the rollups, and the narrative written from them.
export { briefingFacts } from './compute.ts';
export { narrative } from './narrative.ts';
export { hanoiToday } from './period.ts';
