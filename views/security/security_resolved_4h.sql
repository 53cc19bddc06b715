-- name: security_resolved_4h
-- title.vi: Tỷ lệ sự cố khắc phục trong 4 giờ
-- title.en: Incidents resolved within 4 hours
-- unit: %
-- window: 1d
-- source: security
-- merge: mean
-- keys: area
-- theme: security
-- direction: up
-- target: 100
-- thresholds.warn: 95
-- thresholds.alert: 90
-- description.en: Share of incidents resolved within 4 hours of their confirmation, or of their first report when never confirmed (Decision 6372), counted on the Hanoi day of the resolution. Each time is the earliest event of its status, whatever order the events came in; an event that moves the resolution or the confirmation re-counts the incident on its (old and new) day of resolution.
-- description.vi: Tỷ lệ sự cố được khắc phục trong vòng 4 giờ kể từ khi xác nhận (hoặc từ báo cáo đầu tiên nếu không qua bước xác nhận) (Quyết định 6372), tính theo ngày khắc phục.
SELECT time_bucket(INTERVAL '1 day', resolved_at, 'Asia/Ho_Chi_Minh') AS t,
       $area AS area,
       100.0 * count(*) FILTER (WHERE resolved_at - coalesce(confirmed_at, detected_at) <= INTERVAL 4 HOUR) / count(*) AS value,
       count(*) AS n,
       count(DISTINCT agency) AS sources
FROM security_incidents
WHERE resolved_at >= $from AND resolved_at < $to
GROUP BY $group
