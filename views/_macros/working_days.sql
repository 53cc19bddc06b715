-- Working days of Vietnam's state agencies (dossier deadlines count them): Monday to Friday, minus the days off
-- and plus the make-up Saturdays listed in the `holidays` table, which the engine fills from
-- views/_calendar/holidays.csv at start-up (engine/calendar loadHolidays). Days are Hanoi days (UTC+7, no DST).
-- engine/calendar/working-days.ts is the TypeScript twin; test/calendar checks that both agree.
--
--   is_working_day(d DATE) → BOOLEAN
--   working_days_between(a TIMESTAMPTZ, b TIMESTAMPTZ) → DOUBLE
--       working time from a to b in days: each working day counts 1 from midnight to midnight, a partial day
--       its elapsed fraction; negative when b is before a. floor() of it gives whole working days.
--   add_working_days(t TIMESTAMPTZ, n INTEGER) → TIMESTAMPTZ
--       the earliest instant with working_days_between(t, ·) = n (n ≥ 0): from inside a working day, the same
--       time of day n working days later; from a day off or from midnight, the end (next midnight) of the n-th
--       working day counted.
--
-- DuckDB checks a macro's tables and called macros when the macro is created: the table comes first, then each
-- macro after the ones it calls. The table may be filled before or after this file runs.

CREATE TABLE IF NOT EXISTS holidays (
  date DATE PRIMARY KEY,
  name_vi VARCHAR NOT NULL,
  name_en VARCHAR NOT NULL,
  kind VARCHAR NOT NULL CHECK (kind IN ('off', 'work')),
  basis VARCHAR NOT NULL
);

-- Day numbers: whole days since 1970-01-01 in Hanoi time. 25 200 000 ms = 7 h; 86 400 000 ms = 1 day.
CREATE OR REPLACE MACRO hanoi_day_number(t) AS floor((epoch_ms(t) + 25200000) / 86400000)::BIGINT;

CREATE OR REPLACE MACRO hanoi_ms_of_day(t) AS epoch_ms(t) + 25200000 - hanoi_day_number(t) * 86400000;

-- Mondays to Fridays in the day numbers before x, counted from Monday 1970-01-05 (day 4).
CREATE OR REPLACE MACRO wd_weekdays_before(x) AS
  5 * floor((x - 4) / 7)::BIGINT + least((x - 4) - 7 * floor((x - 4) / 7)::BIGINT, 5);

-- The exceptions as day-number lists, read once per query (uncorrelated): weekdays off, and weekend days worked.
CREATE OR REPLACE MACRO wd_weekdays_off() AS
  (SELECT coalesce(list(date - DATE '1970-01-01'), []) FROM holidays WHERE kind = 'off' AND isodow(date) <= 5);

CREATE OR REPLACE MACRO wd_weekends_worked() AS
  (SELECT coalesce(list(date - DATE '1970-01-01'), []) FROM holidays WHERE kind = 'work' AND isodow(date) >= 6);

-- Working days among the day numbers [x, y), x ≤ y.
CREATE OR REPLACE MACRO wd_count(x, y) AS
  wd_weekdays_before(y) - wd_weekdays_before(x)
  - len(list_filter(wd_weekdays_off(), lambda h: h >= x AND h < y))
  + len(list_filter(wd_weekends_worked(), lambda h: h >= x AND h < y));

-- Whether day number x is a working day (as wd_count(x, x + 1) = 1, without the range scans).
CREATE OR REPLACE MACRO wd_is_working(x) AS CASE
  WHEN ((x - 4) % 7 + 7) % 7 >= 5 THEN list_contains(wd_weekends_worked(), x)
  ELSE NOT list_contains(wd_weekdays_off(), x)
END;

CREATE OR REPLACE MACRO is_working_day(d DATE) AS wd_is_working(d - DATE '1970-01-01');

-- a ≤ b: the whole days [day(a), day(b)), minus the part of a's day before a, plus the part of b's day before b.
-- Integer milliseconds first and one division last, so whole working days come out exact.
CREATE OR REPLACE MACRO wd_between(a, b) AS (
  wd_count(hanoi_day_number(a), hanoi_day_number(b)) * 86400000
  + CASE WHEN wd_is_working(hanoi_day_number(b)) THEN hanoi_ms_of_day(b) ELSE 0 END
  - CASE WHEN wd_is_working(hanoi_day_number(a)) THEN hanoi_ms_of_day(a) ELSE 0 END
) / 86400000;

CREATE OR REPLACE MACRO working_days_between(a TIMESTAMPTZ, b TIMESTAMPTZ) AS
  CASE WHEN a <= b THEN wd_between(a, b) ELSE -wd_between(b, a) END;

-- The n-th working day after day number x (n ≥ 1). 2n + 30 calendar days always hold n working days: weekends
-- take 2 of every 7 days, weekdays off are about a dozen a year, and the longest run of them (Tết) is one week.
CREATE OR REPLACE MACRO wd_nth_after(x, n) AS (
  SELECT list(d ORDER BY d) FROM (SELECT unnest(range(x + 1, x + 2 * n + 31)) AS d) WHERE wd_is_working(d)
)[n];

-- Inside a working day: the same time of day on the n-th working day after it. On a day off, or at midnight
-- (the end of the day before), the end of the n-th working day after the last day already over.
CREATE OR REPLACE MACRO wd_add(t, x, n) AS CASE
  WHEN hanoi_ms_of_day(t) > 0 AND wd_is_working(x) THEN t + to_milliseconds((wd_nth_after(x, n) - x) * 86400000)
  ELSE t + to_milliseconds((wd_nth_after(x - CASE WHEN hanoi_ms_of_day(t) = 0 THEN 1 ELSE 0 END, n) + 1 - x) * 86400000
    - hanoi_ms_of_day(t))
END;

CREATE OR REPLACE MACRO add_working_days(t TIMESTAMPTZ, n INTEGER) AS CASE
  WHEN n IS NULL OR t IS NULL THEN NULL
  WHEN n < 0 THEN error('add_working_days: n must be 0 or more, got ' || n)
  WHEN n = 0 THEN t
  ELSE wd_add(t, hanoi_day_number(t), n)
END;
