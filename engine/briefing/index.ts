// The leaders' briefing: a day's or a week's facts from the rollups, and the narrative written from them.
export { briefingFacts, HEADLINES, THEME_RANKERS, type BriefingFacts, type Kpi } from './compute.ts';
export { narrative, type Lang } from './narrative.ts';
export { hanoiToday, periodOf, type Period, type Span } from './period.ts';
export { kpiStatus, type KpiStatus } from './status.ts';
