// The briefing's words in Vietnamese and English.
import type { Lang } from '../shared/lang.ts';

export interface BriefingStrings {
  locale: string;
  title: string;
  subtitle: string;
  day: string;
  week: string;
  periodDay: (date: string) => string;
  periodWeek: (from: string, to: string) => string;
  generated: string;
  pdf: string;
  switchTo: string;
  summary: string;
  kpis: string;
  areas: string;
  incidents: string;
  alerts: string;
  best: string;
  worst: string;
  target: string;
  noTarget: string;
  vsPrevious: (span: 'day' | 'week') => string;
  status: { met: string; at_risk: string; missed: string; none: string };
  events: (n: string) => string;
  final: string;
  provisional: string;
  empty: { title: string; body: string };
  loading: string;
  failed: string;
  noIncidents: string;
  noAlerts: string;
  noAreaData: string;
  themes: Record<string, string>;
  incidentTypes: Record<string, string>;
  cols: {
    type: string;
    area: string;
    camera: string;
    time: string;
    reports: string;
    indicator: string;
    windows: string;
    peak: string;
  };
  aqiScale: string;
  hoursOver: (h: number) => string;
  trend: (bucket: string) => string;
  raised: (n: number, acked: number) => string;
  /** The agencies' data-quality table. */
  dataQuality: string;
  dqCols: {
    agency: string;
    devices: string;
    silent: string;
    accuracy: string;
    completeness: string;
    cleanliness: string;
    liveness: string;
    score: string;
  };
  unregistered: (n: number) => string;
  moreAgencies: (n: number) => string;
  /** Citizens' feedback: its figures and lists. */
  feedback: {
    title: string;
    received: string;
    onTime: string;
    backlog: string;
    reopen: string;
    rating: string;
    categories: string;
    backlogAreas: string;
    noBacklog: string;
  };
  /** The operators' incidents against the 1 h / 4 h targets. */
  response: { title: (n: number) => string; detected: string; resolved: (n: number) => string; median: string };
  /** Saved queries shown as sections. */
  sectionFailed: (why: string) => string;
  sectionEmpty: string;
  sectionTruncated: (n: number) => string;
}

const vi: BriefingStrings = {
  locale: 'vi-VN',
  title: 'Báo cáo nhanh điều hành đô thị',
  subtitle: 'Trung tâm điều hành thông minh Hà Nội',
  day: 'Ngày',
  week: 'Tuần',
  periodDay: (d) => `Ngày ${d}`,
  periodWeek: (a, b) => `Tuần ${a} – ${b}`,
  generated: 'Lập lúc',
  pdf: 'Tải PDF',
  switchTo: 'Switch to English',
  summary: 'Tóm tắt',
  kpis: 'Chỉ tiêu chính',
  areas: 'Khu vực tốt nhất và kém nhất',
  incidents: 'Sự cố trong kỳ',
  alerts: 'Vượt ngưỡng báo động',
  best: 'Tốt nhất',
  worst: 'Kém nhất',
  target: 'Mục tiêu',
  noTarget: 'Không có mục tiêu',
  vsPrevious: (s) => (s === 'day' ? 'so với hôm trước' : 'so với tuần trước'),
  status: { met: 'Đạt', at_risk: 'Có nguy cơ', missed: 'Không đạt', none: 'Theo dõi' },
  events: (n) => `${n} bản ghi`,
  final: 'số liệu đã chốt',
  provisional: 'số liệu tạm tính',
  empty: {
    title: 'Không có dữ liệu cho kỳ này',
    body: 'Hệ thống chưa nhận được sự kiện nào trong khoảng thời gian đã chọn. Hãy chọn một ngày khác.',
  },
  loading: 'Đang tải…',
  failed: 'Không tải được báo cáo',
  noIncidents: 'Không có sự cố nào được phát hiện.',
  noAlerts: 'Không có chỉ số nào vượt ngưỡng báo động.',
  noAreaData: 'Chưa có số liệu theo khu vực.',
  themes: {
    traffic: 'Giao thông',
    air: 'Không khí',
    water: 'Thoát nước',
    services: 'Dịch vụ công',
    feedback: 'Phản ánh của người dân',
    network: 'Mạng viễn thông',
    noise: 'Tiếng ồn',
  },
  incidentTypes: {
    accident: 'Tai nạn',
    congestion: 'Ùn tắc',
    flooding: 'Ngập',
    fire: 'Cháy',
    crowd: 'Đám đông',
    wrong_way: 'Đi ngược chiều',
    stopped_vehicle: 'Xe dừng đỗ',
  },
  cols: {
    type: 'Loại',
    area: 'Khu vực',
    camera: 'Camera',
    time: 'Thời gian',
    reports: 'Số báo cáo',
    indicator: 'Chỉ số',
    windows: 'Số cửa sổ',
    peak: 'Đỉnh',
  },
  aqiScale: 'Thang VN_AQI (QĐ 1459/QĐ-TCMT)',
  hoursOver: (h) => `${h} giờ ≥ 'Kém'`,
  trend: (b) => `xu hướng theo ${b === '1d' ? 'ngày' : b === '1h' ? 'giờ' : b}`,
  raised: (n, a) => `Cảnh báo đã phát: ${n} (${a} đã xác nhận)`,
  dataQuality: 'Chất lượng dữ liệu theo đơn vị (đúng, đủ, sạch, sống)',
  dqCols: {
    agency: 'Đơn vị',
    devices: 'Thiết bị',
    silent: 'Thiết bị-ngày im lặng',
    accuracy: 'Đúng',
    completeness: 'Đủ',
    cleanliness: 'Sạch',
    liveness: 'Sống',
    score: 'Điểm',
  },
  unregistered: (n) => `${n} camera và cảm biến gửi dữ liệu nhưng chưa đăng ký`,
  moreAgencies: (n) => `… ${n} đơn vị khác ở giữa bảng xếp hạng`,
  feedback: {
    title: 'Phản ánh của người dân',
    received: 'phản ánh tiếp nhận',
    onTime: 'giải quyết đúng hạn',
    backlog: 'chưa xử lý xong cuối kỳ',
    reopen: 'bị mở lại (trên số đã giải quyết)',
    rating: 'mức hài lòng trung bình',
    categories: 'Lĩnh vực được phản ánh nhiều nhất',
    backlogAreas: 'Phường, xã còn nhiều phản ánh chưa xử lý',
    noBacklog: 'Không còn phản ánh nào chưa xử lý.',
  },
  response: {
    title: (n) => `Sự cố do trực ban xử lý: ${n}`,
    detected: 'Phát hiện trong 1 giờ',
    resolved: (n) => `Xử lý xong trong 4 giờ (${n} đã xử lý xong)`,
    median: 'trung vị',
  },
  sectionFailed: (why) => `Không chạy được truy vấn: ${why}`,
  sectionEmpty: 'Không có dòng nào trong kỳ này.',
  sectionTruncated: (n) => `Chỉ hiện ${n} dòng đầu.`,
};

const en: BriefingStrings = {
  locale: 'en-GB',
  title: 'City operations briefing',
  subtitle: 'Hanoi Intelligent Operations Center',
  day: 'Day',
  week: 'Week',
  periodDay: (d) => d,
  periodWeek: (a, b) => `Week ${a} – ${b}`,
  generated: 'Generated',
  pdf: 'Download PDF',
  switchTo: 'Chuyển sang tiếng Việt',
  summary: 'Summary',
  kpis: 'Headline indicators',
  areas: 'Best and worst areas',
  incidents: 'Incidents of the period',
  alerts: 'Alert thresholds crossed',
  best: 'Best',
  worst: 'Worst',
  target: 'Target',
  noTarget: 'No target',
  vsPrevious: (s) => (s === 'day' ? 'vs the day before' : 'vs the week before'),
  status: { met: 'Met', at_risk: 'At risk', missed: 'Missed', none: 'Watch' },
  events: (n) => `${n} records`,
  final: 'final',
  provisional: 'provisional',
  empty: {
    title: 'No data for this period',
    body: 'The engine received no events in the chosen period. Pick another date.',
  },
  loading: 'Loading…',
  failed: 'Could not load the briefing',
  noIncidents: 'No incidents were detected.',
  noAlerts: 'No indicator crossed its alert level.',
  noAreaData: 'No figures by area yet.',
  themes: {
    traffic: 'Traffic',
    air: 'Air',
    water: 'Water',
    services: 'Public services',
    feedback: "Citizens' feedback",
    network: 'Network',
    noise: 'Noise',
  },
  incidentTypes: {
    accident: 'Accident',
    congestion: 'Congestion',
    flooding: 'Flooding',
    fire: 'Fire',
    crowd: 'Crowd',
    wrong_way: 'Wrong way',
    stopped_vehicle: 'Stopped vehicle',
  },
  cols: {
    type: 'Type',
    area: 'Area',
    camera: 'Camera',
    time: 'Time',
    reports: 'Reports',
    indicator: 'Indicator',
    windows: 'Windows',
    peak: 'Peak',
  },
  aqiScale: 'VN_AQI scale (Decision 1459/QĐ-TCMT)',
  hoursOver: (h) => `${h} h ≥ 'Kém'`,
  trend: (b) => `trend by ${b === '1d' ? 'day' : b === '1h' ? 'hour' : b}`,
  raised: (n, a) => `Alerts raised: ${n} (${a} acknowledged)`,
  dataQuality: 'Data quality by agency (accurate, sufficient, clean, live)',
  dqCols: {
    agency: 'Agency',
    devices: 'Devices',
    silent: 'Silent device-days',
    accuracy: 'Accurate',
    completeness: 'Sufficient',
    cleanliness: 'Clean',
    liveness: 'Live',
    score: 'Score',
  },
  unregistered: (n) =>
    `${n} ${n === 1 ? 'camera or sensor' : 'cameras and sensors'} sent data without being registered`,
  moreAgencies: (n) => `… ${n} more ${n === 1 ? 'agency' : 'agencies'} in the middle of the ranking`,
  feedback: {
    title: "Citizens' feedback",
    received: 'reports received',
    onTime: 'resolved on time',
    backlog: 'still open at the end',
    reopen: 'reopened (per resolution)',
    rating: 'mean rating',
    categories: 'Most reported',
    backlogAreas: 'Wards with most reports open',
    noBacklog: 'No report is still open.',
  },
  response: {
    title: (n) => `Incidents handled by the operators: ${n}`,
    detected: 'Detected within 1 h',
    resolved: (n) => `Resolved within 4 h (${n} resolved)`,
    median: 'median',
  },
  sectionFailed: (why) => `The query could not run: ${why}`,
  sectionEmpty: 'No rows for this period.',
  sectionTruncated: (n) => `Only the first ${n} rows are shown.`,
};

export function briefingStrings(lang: Lang): BriefingStrings {
  return lang === 'vi' ? vi : en;
}
