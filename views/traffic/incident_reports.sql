-- name: incident_reports
-- title.vi: Báo cáo sự cố từ camera
-- title.en: Incident reports from cameras
-- unit: sự cố
-- window: 5m
-- source: camera
-- merge: sum
-- keys: area
-- devices: camera
-- theme: traffic
-- direction: down
-- description.en: Cameras that reported an incident (accident, congestion, flooding, fire, crowd, wrong way, stopped vehicle) in each 5 minutes.
-- description.vi: Số camera báo sự cố (tai nạn, ùn tắc, ngập, cháy, đám đông, đi ngược chiều, xe dừng) trong mỗi 5 phút.
SELECT $bucket AS t,
       $area AS area,
       count(DISTINCT camera_id) FILTER (WHERE incident_type IS NOT NULL)::DOUBLE AS value,
       count(*) AS n,
       count(DISTINCT camera_id) AS sources,
       count(*) FILTER (WHERE $late) AS late
FROM camera_events
WHERE ts >= $from AND ts < $to
GROUP BY $group
