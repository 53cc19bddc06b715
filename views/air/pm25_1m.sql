-- name: pm25_1m
-- title.vi: Bụi mịn PM2.5 (trung bình phút)
-- title.en: PM2.5 (per-minute mean)
-- unit: µg/m³
-- window: 1m
-- source: sensor
-- merge: mean
-- keys: area
-- devices: sensor/air
-- theme: air
-- direction: down
-- thresholds.warn: 50
-- thresholds.alert: 80
-- description.en: Per-minute mean of PM2.5 readings: the base of the rolling 60-minute PM2.5.
-- description.vi: Trung bình mỗi phút của PM2.5: cơ sở của PM2.5 trượt 60 phút.
SELECT $bucket AS t,
       $area AS area,
       avg(pm25) AS value,
       count(*) AS n,
       count(DISTINCT sensor_id) AS sources,
       count(*) FILTER (WHERE $late) AS late
FROM sensor_events
WHERE ts >= $from AND ts < $to AND kind = 'air' AND pm25 IS NOT NULL
GROUP BY $group
