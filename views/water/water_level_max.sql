-- name: water_level_max
-- title.vi: Mực nước ngập cao nhất
-- title.en: Highest flood depth
-- unit: cm
-- window: 5m
-- source: sensor
-- merge: max
-- keys: area
-- devices: sensor/water
-- theme: water
-- direction: down
-- thresholds.warn: 30
-- thresholds.alert: 50
-- description.en: Deepest water on the road reported by the area's flood sensors in each 5 minutes; 30 cm stalls motorbikes.
-- description.vi: Độ sâu ngập lớn nhất do các cảm biến ngập của khu vực báo về trong mỗi 5 phút; 30 cm làm chết máy xe máy.
SELECT $bucket AS t,
       $area AS area,
       max(water_level_cm) AS value,
       count(*) AS n,
       count(DISTINCT sensor_id) AS sources,
       count(*) FILTER (WHERE $late) AS late
FROM sensor_events
WHERE ts >= $from AND ts < $to AND kind = 'water' AND water_level_cm IS NOT NULL
GROUP BY $group
