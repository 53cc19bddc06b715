// Vietnam's working-day calendar (Hanoi time): the holidays file, working-day arithmetic, and the DuckDB table.
export { DEFAULT_HOLIDAYS_FILE, HolidaysFileError, holidaySchema, parseHolidays, readHolidaysFile, type Holiday } from './holidays-file.ts';
export { loadHolidays } from './load-holidays.ts';
export {
  WorkingCalendar, addWorkingDays, defaultCalendar, isWorkingDay, loadCalendar, toEpochMs, workingDaysBetween,
  type Instant,
} from './working-days.ts';
