-- name: service_online_payment_rate
-- title.vi: Tỷ lệ thanh toán trực tuyến
-- title.en: Dossiers paid online
-- unit: %
-- window: 1d
-- partial: 15m
-- source: service
-- merge: mean
-- keys: area
-- devices: service
-- theme: services
-- direction: up
-- description.en: Share of the day's completed dossiers with a fee whose fee was paid online.
-- description.vi: Tỷ lệ hồ sơ có phí, lệ phí được thanh toán trực tuyến trong số hồ sơ giải quyết xong trong ngày.
SELECT $bucket AS t,
       $area AS area,
       100.0 * count(*) FILTER (WHERE online_payment) / count(*) AS value,
       count(*) AS n,
       count(DISTINCT agency) AS sources,
       count(*) FILTER (WHERE $late) AS late
FROM service_events
WHERE ts >= $from AND ts < $to AND status = 'completed' AND online_payment IS NOT NULL
GROUP BY $group
