// Air-quality indices: VN_AQI (Decision 1459/QĐ-TCMT), the reference for views/_macros/vn_aqi.sql.
export {
  AQI_MAX, POLLUTANTS, VN_AQI_CATEGORIES, VN_AQI_TABLE, vnAqiCategory as category,
  type AqiCategory, type Pollutant,
} from '../../dashboards/shared/wire/index.ts';
export { aqi, color, nowcast, subIndex, type AqiResult } from './vn-aqi.ts';
