-- name: network_below_40
-- title.vi: Tỷ lệ đo tốc độ di động dưới 40 Mbps
-- title.en: Mobile speed tests under 40 Mbps
-- unit: %
-- window: 1h
-- source: sensor
-- merge: mean
-- keys: area
-- devices: sensor/network
-- theme: network
-- direction: down
-- target: 0
-- thresholds.warn: 20
-- thresholds.alert: 40
-- description.en: Share of speed tests whose download was under 40 Mbps, the city's bar for mobile broadband (Kế hoạch 58/KH-UBND, 2025).
-- description.vi: Tỷ lệ lần đo có tốc độ tải xuống dưới 40 Mbps, mức tối thiểu cho băng rộng di động của thành phố (KH 58/KH-UBND năm 2025).
SELECT $bucket AS t,
       $area AS area,
       100.0 * count(*) FILTER (WHERE down_mbps < 40) / count(*) AS value,
       count(*) AS n,
       count(DISTINCT sensor_id) AS sources,
       count(*) FILTER (WHERE $late) AS late
FROM sensor_events
WHERE ts >= $from AND ts < $to AND kind = 'network' AND down_mbps IS NOT NULL
GROUP BY $group
