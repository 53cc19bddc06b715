-- name: security_open_critical
-- title.vi: Sự cố an toàn thông tin nghiêm trọng đang mở
-- title.en: Open critical cyber-security incidents
-- unit: sự cố
-- window: 1d
-- source: security
-- snapshot: true
-- merge: max
-- keys: area
-- theme: security
-- direction: down
-- target: 0
-- thresholds.warn: 1
-- thresholds.alert: 3
-- description.en: Open incidents (not resolved, not false positives) whose severity is critical, as of now; n is every open incident of the area, so the share of critical ones reads as value / n. The severity is the newest event's (a tool may raise or lower it).
-- description.vi: Số sự cố đang mở có mức độ nghiêm trọng (critical) tính đến hiện tại; n là tổng số sự cố đang mở của khu vực.
SELECT time_bucket(INTERVAL '1 day', now(), 'Asia/Ho_Chi_Minh') AS t,
       $area AS area,
       count(*) FILTER (WHERE severity = 'critical')::DOUBLE AS value,
       count(*) AS n,
       count(DISTINCT agency) AS sources
FROM security_incidents
WHERE status NOT IN ('resolved', 'false_positive')
  AND time_bucket(INTERVAL '1 day', now(), 'Asia/Ho_Chi_Minh') >= $from AND time_bucket(INTERVAL '1 day', now(), 'Asia/Ho_Chi_Minh') < $to
GROUP BY GROUPING SETS ((area), ())
