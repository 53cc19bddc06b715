// Air-quality indices: VN_AQI (Decision 1459/QĐ-TCMT), the reference for views/_macros/vn_aqi.sql.
export {
  AQI_MAX, POLLUTANTS, VN_AQI_CATEGORIES, VN_AQI_TABLE,
  aqi, category, color, nowcast, subIndex,
  type AqiCategory, type AqiResult, type Pollutant,
} from './vn-aqi.ts';
