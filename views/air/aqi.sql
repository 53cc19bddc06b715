-- name: aqi
-- title.vi: Chỉ số chất lượng không khí VN_AQI (giờ)
-- title.en: Air quality index VN_AQI (hourly)
-- unit: VN_AQI
-- window: 1h
-- source: sensor
-- merge: max
-- lookback: 11h
-- keys: area
-- devices: sensor/air
-- theme: air
-- scale: vn_aqi
-- direction: down
-- thresholds.warn: 101
-- thresholds.alert: 151
-- description.en: Hourly VN_AQI (Decision 1459/QĐ-TCMT): PM2.5 and PM10 through the NowCast of the last 12 hourly means, NO2, O3 (1 h), SO2 and CO through the hour's mean; the index is the highest sub-index, only when PM2.5 or PM10 is measured. 101 is 'Kém' (poor), 151 'Xấu' (bad). Computed from the area's mean concentrations.
-- description.vi: VN_AQI giờ (Quyết định 1459/QĐ-TCMT): PM2.5, PM10 theo NowCast 12 giờ; NO2, O3 (1 giờ), SO2, CO theo trung bình giờ; chỉ số là giá trị lớn nhất của các chỉ số thành phần, chỉ khi có PM2.5 hoặc PM10. 101 là mức Kém, 151 là Xấu.
WITH hourly AS (
  SELECT $bucket AS t,
         $area AS area,
         avg(pm25) AS pm25, avg(pm10) AS pm10, avg(no2) AS no2, avg(o3) AS o3, avg(so2) AS so2, avg(co) AS co,
         count(*) AS n, count(DISTINCT sensor_id) AS sources, count(*) FILTER (WHERE $late) AS late
  FROM sensor_events
  WHERE kind = 'air' AND ts >= $from - INTERVAL 11 HOUR AND ts < $to
  GROUP BY $group
),
-- Each hour of the range with the 12 hours ending at it; c1 is the hour itself, a missing hour stays NULL.
recent AS (
  SELECT w.t AS t, w.area, any_value(w.no2) AS no2, any_value(w.o3) AS o3, any_value(w.so2) AS so2, any_value(w.co) AS co,
         any_value(w.n) AS n, any_value(w.sources) AS sources, any_value(w.late) AS late,
         list(struct_pack(k := (epoch_ms(w.t) - epoch_ms(x.t)) // 3600000, pm25 := x.pm25, pm10 := x.pm10)) AS past
  FROM hourly w JOIN hourly x ON x.area = w.area AND x.t > w.t - INTERVAL 12 HOUR AND x.t <= w.t
  WHERE w.t >= $from AND w.t < $to
  GROUP BY w.t, w.area
),
nowcast AS (
  SELECT *,
         vn_nowcast(list_transform(range(12), i -> list_filter(past, p -> p.k = i)[1].pm25)) AS nc25,
         vn_nowcast(list_transform(range(12), i -> list_filter(past, p -> p.k = i)[1].pm10)) AS nc10
  FROM recent
)
SELECT t, area,
       CASE WHEN nc25 IS NULL AND nc10 IS NULL THEN NULL
            ELSE round(greatest(vn_aqi_sub('pm25', nc25), vn_aqi_sub('pm10', nc10), vn_aqi_sub('no2', no2),
                                vn_aqi_sub('o3_1h', o3), vn_aqi_sub('so2', so2), vn_aqi_sub('co', co))) END AS value,
       n, sources, late
FROM nowcast
