-- name: rainfall_max
-- title.vi: Lượng mưa giờ cao nhất
-- title.en: Highest hourly rainfall
-- unit: mm/giờ
-- window: 5m
-- source: sensor
-- merge: max
-- keys: area
-- devices: sensor/weather
-- theme: water
-- direction: down
-- thresholds.warn: 30
-- thresholds.alert: 50
-- description.en: Highest rain of the last hour reported by the area's weather and water sensors; Hanoi's streets flood at 50–100 mm in two hours.
-- description.vi: Lượng mưa giờ cao nhất do các trạm thời tiết và cảm biến ngập báo về; đường phố Hà Nội ngập khi mưa 50–100 mm trong 2 giờ.
SELECT $bucket AS t,
       $area AS area,
       max(rainfall_mm) AS value,
       count(*) AS n,
       count(DISTINCT sensor_id) AS sources,
       count(*) FILTER (WHERE $late) AS late
FROM sensor_events
WHERE ts >= $from AND ts < $to AND kind IN ('weather', 'water') AND rainfall_mm IS NOT NULL
GROUP BY $group
