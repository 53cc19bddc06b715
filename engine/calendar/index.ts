// Vietnam's working-day calendar (Hanoi time): the holidays file, working-day arithmetic, and the DuckDB table.
export { HolidaysFileError, parseHolidays, readHolidaysFile, type Holiday } from './holidays-file.ts';
export { loadHolidays } from './load-holidays.ts';
export {
  WorkingCalendar,
  addWorkingDays,
  defaultCalendar,
  isWorkingDay,
  loadCalendar,
  toEpochMs,
  workingDaysBetween,
} from './working-days.ts';
