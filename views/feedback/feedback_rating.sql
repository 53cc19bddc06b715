-- name: feedback_rating
-- title.vi: Mức hài lòng của người dân
-- title.en: Citizens' satisfaction rating
-- unit: điểm
-- window: 1d
-- source: feedback
-- merge: mean
-- keys: area
-- theme: feedback
-- direction: up
-- target: 5
-- thresholds.warn: 3.5
-- thresholds.alert: 3
-- description.en: Mean rating (1 to 5) citizens gave their resolved reports that day (Hanoi time).
-- description.vi: Điểm đánh giá trung bình (1 đến 5) người dân chấm cho phản ánh đã được giải quyết trong ngày.
SELECT $bucket AS t,
       $area AS area,
       avg(rating) AS value,
       count(*) AS n,
       count(DISTINCT channel) AS sources,
       count(*) FILTER (WHERE $late) AS late
FROM feedback_events
WHERE ts >= $from AND ts < $to AND rating IS NOT NULL
GROUP BY $group
