-- name: noise_laeq
-- title.vi: Mức ồn tương đương (LAeq giờ)
-- title.en: Noise level (hourly LAeq)
-- unit: dB(A)
-- window: 1h
-- source: sensor
-- merge: max
-- keys: area
-- devices: sensor/noise
-- theme: noise
-- direction: down
-- thresholds.warn: 65
-- thresholds.alert: 70
-- description.en: Energy mean of the hour's LAeq readings (10·log10 of the mean of 10^(L/10)); QCVN 26:2010 allows 70 dB(A) by day and 55 at night in ordinary areas.
-- description.vi: Trung bình năng lượng của các giá trị LAeq trong giờ; QCVN 26:2010: 70 dB(A) ban ngày, 55 dB(A) ban đêm (khu vực thông thường).
SELECT $bucket AS t,
       $area AS area,
       10 * log10(avg(pow(10, laeq_db / 10))) AS value,
       count(*) AS n,
       count(DISTINCT sensor_id) AS sources,
       count(*) FILTER (WHERE $late) AS late
FROM sensor_events
WHERE ts >= $from AND ts < $to AND kind = 'noise' AND laeq_db IS NOT NULL
GROUP BY $group
