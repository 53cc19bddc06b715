-- name: security_mttr
-- title.vi: Thời gian khắc phục trung bình
-- title.en: Mean time to resolve
-- unit: giờ
-- window: 1d
-- source: security
-- merge: mean
-- keys: area
-- theme: security
-- direction: down
-- target: 4
-- thresholds.warn: 4
-- thresholds.alert: 8
-- description.en: Mean hours from an incident's first report to its resolution, over the incidents resolved that Hanoi day (weighted by incidents when days or areas are merged); an event that moves either time re-counts the incident on its day of resolution.
-- description.vi: Số giờ trung bình từ khi sự cố được báo cáo lần đầu đến khi khắc phục, trên các sự cố khắc phục trong ngày.
SELECT time_bucket(INTERVAL '1 day', resolved_at, 'Asia/Ho_Chi_Minh') AS t,
       $area AS area,
       avg(epoch(resolved_at - detected_at)) / 3600 AS value,
       count(*) AS n,
       count(DISTINCT agency) AS sources
FROM security_incidents
WHERE resolved_at >= $from AND resolved_at < $to
GROUP BY $group
