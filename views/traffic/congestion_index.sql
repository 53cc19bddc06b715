-- name: congestion_index
-- title.vi: Chỉ số ùn tắc
-- title.en: Congestion index
-- unit: %
-- window: 5m
-- source: camera
-- merge: mean
-- keys: area
-- devices: camera
-- theme: traffic
-- direction: down
-- thresholds.warn: 20
-- thresholds.alert: 40
-- description.en: Share of the area's reporting cameras that saw an average speed under 15 km/h or an occupancy over 0.7.
-- description.vi: Tỷ lệ camera báo tốc độ trung bình dưới 15 km/h hoặc độ chiếm dụng trên 0,7.
SELECT $bucket AS t,
       $area AS area,
       100.0 * count(DISTINCT camera_id) FILTER (WHERE avg_speed_kmh < 15 OR occupancy > 0.7) / count(DISTINCT camera_id) AS value,
       count(*) AS n,
       count(DISTINCT camera_id)::DOUBLE AS weight,
       count(DISTINCT camera_id) AS sources,
       count(*) FILTER (WHERE $late) AS late
FROM camera_events
WHERE ts >= $from AND ts < $to
GROUP BY $group
