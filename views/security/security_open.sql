-- name: security_open
-- title.vi: Sự cố an toàn thông tin đang mở
-- title.en: Open cyber-security incidents
-- unit: sự cố
-- window: 1d
-- source: security
-- snapshot: true
-- merge: max
-- keys: area
-- theme: security
-- direction: down
-- target: 0
-- thresholds.warn: 5
-- thresholds.alert: 15
-- description.en: Incidents reported by the SOC tools and not yet resolved or closed as false positives, as of now, by the area of the system hit (unassigned when the tool names none); sources are the agencies hit. Each incident's status is its newest event's, whatever order the events came in. Today's row moves through the day; each past day keeps the count it ended with.
-- description.vi: Số sự cố an toàn thông tin chưa xử lý xong (chưa khắc phục, không phải cảnh báo nhầm) tính đến hiện tại, theo khu vực của hệ thống bị tấn công; nguồn là số cơ quan bị ảnh hưởng.
SELECT time_bucket(INTERVAL '1 day', now(), 'Asia/Ho_Chi_Minh') AS t,
       $area AS area,
       count(*)::DOUBLE AS value,
       count(*) AS n,
       count(DISTINCT agency) AS sources
FROM security_incidents
WHERE status NOT IN ('resolved', 'false_positive')
  AND time_bucket(INTERVAL '1 day', now(), 'Asia/Ho_Chi_Minh') >= $from AND time_bucket(INTERVAL '1 day', now(), 'Asia/Ho_Chi_Minh') < $to
-- The empty grouping set, not (t), gives the city-wide row even when no incident is open.
GROUP BY GROUPING SETS ((area), ())
