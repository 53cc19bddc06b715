-- name: service_overdue
-- title.vi: Hồ sơ đang quá hạn
-- title.en: Open dossiers past due
-- unit: hồ sơ
-- window: 1d
-- source: service
-- snapshot: true
-- merge: max
-- keys: area
-- devices: service
-- theme: services
-- direction: down
-- target: 0
-- thresholds.warn: 1
-- thresholds.alert: 10
-- description.en: Dossiers still open (received or processing) whose due date has passed, as of now; a dossier waiting for the applicant's supplement is not counted, its clock being stopped. Today's row moves through the day; each past day keeps the count it ended with.
-- description.vi: Số hồ sơ đang giải quyết (đã tiếp nhận hoặc đang xử lý) đã quá hạn tính đến hiện tại; hồ sơ đang chờ bổ sung không tính vì thời hạn tạm dừng.
SELECT time_bucket(INTERVAL '1 day', now(), 'Asia/Ho_Chi_Minh') AS t,
       $area AS area,
       count(*) FILTER (WHERE due_at < now() AND status <> 'supplement_requested')::DOUBLE AS value,
       count(*) AS n,
       count(DISTINCT agency) AS sources
FROM dossiers
WHERE status IN ('received', 'processing', 'supplement_requested')
  AND time_bucket(INTERVAL '1 day', now(), 'Asia/Ho_Chi_Minh') >= $from AND time_bucket(INTERVAL '1 day', now(), 'Asia/Ho_Chi_Minh') < $to
-- The empty grouping set, not (t), gives the city-wide row even when no dossier is open.
GROUP BY GROUPING SETS ((area), ())
