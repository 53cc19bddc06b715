// The incident room's words in both languages: types, severities, actions and the response-time targets.
import type { Lang } from '../shared/lang.ts';
import type { INCIDENT_TYPES } from '../shared/wire/index.ts';

export const SEVERITIES = ['critical', 'warning', 'info'] as const;

const TYPE_LABELS: Record<Lang, Record<(typeof INCIDENT_TYPES)[number], string>> = {
  vi: {
    flooding: 'Ngập úng',
    fire: 'Cháy nổ',
    accident: 'Tai nạn giao thông',
    traffic: 'Ùn tắc giao thông',
    air: 'Ô nhiễm không khí',
    noise: 'Tiếng ồn',
    network: 'Sự cố mạng',
    services: 'Dịch vụ công',
    devices: 'Thiết bị',
    cyber: 'An ninh mạng',
    public_order: 'Trật tự công cộng',
    other: 'Khác',
  },
  en: {
    flooding: 'Flooding',
    fire: 'Fire',
    accident: 'Road accident',
    traffic: 'Traffic jam',
    air: 'Air pollution',
    noise: 'Noise',
    network: 'Network outage',
    services: 'Public services',
    devices: 'Devices',
    cyber: 'Cyber security',
    public_order: 'Public order',
    other: 'Other',
  },
};

const STRINGS = {
  vi: {
    locale: 'vi-VN',
    title: 'Phòng xử lý sự cố',
    subtitle: 'Sự cố đang mở · mục tiêu: xác nhận 1 giờ, xử lý 4 giờ',
    wall: 'Màn hình chính',
    room: 'Sự cố',
    none: 'Không có sự cố đang mở',
    severity: { critical: 'Nghiêm trọng', warning: 'Cảnh báo', info: 'Thông tin' } as Record<string, string>,
    status: { open: 'Mới', acknowledged: 'Đã xác nhận', resolved: 'Đã xử lý' } as Record<string, string>,
    escalated: 'Đã báo cấp trên',
    origin: { alerts: 'Từ cảnh báo', manual: 'Báo thủ công' },
    assignee: 'Đơn vị xử lý',
    unassigned: 'Chưa giao',
    acknowledge: 'Xác nhận',
    escalate: 'Báo cấp trên',
    assign: 'Giao',
    note: 'Ghi chú',
    addNote: 'Thêm ghi chú',
    resolve: 'Kết thúc',
    summary: 'Tóm tắt kết quả xử lý',
    checklist: 'Các bước xử lý',
    detect: 'xác nhận',
    fix: 'xử lý',
    left: (what: string, time: string) => `còn ${time} để ${what}`,
    over: (what: string, time: string) => `quá hạn ${what} ${time}`,
    report: 'Báo sự cố',
    type: 'Loại',
    severityLabel: 'Mức độ',
    area: 'Khu vực',
    chooseArea: '— chọn phường, hoặc bấm trên bản đồ —',
    point: (lat: number, lon: number) => `Điểm đã chọn: ${lat.toFixed(4)}, ${lon.toFixed(4)}`,
    noPlace: 'Chọn khu vực hoặc bấm vào bản đồ',
    description: 'Mô tả',
    send: 'Gửi báo cáo',
    failed: 'Không thực hiện được:',
    switchTo: 'Switch to English',
  },
  en: {
    locale: 'en-GB',
    title: 'Incident room',
    subtitle: 'Open incidents · targets: acknowledge in 1 h, resolve in 4 h',
    wall: 'Main wall',
    room: 'Incidents',
    none: 'No open incidents',
    severity: { critical: 'Critical', warning: 'Warning', info: 'Info' } as Record<string, string>,
    status: { open: 'New', acknowledged: 'Acknowledged', resolved: 'Resolved' } as Record<string, string>,
    escalated: 'Escalated',
    origin: { alerts: 'From alerts', manual: 'Reported by hand' },
    assignee: 'Assigned to',
    unassigned: 'Unassigned',
    acknowledge: 'Acknowledge',
    escalate: 'Escalate',
    assign: 'Assign',
    note: 'Note',
    addNote: 'Add note',
    resolve: 'Resolve',
    summary: 'Closing summary',
    checklist: 'Response steps',
    detect: 'acknowledge',
    fix: 'resolve',
    left: (what: string, time: string) => `${time} left to ${what}`,
    over: (what: string, time: string) => `${time} past the ${what} target`,
    report: 'Report an incident',
    type: 'Type',
    severityLabel: 'Severity',
    area: 'Area',
    chooseArea: '— choose a ward, or click the map —',
    point: (lat: number, lon: number) => `Chosen point: ${lat.toFixed(4)}, ${lon.toFixed(4)}`,
    noPlace: 'Choose an area or click the map',
    description: 'Description',
    send: 'Send report',
    failed: 'Could not do it:',
    switchTo: 'Chuyển sang tiếng Việt',
  },
} as const;

export type RoomStrings = (typeof STRINGS)[Lang];

export function roomStrings(lang: Lang): RoomStrings {
  return STRINGS[lang];
}

/** An unknown type (a newer engine) is shown as the engine names it. */
export function typeLabel(type: string, lang: Lang): string {
  return (TYPE_LABELS[lang] as Record<string, string>)[type] ?? type;
}
