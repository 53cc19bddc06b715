-- name: service_on_time_rate
-- title.vi: Tỷ lệ hồ sơ giải quyết đúng hạn
-- title.en: Dossiers completed on time
-- unit: %
-- window: 1d
-- partial: 15m
-- source: service
-- merge: mean
-- keys: area
-- devices: service
-- theme: services
-- direction: up
-- target: 100
-- thresholds.warn: 95
-- thresholds.alert: 90
-- description.en: Share of dossiers completed (early or) on time among those completed that day (Hanoi time), counting only dossiers with a due date.
-- description.vi: Tỷ lệ hồ sơ giải quyết trước hạn và đúng hạn trên tổng số hồ sơ đã giải quyết trong ngày (có hạn giải quyết).
SELECT $bucket AS t,
       $area AS area,
       100.0 * count(*) FILTER (WHERE ts <= due_at) / count(*) AS value,
       count(*) AS n,
       count(DISTINCT agency) AS sources,
       count(*) FILTER (WHERE $late) AS late
FROM service_events
WHERE ts >= $from AND ts < $to AND status = 'completed' AND due_at IS NOT NULL
GROUP BY $group
