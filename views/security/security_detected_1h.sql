-- name: security_detected_1h
-- title.vi: Tỷ lệ sự cố phát hiện trong 1 giờ
-- title.en: Incidents detected within 1 hour
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
-- description.en: Share of incidents first reported within 1 hour of the attack's start (the earliest detectedAt any of its events gives; Decision 6372), counted on the Hanoi day of the first report, whatever its status. False positives and incidents whose start no tool gave are not counted. An event that arrives late or out of order, or a later one giving an earlier start, re-counts the incident on the day of its first report, whichever day the event itself is.
-- description.vi: Tỷ lệ sự cố được báo cáo lần đầu trong vòng 1 giờ kể từ khi cuộc tấn công bắt đầu (Quyết định 6372), tính theo ngày báo cáo đầu tiên; không tính cảnh báo nhầm và sự cố không rõ thời điểm bắt đầu.
SELECT time_bucket(INTERVAL '1 day', detected_at, 'Asia/Ho_Chi_Minh') AS t,
       $area AS area,
       100.0 * count(*) FILTER (WHERE detected_at - began_at <= INTERVAL 1 HOUR) / count(*) AS value,
       count(*) AS n,
       count(DISTINCT agency) AS sources
FROM security_incidents
WHERE detected_at >= $from AND detected_at < $to AND began_at IS NOT NULL AND status <> 'false_positive'
GROUP BY $group
