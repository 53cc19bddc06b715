// The "make it a live indicator" dialog's words in Vietnamese and English.
import type { Lang } from '../shared/lang.ts';

export interface LiveStrings {
  button: string;
  heading: string;
  hint: string;
  name: string;
  unit: string;
  titleVi: string;
  titleEn: string;
  window: string;
  source: string;
  theme: string;
  direction: string;
  neutral: string;
  up: string;
  down: string;
  target: string;
  warn: string;
  alert: string;
  briefing: string;
  sql: string;
  close: string;
  preview: string;
  create: string;
  noRows: string;
  previewOf: (from: string, to: string) => string;
  filling: (pct: string) => string;
  live: (name: string) => string;
  failed: (why: string) => string;
  sqlLine: (line: number) => string;
}

const HINT_VI =
  'Câu SELECT của chỉ số dùng <code>$bucket AS t</code>, <code>$area AS area</code>, một cột <code>value</code> và <code>count(*) AS n</code>, lọc <code>ts &gt;= $from AND ts &lt; $to</code> và <code>GROUP BY $group</code>. Động cơ tính lại từ dữ liệu đã lưu rồi cập nhật liên tục.';
const HINT_EN =
  'The indicator’s SELECT uses <code>$bucket AS t</code>, <code>$area AS area</code>, a <code>value</code> column and <code>count(*) AS n</code>, bounds <code>ts &gt;= $from AND ts &lt; $to</code> and ends with <code>GROUP BY $group</code>. The engine fills it from the stored history, then keeps it live.';

const vi: LiveStrings = {
  button: 'Tạo chỉ số trực tiếp…',
  heading: 'Tạo chỉ số trực tiếp',
  hint: HINT_VI,
  name: 'Tên (snake_case)',
  unit: 'Đơn vị',
  titleVi: 'Tiêu đề (tiếng Việt)',
  titleEn: 'Tiêu đề (tiếng Anh)',
  window: 'Cửa sổ thời gian',
  source: 'Nguồn sự kiện',
  theme: 'Chủ đề',
  direction: 'Chiều tốt',
  neutral: 'Không xác định',
  up: 'Càng cao càng tốt',
  down: 'Càng thấp càng tốt',
  target: 'Mục tiêu',
  warn: 'Ngưỡng cảnh báo',
  alert: 'Ngưỡng báo động',
  briefing: 'Đưa vào báo cáo lãnh đạo',
  sql: 'Câu SELECT',
  close: 'Đóng',
  preview: 'Xem trước',
  create: 'Tạo chỉ số',
  noRows: 'Không có dòng nào trong các cửa sổ gần nhất',
  previewOf: (f, t) => `Các cửa sổ từ ${f} đến ${t}`,
  filling: (p) => `Đang tính lại từ dữ liệu đã lưu: ${p}`,
  live: (n) => `“${n}” đã hoạt động trên màn hình điều hành`,
  failed: (w) => `Không tính được: ${w}`,
  sqlLine: (l) => `câu SELECT, dòng ${l}`,
};

const en: LiveStrings = {
  button: 'Make it a live indicator…',
  heading: 'Make it a live indicator',
  hint: HINT_EN,
  name: 'Name (snake_case)',
  unit: 'Unit',
  titleVi: 'Title (Vietnamese)',
  titleEn: 'Title (English)',
  window: 'Window',
  source: 'Events of',
  theme: 'Theme',
  direction: 'Better when',
  neutral: 'Neither',
  up: 'Higher is better',
  down: 'Lower is better',
  target: 'Target',
  warn: 'Warning threshold',
  alert: 'Alert threshold',
  briefing: "In the leaders' briefing",
  sql: 'SELECT',
  close: 'Close',
  preview: 'Preview',
  create: 'Create indicator',
  noRows: 'No rows in the latest windows',
  previewOf: (f, t) => `Windows from ${f} to ${t}`,
  filling: (p) => `Filling from the stored history: ${p}`,
  live: (n) => `“${n}” is live on the operations wall`,
  failed: (w) => `Could not compute it: ${w}`,
  sqlLine: (l) => `SELECT, line ${l}`,
};

export function liveStrings(lang: Lang): LiveStrings {
  return lang === 'vi' ? vi : en;
}
