// SQL helpers: literals where parameters cannot go, parameters for instants and lists, Hanoi time as SQL
// expressions, and the merge rules of indicators.
export { sqlString, timestampLiteral } from './literals.ts';
export { Bindings, inStringsSql, instantSql, jsonRowsSql, rowsParam, stringsParam, timestampParam } from './params.ts';
export { hanoiDateOfMsSql, hanoiDateSql, hanoiHourSql, hanoiWindowStartMsSql, hanoiWindowStartSql } from './hanoi.ts';
export { MERGES, mergedValueSql, mergedWeightSql } from './merge.ts';
export {
  DAY_MS,
  HANOI_OFFSET_MS,
  HOUR_MS,
  hanoiDate,
  hanoiDateStart,
  hanoiDay,
  hanoiHour,
  hanoiIso,
  hanoiMidnight,
  hanoiMsOfDay,
  hanoiWindowStart,
} from '../../dashboards/shared/wire/hanoi-time.ts';
