-- name: service_received
-- title.vi: Hồ sơ tiếp nhận
-- title.en: Dossiers received
-- unit: hồ sơ
-- window: 1d
-- partial: 15m
-- source: service
-- merge: sum
-- keys: area
-- devices: service
-- theme: services
-- direction: neutral
-- description.en: Dossiers received per day (Hanoi time), all channels.
-- description.vi: Số hồ sơ tiếp nhận mỗi ngày, mọi kênh.
SELECT $bucket AS t,
       $area AS area,
       count(*)::DOUBLE AS value,
       count(*) AS n,
       count(DISTINCT agency) AS sources,
       count(*) FILTER (WHERE $late) AS late
FROM service_events
WHERE ts >= $from AND ts < $to AND status = 'received'
GROUP BY $group
