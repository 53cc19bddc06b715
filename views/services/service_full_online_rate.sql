-- name: service_full_online_rate
-- title.vi: Tỷ lệ hồ sơ trực tuyến toàn trình
-- title.en: Dossiers of full-process online services
-- unit: %
-- window: 1d
-- partial: 15m
-- source: service
-- merge: mean
-- keys: area
-- devices: service
-- theme: services
-- direction: up
-- target: 20
-- thresholds.warn: 20
-- thresholds.alert: 10
-- description.en: Share of the day's received dossiers whose procedure is offered fully online (Decree 42/2022; Hanoi's 2025 target: at least 20 %).
-- description.vi: Tỷ lệ hồ sơ tiếp nhận thuộc dịch vụ công trực tuyến toàn trình (Nghị định 42/2022; mục tiêu 2025: tối thiểu 20 %).
SELECT $bucket AS t,
       $area AS area,
       100.0 * count(*) FILTER (WHERE level = 'full') / count(*) AS value,
       count(*) AS n,
       count(DISTINCT agency) AS sources,
       count(*) FILTER (WHERE $late) AS late
FROM service_events
WHERE ts >= $from AND ts < $to AND status = 'received' AND level IS NOT NULL
GROUP BY $group
