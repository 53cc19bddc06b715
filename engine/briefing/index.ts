// The leaders' briefing: a day's or a week's facts from the rollups, the narrative written from them, its PDF and
// the morning email that carries it.
export { hanoiToday } from './period.ts';
export { assembleBriefing } from './assemble.ts';
export { renderBriefingPdf, briefingPdfName } from './pdf.ts';
export { startBriefingSchedule, nextBriefingAt, type ScheduleClock } from './schedule.ts';
