-- name: traffic_flow
-- title.vi: Lưu lượng phương tiện
-- title.en: Traffic flow
-- unit: xe/phút
-- window: 1m
-- source: camera
-- merge: sum
-- keys: area
-- devices: camera
-- theme: traffic
-- direction: neutral
-- description.en: Vehicles counted per minute (car + motorbike + bus + truck + bicycle), summed over the area's cameras.
-- description.vi: Số phương tiện đếm được mỗi phút (ô tô, xe máy, xe buýt, xe tải, xe đạp), cộng trên các camera của khu vực.
SELECT $bucket AS t,
       $area AS area,
       sum(car + motorbike + bus + truck + bicycle)::DOUBLE AS value,
       count(*) AS n,
       count(DISTINCT camera_id) AS sources,
       count(*) FILTER (WHERE $late) AS late
FROM camera_events
WHERE ts >= $from AND ts < $to
GROUP BY $group
