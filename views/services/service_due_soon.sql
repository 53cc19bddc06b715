-- name: service_due_soon
-- title.vi: Hồ sơ sắp đến hạn (2 ngày làm việc)
-- title.en: Dossiers due within 2 working days
-- unit: hồ sơ
-- window: 1d
-- source: service
-- snapshot: true
-- merge: max
-- keys: area
-- devices: service
-- theme: services
-- direction: down
-- description.en: Open dossiers (received or processing) not yet overdue whose due time is at most 2 working days away, counting working days on Vietnam's calendar (weekends, public holidays and Tết off; make-up Saturdays worked; views/_calendar/holidays.csv).
-- description.vi: Số hồ sơ đang giải quyết chưa quá hạn, còn không quá 2 ngày làm việc đến hạn (trừ thứ Bảy, Chủ nhật, ngày lễ, Tết; tính ngày làm bù).
SELECT time_bucket(INTERVAL '1 day', now(), 'Asia/Ho_Chi_Minh') AS t,
       $area AS area,
       count(*) FILTER (WHERE due_at >= now() AND working_days_between(now(), due_at) <= 2)::DOUBLE AS value,
       count(*) AS n,
       count(DISTINCT agency) AS sources
FROM dossiers
WHERE status IN ('received', 'processing')
  AND time_bucket(INTERVAL '1 day', now(), 'Asia/Ho_Chi_Minh') >= $from AND time_bucket(INTERVAL '1 day', now(), 'Asia/Ho_Chi_Minh') < $to
-- The empty grouping set, not (t), gives the city-wide row even when no dossier is open.
GROUP BY GROUPING SETS ((area), ())
