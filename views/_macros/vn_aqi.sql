-- VN_AQI (Decision 1459/QĐ-TCMT, 12 Nov 2019) as DuckDB macros, for views that publish air-quality indices.
-- The tables are copies of dashboards/shared/wire/vn-aqi.ts (SQL cannot import it): test/aqi/vn-aqi-macro.test.ts
-- checks every breakpoint, band, label and colour here against it, and test/aqi/vn-aqi.test.ts checks that these
-- macros and engine/aqi/vn-aqi.ts give the same numbers.
-- Every macro here uses only macros defined above it: DuckDB resolves a macro's calls when it is created.
--
--   vn_aqi_sub(pollutant VARCHAR, c DOUBLE)  sub-index AQI_x by Formula 1 (not rounded); c in µg/m³, CO too
--   vn_nowcast(vals DOUBLE[])                NowCast of the last 12 hourly means, vals[1] = current hour
--   vn_aqi_category(aqi DOUBLE)              'Tốt' … 'Nguy hại' (Table 1, by the rounded index)
--   vn_aqi_category_en(aqi DOUBLE)           'Good' … 'Hazardous'
--   vn_aqi_color(aqi DOUBLE)                 '#00E400' … '#7E0023'
--
-- The final index is round(greatest(sub-indices)): greatest skips NULLs. Hourly: PM through vn_nowcast, gases by
-- their 1-hour mean, O3 as 'o3_1h'. Daily: PM 24-hour means, gases their highest 1-hour mean, O3 the larger of
-- 'o3_1h' (highest 1-hour mean) and 'o3_8h' (highest 8-hour mean; NULL above 400, where only the 1-hour counts).

-- Table 2: the index levels I_i, then each pollutant's breakpoints BP_i. The last column ("≥") caps at 500;
-- O3 (8h) stops at level 6 (400 µg/m³ → 300) and has no value above it.
CREATE OR REPLACE MACRO vn_aqi_levels() AS [0, 50, 100, 150, 200, 300, 400, 500]::DOUBLE[];

CREATE OR REPLACE MACRO vn_aqi_breakpoints(pollutant VARCHAR) AS CASE pollutant
  WHEN 'o3_1h' THEN [0, 160, 200, 300, 400, 800, 1000, 1200]
  WHEN 'o3_8h' THEN [0, 100, 120, 170, 210, 400]
  WHEN 'co'    THEN [0, 10000, 30000, 45000, 60000, 90000, 120000, 150000]
  WHEN 'so2'   THEN [0, 125, 350, 550, 800, 1600, 2100, 2630]
  WHEN 'no2'   THEN [0, 100, 200, 700, 1200, 2350, 3100, 3850]
  WHEN 'pm10'  THEN [0, 50, 150, 250, 350, 420, 500, 600]
  WHEN 'pm25'  THEN [0, 25, 50, 80, 150, 250, 350, 500]
  ELSE error('vn_aqi_sub: unknown pollutant ''' || pollutant || ''' (pm25, pm10, o3_1h, o3_8h, co, so2, no2)')
END::DOUBLE[];

-- Formula 1 within band i (bp[i] <= c < bp[i+1]); the bands run on without gaps, so c = bp[i] starts band i.
CREATE OR REPLACE MACRO vn_aqi_formula(bp, lv, c, i) AS
  (lv[i + 1] - lv[i]) / (bp[i + 1] - bp[i]) * (c - bp[i]) + lv[i];

CREATE OR REPLACE MACRO vn_aqi_interpolate(bp, lv, c) AS CASE
  WHEN c >= bp[len(bp)] THEN CASE WHEN c = bp[len(bp)] OR len(bp) = len(lv) THEN lv[len(bp)] END
  ELSE vn_aqi_formula(bp, lv, c, len(list_filter(bp, lambda b: b <= c)))
END;

-- NULL for a missing, negative or non-finite concentration: "no data" rather than a good-looking 0.
CREATE OR REPLACE MACRO vn_aqi_sub(pollutant VARCHAR, c DOUBLE) AS CASE
  WHEN pollutant IS NULL OR c IS NULL OR NOT isfinite(c) OR c < 0 THEN NULL
  ELSE vn_aqi_interpolate(vn_aqi_breakpoints(pollutant), vn_aqi_levels(), c)
END;

-- NowCast: only the first 12 entries count; a non-finite entry counts as a missing hour.
CREATE OR REPLACE MACRO vn_nowcast_hours(vals) AS
  list_transform(vals[1:12], lambda v: CASE WHEN isfinite(v) THEN v END);

-- w* = min/max over the present hours, w = max(w*, ½); all-zero hours give w = 1 (any w gives 0 then).
CREATE OR REPLACE MACRO vn_nowcast_weight(hours) AS
  CASE WHEN list_max(hours) > 0 THEN greatest(list_min(hours) / list_max(hours), 0.5) ELSE 1.0 END;

-- [1, w, w², …], one per hour. w enters the list outside the lambda: inside it, DuckDB would recompute
-- min/max for every element (about five times slower).
CREATE OR REPLACE MACRO vn_nowcast_powers(w, n) AS
  list_transform(list_resize([w], n, w), lambda x, i: pow(x, i - 1));

-- Σ w^(i−1)·c_i / Σ w^(i−1) over the present hours: a missing hour has weight 0.
CREATE OR REPLACE MACRO vn_nowcast_mean(hours, powers) AS
  list_inner_product(list_transform(hours, lambda v: coalesce(v, 0.0)), powers)
  / list_inner_product(list_transform(hours, lambda v: CASE WHEN v IS NULL THEN 0.0 ELSE 1.0 END), powers);

-- Valid only when at least 2 of the 3 latest hours (c1, c2, c3) are present.
CREATE OR REPLACE MACRO vn_nowcast_of(hours) AS CASE
  WHEN list_count(hours[1:3]) >= 2 THEN vn_nowcast_mean(hours, vn_nowcast_powers(vn_nowcast_weight(hours), len(hours)))
END;

CREATE OR REPLACE MACRO vn_nowcast(vals DOUBLE[]) AS vn_nowcast_of(vn_nowcast_hours(vals));

-- Table 1 level 1–6 of an index, by the rounded integer: 0–50, 51–100, 101–150, 151–200, 201–300, 301–500.
CREATE OR REPLACE MACRO vn_aqi_level(aqi) AS CASE
  WHEN aqi IS NULL OR NOT isfinite(aqi) OR aqi < 0 THEN NULL
  WHEN round(aqi) <= 50 THEN 1
  WHEN round(aqi) <= 100 THEN 2
  WHEN round(aqi) <= 150 THEN 3
  WHEN round(aqi) <= 200 THEN 4
  WHEN round(aqi) <= 300 THEN 5
  ELSE 6
END;

CREATE OR REPLACE MACRO vn_aqi_category(aqi DOUBLE) AS
  ['Tốt', 'Trung bình', 'Kém', 'Xấu', 'Rất xấu', 'Nguy hại'][vn_aqi_level(aqi)];

CREATE OR REPLACE MACRO vn_aqi_category_en(aqi DOUBLE) AS
  ['Good', 'Moderate', 'Poor', 'Bad', 'Very bad', 'Hazardous'][vn_aqi_level(aqi)];

CREATE OR REPLACE MACRO vn_aqi_color(aqi DOUBLE) AS
  ['#00E400', '#FFFF00', '#FF7E00', '#FF0000', '#8F3F97', '#7E0023'][vn_aqi_level(aqi)];
