-- Hanoi time (UTC+7 all year, no daylight saving) by integer arithmetic: the same answers as converting through the
-- time-zone database, many times faster on millions of rows. 25 200 000 ms = 7 h.
--
--   hanoi_date(t TIMESTAMPTZ) → DATE      the Hanoi calendar day of t
--   hanoi_hour(t TIMESTAMPTZ) → BIGINT    the Hanoi hour of day (0–23)

CREATE OR REPLACE MACRO hanoi_date(t) AS (DATE '1970-01-01' + ((epoch_ms(t) + 25200000) // 86400000)::INTEGER);

CREATE OR REPLACE MACRO hanoi_hour(t) AS (((epoch_ms(t) + 25200000) // 3600000) % 24);
