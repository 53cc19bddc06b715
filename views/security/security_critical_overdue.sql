-- name: security_critical_overdue
-- title.vi: Sự cố nghiêm trọng quá 4 giờ chưa khắc phục
-- title.en: Critical incidents unresolved past 4 hours
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
-- thresholds.alert: 1
-- description.en: Open critical incidents more than 4 hours past their confirmation, or past their first report when never confirmed (Decision 6372: resolve within 4 h), as of now; n is every open critical incident. What the rule security_critical_unresolved watches.
-- description.vi: Số sự cố nghiêm trọng đang mở đã quá 4 giờ kể từ khi xác nhận (hoặc từ báo cáo đầu tiên nếu chưa xác nhận) mà chưa khắc phục (Quyết định 6372); n là tổng số sự cố nghiêm trọng đang mở.
SELECT time_bucket(INTERVAL '1 day', now(), 'Asia/Ho_Chi_Minh') AS t,
       $area AS area,
       count(*) FILTER (WHERE coalesce(confirmed_at, detected_at) + INTERVAL 4 HOUR < now())::DOUBLE AS value,
       count(*) AS n,
       count(DISTINCT agency) AS sources
FROM security_incidents
WHERE status NOT IN ('resolved', 'false_positive') AND severity = 'critical'
  AND time_bucket(INTERVAL '1 day', now(), 'Asia/Ho_Chi_Minh') >= $from AND time_bucket(INTERVAL '1 day', now(), 'Asia/Ho_Chi_Minh') < $to
GROUP BY GROUPING SETS ((area), ())
