-- name: feedback_reopen_rate
-- title.vi: Tỷ lệ phản ánh bị mở lại
-- title.en: Citizens' reports reopened
-- unit: %
-- window: 1d
-- source: feedback
-- merge: mean
-- keys: area
-- theme: feedback
-- direction: down
-- target: 0
-- thresholds.warn: 10
-- thresholds.alert: 20
-- description.en: Reopenings per 100 resolutions in the day (Hanoi time): a citizen who finds the problem still there reopens the report. Each event counts once, however often it was sent.
-- description.vi: Số lần phản ánh bị người dân mở lại trên 100 lần giải quyết trong ngày; mỗi sự kiện chỉ tính một lần dù gửi nhiều lần.
-- Weighted by the resolutions, so the day's rate from its parts is reopenings over resolutions, not a mean of rates.
SELECT $bucket AS t,
       $area AS area,
       100.0 * count(DISTINCT id) FILTER (WHERE status = 'reopened')
         / nullif(count(DISTINCT id) FILTER (WHERE status = 'resolved'), 0) AS value,
       count(DISTINCT id) AS n,
       count(DISTINCT id) FILTER (WHERE status = 'resolved') AS weight,
       count(DISTINCT channel) AS sources,
       count(*) FILTER (WHERE $late) AS late
FROM feedback_events
WHERE ts >= $from AND ts < $to AND status IN ('resolved', 'reopened')
GROUP BY $group
