-- name: feedback_backlog
-- title.vi: Phản ánh chưa xử lý xong
-- title.en: Citizens' reports open
-- unit: phản ánh
-- window: 1d
-- source: feedback
-- snapshot: true
-- merge: max
-- keys: area
-- theme: feedback
-- direction: down
-- description.en: Citizens' reports not yet resolved or rejected, as of now, whatever day they came in (a reopened report is open again); every ward has a row, 0 when nothing is open there. Today's row moves through the day; each past day keeps the count it ended with.
-- description.vi: Số phản ánh chưa được giải quyết hoặc từ chối tính đến hiện tại, bất kể ngày tiếp nhận (phản ánh bị mở lại được tính lại). Số của hôm nay thay đổi trong ngày; mỗi ngày đã qua giữ số cuối ngày.
SELECT time_bucket(INTERVAL '1 day', now(), 'Asia/Ho_Chi_Minh') AS t,
       $area AS area,
       count(r.report_id) FILTER (WHERE r.status NOT IN ('resolved', 'rejected'))::DOUBLE AS value,
       count(r.report_id) FILTER (WHERE r.status NOT IN ('resolved', 'rejected')) AS n,
       count(DISTINCT r.channel) FILTER (WHERE r.status NOT IN ('resolved', 'rejected')) AS sources
-- Every ward, and every report open or closed: a ward whose last open report closes (or moves to another ward) gets a
-- row of 0 rather than no row, which would leave the day's earlier count standing. A row per report and per ward is a
-- scan DuckDB makes in milliseconds.
FROM (SELECT code AS area FROM areas WHERE coalesce(level, 'ward') = 'ward') w
FULL JOIN feedback_reports r USING (area)
WHERE time_bucket(INTERVAL '1 day', now(), 'Asia/Ho_Chi_Minh') >= $from AND time_bucket(INTERVAL '1 day', now(), 'Asia/Ho_Chi_Minh') < $to
-- The empty grouping set, not (t), gives the city-wide row even when nothing is open.
GROUP BY GROUPING SETS ((area), ())
