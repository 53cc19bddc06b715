-- name: flood_alert
-- title.vi: Cảm biến báo ngập vượt ngưỡng
-- title.en: Flood sensors over their alert level
-- unit: cảm biến
-- window: 5m
-- source: sensor
-- merge: max
-- keys: area
-- devices: sensor/water
-- theme: water
-- direction: down
-- target: 0
-- thresholds.warn: 1
-- thresholds.alert: 3
-- description.en: Water sensors whose highest level in the 5 minutes reached their own alert level (views/_tables/water_thresholds.csv: per sensor, or the '*' default of 50 cm).
-- description.vi: Số cảm biến ngập có mực nước cao nhất trong 5 phút đạt ngưỡng báo động riêng của cảm biến (mặc định 50 cm).
WITH levels AS (
  SELECT $bucket AS t, area, sensor_id, max(water_level_cm) AS level, count(*) AS n, count(*) FILTER (WHERE $late) AS late
  FROM sensor_events
  WHERE ts >= $from AND ts < $to AND kind = 'water' AND water_level_cm IS NOT NULL
  GROUP BY ALL
)
SELECT l.t,
       $area AS area,
       count(*) FILTER (WHERE l.level >= coalesce(s.alert_cm, d.alert_cm, 50))::DOUBLE AS value,
       sum(l.n) AS n,
       count(DISTINCT l.sensor_id) AS sources,
       sum(l.late) AS late
FROM levels l
LEFT JOIN water_thresholds s ON s.sensor_id = l.sensor_id
LEFT JOIN (SELECT alert_cm FROM water_thresholds WHERE sensor_id = '*') d ON true
GROUP BY $group
