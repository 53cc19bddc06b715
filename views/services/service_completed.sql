-- name: service_completed
-- title.vi: Hồ sơ đã giải quyết
-- title.en: Dossiers completed
-- unit: hồ sơ
-- window: 1d
-- partial: 15m
-- source: service
-- merge: sum
-- keys: area
-- devices: service
-- theme: services
-- direction: up
-- description.en: Dossiers completed per day (Hanoi time).
-- description.vi: Số hồ sơ giải quyết xong mỗi ngày.
SELECT $bucket AS t,
       $area AS area,
       count(*)::DOUBLE AS value,
       count(*) AS n,
       count(DISTINCT agency) AS sources,
       count(*) FILTER (WHERE $late) AS late
FROM service_events
WHERE ts >= $from AND ts < $to AND status = 'completed'
GROUP BY $group
