-- name: water_level_max
-- title.vi: Mực nước cao nhất
-- title.en: Highest water level
-- unit: cm
-- window: 5m
-- source: sensor
-- keys: area
-- theme: water
-- direction: down
-- thresholds.warn: 30
-- thresholds.alert: 50
-- description.en: Highest water level reported by the area's water sensors in each 5 minutes.
-- description.vi: Mực nước cao nhất do các cảm biến nước của khu vực báo về trong mỗi 5 phút.
SELECT time_bucket(INTERVAL '5 minutes', ts) AS t,
       CASE WHEN grouping(area) = 1 THEN 'hanoi' ELSE coalesce(area, 'unassigned') END AS area,
       max(water_level_cm) AS value,
       count(*) AS n
FROM sensor_events
WHERE ts >= $from AND ts < $to AND kind = 'water' AND water_level_cm IS NOT NULL
GROUP BY GROUPING SETS ((time_bucket(INTERVAL '5 minutes', ts), area), (time_bucket(INTERVAL '5 minutes', ts)))
