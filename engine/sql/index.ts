// SQL helpers: literals where parameters cannot go, Hanoi time as SQL expressions, and the merge rules of indicators.
export { sqlString, timestampLiteral } from './literals.ts';
export { hanoiDateSql, hanoiHourSql, hanoiWindowStartMsSql, hanoiWindowStartSql } from './hanoi.ts';
export { MERGES, mergedValueSql, mergedWeightSql, type Merge } from './merge.ts';
export { DAY_MS, HANOI_OFFSET_MS, HOUR_MS, hanoiDate, hanoiDateStart, hanoiDay, hanoiHour, hanoiIso, hanoiMidnight, hanoiMsOfDay, hanoiWindowStart } from '../../dashboards/shared/wire/hanoi-time.ts';
