-- name: pm25
-- title.vi: Bụi mịn PM2.5 (trung bình giờ)
-- title.en: PM2.5 (hourly mean)
-- unit: µg/m³
-- window: 1h
-- source: sensor
-- merge: mean
-- keys: area
-- devices: sensor/air
-- theme: air
-- direction: down
-- thresholds.warn: 50
-- thresholds.alert: 80
-- description.en: Hourly mean of PM2.5 readings of the area's air sensors; 50 and 80 µg/m³ are the VN_AQI 100 and 150 breakpoints.
-- description.vi: Trung bình giờ của PM2.5 từ các trạm cảm biến không khí; 50 và 80 µg/m³ là ngưỡng VN_AQI 100 và 150.
SELECT $bucket AS t,
       CASE WHEN grouping(area) = 1 THEN 'hanoi' ELSE coalesce(area, 'unassigned') END AS area,
       avg(pm25) AS value,
       count(*) AS n,
       count(DISTINCT sensor_id) AS sources,
       count(*) FILTER (WHERE $late) AS late
FROM sensor_events
WHERE ts >= $from AND ts < $to AND kind = 'air' AND pm25 IS NOT NULL
GROUP BY GROUPING SETS (($bucket, area), ($bucket))
