-- name: feedback_received
-- title.vi: Phản ánh tiếp nhận
-- title.en: Citizens' reports received
-- unit: phản ánh
-- window: 1d
-- source: feedback
-- merge: sum
-- keys: area
-- theme: feedback
-- direction: neutral
-- description.en: Citizens' reports received per day (Hanoi time), all channels (app, hotline, web, social); a report sent twice is counted once.
-- description.vi: Số phản ánh của người dân được tiếp nhận mỗi ngày, mọi kênh (ứng dụng, đường dây nóng, cổng thông tin, mạng xã hội); một phản ánh gửi hai lần chỉ tính một.
SELECT $bucket AS t,
       $area AS area,
       count(DISTINCT report_id)::DOUBLE AS value,
       count(*) AS n,
       count(DISTINCT channel) AS sources,
       count(*) FILTER (WHERE $late) AS late
FROM feedback_events
WHERE ts >= $from AND ts < $to AND status = 'received'
GROUP BY $group
