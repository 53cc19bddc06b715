// The wall's two languages: Vietnamese by default, English on request, the choice remembered in localStorage.
import type { DeviceStatus } from '../shared/messages.ts';

export { loadLang, saveLang, type Lang } from '../shared/lang.ts';
import type { Lang } from '../shared/lang.ts';

export interface Strings {
  title: string;
  subtitle: string;
  locale: string;
  indicator: string;
  noData: string;
  waiting: string;
  window: string;
  target: string;
  warn: string;
  alert: string;
  lastHours: (hours: number) => string;
  devices: string;
  devicesSummary: (total: number, alerts: number, silent: number) => string;
  camera: string;
  sensor: string;
  population: string;
  areaKm2: string;
  approximate: string;
  updated: string;
  loadFailed: string;
  status: Record<DeviceStatus, string>;
  connection: { connecting: string; live: string; reconnecting: string; stale: string };
  switchTo: string;
  /** Names for the engine's area kinds and device kinds; unknown ones are shown as sent. */
  kinds: Record<string, string>;
}

const vi: Strings = {
  title: 'Trung tâm điều hành thông minh Hà Nội',
  subtitle: 'Giám sát vận hành đô thị',
  locale: 'vi-VN',
  indicator: 'Chỉ số trên bản đồ',
  noData: 'Chưa có dữ liệu',
  waiting: 'Đang chờ dữ liệu từ hệ thống…',
  window: 'cửa sổ',
  target: 'mục tiêu',
  warn: 'cảnh báo',
  alert: 'báo động',
  lastHours: (h) => `${h} giờ qua`,
  devices: 'Thiết bị',
  devicesSummary: (total, alerts, silent) =>
    `${total} thiết bị · ${alerts} báo động · ${silent} mất tín hiệu`,
  camera: 'Camera',
  sensor: 'Cảm biến',
  population: 'Dân số',
  areaKm2: 'Diện tích',
  approximate: 'ranh giới gần đúng',
  updated: 'cập nhật',
  loadFailed: 'Không tải được',
  status: { ok: 'Bình thường', warn: 'Cảnh báo', alert: 'Báo động', silent: 'Mất tín hiệu' },
  connection: {
    connecting: 'Đang kết nối',
    live: 'Trực tuyến',
    reconnecting: 'Đang kết nối lại',
    stale: 'Không có cập nhật',
  },
  switchTo: 'Switch to English',
  kinds: {
    quan: 'quận',
    huyen: 'huyện',
    thi_xa: 'thị xã',
    phuong: 'phường',
    xa: 'xã',
    traffic: 'giao thông',
    air: 'không khí',
    water: 'mực nước',
    noise: 'tiếng ồn',
    weather: 'thời tiết',
    network: 'mạng viễn thông',
  },
};

const en: Strings = {
  title: 'Hanoi Intelligent Operations Center',
  subtitle: 'City operations monitoring',
  locale: 'en-GB',
  indicator: 'Map indicator',
  noData: 'No data yet',
  waiting: 'Waiting for data from the engine…',
  window: 'window',
  target: 'target',
  warn: 'warn',
  alert: 'alert',
  lastHours: (h) => `last ${h} h`,
  devices: 'Devices',
  devicesSummary: (total, alerts, silent) => `${total} devices · ${alerts} alerts · ${silent} silent`,
  camera: 'Camera',
  sensor: 'Sensor',
  population: 'Population',
  areaKm2: 'Area',
  approximate: 'approximate boundary',
  updated: 'updated',
  loadFailed: 'Could not load',
  status: { ok: 'OK', warn: 'Warning', alert: 'Alert', silent: 'Silent' },
  connection: { connecting: 'Connecting', live: 'Live', reconnecting: 'Reconnecting', stale: 'No updates' },
  switchTo: 'Chuyển sang tiếng Việt',
  kinds: {
    quan: 'urban district',
    huyen: 'rural district',
    thi_xa: 'town',
    phuong: 'ward',
    xa: 'commune',
    traffic: 'traffic',
    air: 'air quality',
    water: 'water level',
    noise: 'noise',
    weather: 'weather',
    network: 'network',
  },
};

export function strings(lang: Lang): Strings {
  return lang === 'vi' ? vi : en;
}

/** A kind code in words; Vietnamese spellings such as "quận" are normalised to their code first. */
export function kindLabel(kind: string, lang: Lang): string {
  const code = kind
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/đ/g, 'd')
    .replace(/[\s-]+/g, '_');
  return strings(lang).kinds[code] ?? kind;
}
