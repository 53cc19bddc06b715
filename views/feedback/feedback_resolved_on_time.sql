-- name: feedback_resolved_on_time
-- title.vi: Tỷ lệ phản ánh giải quyết đúng hạn
-- title.en: Citizens' reports resolved on time
-- unit: %
-- window: 1d
-- source: feedback
-- merge: mean
-- keys: area
-- theme: feedback
-- direction: up
-- target: 100
-- thresholds.warn: 90
-- thresholds.alert: 80
-- description.en: Share of the day's resolutions (Hanoi time) made by the report's due time; the due time is the resolution event's own, else the one its report was given. Reports without a due time are not counted.
-- description.vi: Tỷ lệ phản ánh được giải quyết trong hạn trên tổng số phản ánh giải quyết trong ngày; hạn lấy từ sự kiện giải quyết, nếu không có thì từ hạn đã giao của phản ánh. Phản ánh không có hạn không tính.
-- The due time is usually set at assignment, not repeated on the resolution: the folded report remembers it.
WITH resolved AS (
  SELECT $bucket AS t, area, id, channel, $late AS late,
         ts <= coalesce(due_at, (SELECT r.due_at FROM feedback_reports r WHERE r.report_id = feedback_events.report_id)) AS on_time
  FROM feedback_events
  WHERE ts >= $from AND ts < $to AND status = 'resolved'
)
SELECT t,
       $area AS area,
       100.0 * count(DISTINCT id) FILTER (WHERE on_time) / count(DISTINCT id) AS value,
       count(DISTINCT id) AS n,
       count(DISTINCT channel) AS sources,
       count(*) FILTER (WHERE late) AS late
FROM resolved
WHERE on_time IS NOT NULL
GROUP BY $group
