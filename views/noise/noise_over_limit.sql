-- name: noise_over_limit
-- title.vi: Tỷ lệ đo vượt QCVN 26:2010
-- title.en: Noise readings over QCVN 26:2010
-- unit: %
-- window: 1h
-- source: sensor
-- merge: mean
-- keys: area
-- devices: sensor/noise
-- theme: noise
-- direction: down
-- thresholds.warn: 10
-- thresholds.alert: 25
-- description.en: Share of LAeq readings over the ordinary-area limit in force at their hour: 70 dB(A) from 06:00 to 21:00, 55 dB(A) at night (Hanoi time).
-- description.vi: Tỷ lệ số đo LAeq vượt giới hạn khu vực thông thường theo giờ: 70 dB(A) từ 6h đến 21h, 55 dB(A) ban đêm.
SELECT $bucket AS t,
       $area AS area,
       100.0 * count(*) FILTER (WHERE laeq_db > CASE WHEN hanoi_hour(ts) BETWEEN 6 AND 20 THEN 70 ELSE 55 END) / count(*) AS value,
       count(*) AS n,
       count(DISTINCT sensor_id) AS sources,
       count(*) FILTER (WHERE $late) AS late
FROM sensor_events
WHERE ts >= $from AND ts < $to AND kind = 'noise' AND laeq_db IS NOT NULL
GROUP BY $group
