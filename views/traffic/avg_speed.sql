-- name: avg_speed
-- title.vi: Tốc độ trung bình
-- title.en: Average speed
-- unit: km/h
-- window: 1m
-- source: camera
-- merge: mean
-- keys: area
-- devices: camera
-- theme: traffic
-- direction: up
-- thresholds.warn: 20
-- thresholds.alert: 15
-- description.en: Mean speed weighted by the vehicles each camera counted, so a busy road weighs more than an empty one.
-- description.vi: Tốc độ trung bình có trọng số theo số phương tiện mỗi camera đếm được.
SELECT $bucket AS t,
       $area AS area,
       coalesce(sum(avg_speed_kmh * (car + motorbike + bus + truck + bicycle)) / nullif(sum(car + motorbike + bus + truck + bicycle), 0), avg(avg_speed_kmh)) AS value,
       count(*) AS n,
       nullif(sum(car + motorbike + bus + truck + bicycle), 0)::DOUBLE AS weight,
       count(DISTINCT camera_id) AS sources,
       count(*) FILTER (WHERE $late) AS late
FROM camera_events
WHERE ts >= $from AND ts < $to AND avg_speed_kmh IS NOT NULL
GROUP BY $group
