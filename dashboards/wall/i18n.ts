// The wall's two languages: Vietnamese by default, English on request, the choice remembered in localStorage.
import type { DeviceStatus } from '../shared/wire/index.ts';

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
  findArea: string;
  findAreaHint: string;
  noAreaFound: string;
  formerDistricts: string;
  /** The former district a ward mostly came from, under its name on the hover card. */
  formerDistrictOf: (name: string) => string;
  updated: string;
  /** The registry's word on a device: who owns it, or that no one registered it; and a state other than in service. */
  ownedBy: (agency: string) => string;
  unregistered: string;
  maintenance: Record<'maintenance' | 'faulty' | 'retired', string>;
  loadFailed: string;
  status: Record<DeviceStatus, string>;
  connection: { connecting: string; live: string; reconnecting: string; stale: string; switching: string };
  /** The engine (replica) the wall's data comes from, shown small in the header. */
  engineOn: string;
  switchTo: string;
  aqiScale: string;
  hexLayer: string;
  hexOff: string;
  hexMetric: { pm25: string; speed: string };
  hexPm25Scale: string;
  hexSpeedScale: string;
  hexCell: (count: number) => string;
  /** The heat layer of citizens' reports: its control, its legend and its hover card. */
  feedbackLayer: string;
  feedbackShow: Record<'off' | 'all' | 'open', string>;
  feedbackScale: (shown: 'all' | 'open') => string;
  feedbackTotal: (count: number) => string;
  feedbackCell: (reports: number, open: number) => string;
  finalUntil: (time: string) => string;
  provisional: string;
  sourcesShare: (pct: string) => string;
  vsYesterday: string;
  stale: (since: string) => string;
  down: (since: string) => string;
  switching: (from: string, since: string) => string;
  replay: string;
  backToLive: string;
  play: string;
  pause: string;
  replaying: (time: string) => string;
  /** Over the map while a past moment is shown. */
  playbackBanner: string;
  /** The replayed time is older than the raw events kept: no device can be shown as it stood. */
  devicesUnknown: string;
  replayDay: string;
  speed: string;
  stepBack: string;
  stepForward: string;
  alerts: string;
  ack: string;
  acked: (by: string) => string;
  /** An alert nobody acknowledged in time, told to those above. */
  escalated: string;
  noAlerts: string;
  severity: Record<string, string>;
  close: string;
  recent: (minutes: number) => string;
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
  devicesSummary: (total, alerts, silent) => `${total} thiết bị · ${alerts} báo động · ${silent} mất tín hiệu`,
  camera: 'Camera',
  sensor: 'Cảm biến',
  population: 'Dân số',
  areaKm2: 'Diện tích',
  approximate: 'ranh giới gần đúng',
  findArea: 'Tìm phường, xã',
  findAreaHint: 'vd. Hoàn Kiếm, Hoa Lac',
  noAreaFound: 'Không tìm thấy',
  formerDistricts: 'Ranh giới quận, huyện cũ',
  formerDistrictOf: (name) => `thuộc ${name}`,
  updated: 'cập nhật',
  ownedBy: (agency) => `Quản lý: ${agency}`,
  unregistered: 'Chưa đăng ký',
  maintenance: { maintenance: 'đang bảo trì', faulty: 'hỏng', retired: 'ngừng sử dụng' },
  loadFailed: 'Không tải được',
  status: { ok: 'Bình thường', warn: 'Cảnh báo', alert: 'Báo động', silent: 'Mất tín hiệu' },
  connection: {
    connecting: 'Đang kết nối',
    live: 'Trực tuyến',
    reconnecting: 'Đang kết nối lại',
    stale: 'Không có cập nhật',
    switching: 'Đang chuyển máy chủ',
  },
  engineOn: 'Máy chủ',
  switchTo: 'Switch to English',
  aqiScale: 'Thang VN_AQI (QĐ 1459/QĐ-TCMT)',
  hexLayer: 'Lưới H3',
  hexOff: 'Tắt',
  hexMetric: { pm25: 'PM2.5', speed: 'Tốc độ' },
  hexPm25Scale: 'PM2.5 theo ngưỡng VN_AQI',
  hexSpeedScale: 'Tốc độ giao thông',
  hexCell: (n) => `${n} thiết bị trong ô`,
  feedbackLayer: 'Phản ánh của người dân · 24 giờ',
  feedbackShow: { off: 'Tắt', all: 'Tất cả', open: 'Chưa xử lý' },
  feedbackScale: (shown) => (shown === 'open' ? 'Phản ánh chưa xử lý xong mỗi ô' : 'Phản ánh tiếp nhận mỗi ô'),
  feedbackTotal: (n) => `${n} phản ánh`,
  feedbackCell: (reports, open) => `${reports} phản ánh · ${open} chưa xử lý xong`,
  finalUntil: (t) => `chốt đến ${t}`,
  provisional: 'tạm tính',
  sourcesShare: (p) => `${p} nguồn báo`,
  vsYesterday: 'so với cùng giờ hôm qua',
  stale: (t) => `Dữ liệu không cập nhật từ ${t}`,
  down: (t) => `Mất kết nối máy chủ từ ${t} — đang kết nối lại…`,
  switching: (from, t) => `Máy chủ ${from} không phản hồi — đang chuyển sang máy chủ dự phòng (dữ liệu đến ${t})…`,
  replay: 'Xem lại 24 giờ',
  backToLive: 'Trực tiếp',
  play: 'Phát',
  pause: 'Dừng',
  replaying: (t) => `Đang xem lại: ${t}`,
  playbackBanner: 'PHÁT LẠI',
  devicesUnknown: 'Không còn dữ liệu thiết bị của thời điểm này (đã quá hạn lưu dữ liệu gốc).',
  replayDay: 'Ngày xem lại (trống: 24 giờ qua)',
  speed: 'Tốc độ phát',
  stepBack: 'Lùi một bước',
  stepForward: 'Tiến một bước',
  alerts: 'Cảnh báo',
  ack: 'Xác nhận',
  acked: (by) => `đã xác nhận (${by})`,
  escalated: 'Đã báo cấp trên',
  noAlerts: 'Không có cảnh báo',
  severity: { info: 'Thông tin', warning: 'Cảnh báo', critical: 'Khẩn cấp' },
  close: 'Đóng',
  recent: (m) => `${m} phút qua`,
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
  findArea: 'Find a ward or commune',
  findAreaHint: 'e.g. Hoan Kiem, Hòa Lạc',
  noAreaFound: 'No match',
  formerDistricts: 'Former district boundaries',
  formerDistrictOf: (name) => `in the ${name}`,
  updated: 'updated',
  ownedBy: (agency) => `Owner: ${agency}`,
  unregistered: 'Unregistered',
  maintenance: { maintenance: 'under maintenance', faulty: 'faulty', retired: 'retired' },
  loadFailed: 'Could not load',
  status: { ok: 'OK', warn: 'Warning', alert: 'Alert', silent: 'Silent' },
  connection: {
    connecting: 'Connecting',
    live: 'Live',
    reconnecting: 'Reconnecting',
    stale: 'No updates',
    switching: 'Switching server',
  },
  engineOn: 'Server',
  switchTo: 'Chuyển sang tiếng Việt',
  aqiScale: 'VN_AQI scale (Decision 1459/QĐ-TCMT)',
  hexLayer: 'H3 grid',
  hexOff: 'Off',
  hexMetric: { pm25: 'PM2.5', speed: 'Speed' },
  hexPm25Scale: 'PM2.5 by VN_AQI breakpoints',
  hexSpeedScale: 'Traffic speed',
  hexCell: (n) => `${n} devices in the cell`,
  feedbackLayer: "Citizens' reports · 24 h",
  feedbackShow: { off: 'Off', all: 'All', open: 'Open' },
  feedbackScale: (shown) => (shown === 'open' ? 'Reports still open per cell' : 'Reports received per cell'),
  feedbackTotal: (n) => `${n} reports`,
  feedbackCell: (reports, open) => `${reports} reports · ${open} still open`,
  finalUntil: (t) => `final to ${t}`,
  provisional: 'provisional',
  sourcesShare: (p) => `${p} of sources`,
  vsYesterday: 'vs same hour yesterday',
  stale: (t) => `No data updates since ${t}`,
  down: (t) => `Server unreachable since ${t} — reconnecting…`,
  switching: (from, t) => `Server ${from} is not answering — switching to a standby server (data up to ${t})…`,
  replay: 'Replay 24 h',
  backToLive: 'Live',
  play: 'Play',
  pause: 'Pause',
  replaying: (t) => `Replaying: ${t}`,
  playbackBanner: 'PLAYBACK',
  devicesUnknown: 'Device states of this time are no longer kept (older than the raw retention).',
  replayDay: 'Day to replay (empty: last 24 h)',
  speed: 'Playback speed',
  stepBack: 'Step back',
  stepForward: 'Step forward',
  alerts: 'Alerts',
  ack: 'Acknowledge',
  acked: (by) => `acknowledged (${by})`,
  escalated: 'Escalated',
  noAlerts: 'No alerts',
  severity: { info: 'Info', warning: 'Warning', critical: 'Critical' },
  close: 'Close',
  recent: (m) => `last ${m} min`,
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
