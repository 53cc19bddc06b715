-- name: service_online_rate
-- title.vi: Tỷ lệ hồ sơ nộp trực tuyến
-- title.en: Dossiers submitted online
-- unit: %
-- window: 1d
-- partial: 15m
-- source: service
-- merge: mean
-- keys: area
-- devices: service
-- theme: services
-- direction: up
-- target: 60
-- thresholds.warn: 60
-- thresholds.alert: 40
-- description.en: Share of the day's received dossiers that were submitted online (Hanoi's 2025 target for communes and wards: at least 60 %).
-- description.vi: Tỷ lệ hồ sơ tiếp nhận trong ngày được nộp trực tuyến (mục tiêu 2025 cấp xã: tối thiểu 60 %).
SELECT $bucket AS t,
       $area AS area,
       100.0 * count(*) FILTER (WHERE channel = 'online') / count(*) AS value,
       count(*) AS n,
       count(DISTINCT agency) AS sources,
       count(*) FILTER (WHERE $late) AS late
FROM service_events
WHERE ts >= $from AND ts < $to AND status = 'received'
GROUP BY $group
