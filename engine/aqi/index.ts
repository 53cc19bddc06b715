// Air-quality indices: VN_AQI (Decision 1459/QĐ-TCMT), the reference for views/_macros/vn_aqi.sql.
export {
  POLLUTANTS,
  VN_AQI_CATEGORIES,
  VN_AQI_TABLE,
  vnAqiCategory as category,
  type Pollutant,
} from '../../dashboards/shared/wire/index.ts';
export { aqi, color, nowcast, subIndex } from './vn-aqi.ts';
