// The console's labels in Vietnamese and English; the language choice is shared with the wall.
import type { Lang } from '../shared/lang.ts';

export interface Strings {
  title: string;
  subtitle: string;
  locale: string;
  wall: string;
  switchTo: string;
  catalog: string;
  filter: string;
  saved: string;
  history: string;
  noSaved: string;
  noHistory: string;
  run: string;
  runHint: string;
  cancel: string;
  every: string;
  save: string;
  exportCsv: string;
  exportParquet: string;
  grid: string;
  chart: string;
  line: string;
  bar: string;
  map: string;
  rows: (n: string) => string;
  truncated: (n: string) => string;
  stale: (time: string) => string;
  running: string;
  cancelled: string;
  ms: string;
  lineCol: (line: number, col: number) => string;
  params: string;
  noChart: string;
  noMap: string;
  empty: string;
  loadFailed: string;
  exported: (n: string) => string;
  saveHeading: string;
  name: string;
  titleVi: string;
  titleEn: string;
  unit: string;
  onWall: string;
  onBriefing: string;
  close: string;
  savedOk: (name: string) => string;
  delete: string;
  table: string;
  view: string;
}

const vi: Strings = {
  title: 'Phân tích dữ liệu SQL',
  subtitle: 'Trung tâm điều hành thông minh Hà Nội',
  locale: 'vi-VN',
  wall: 'Màn hình điều hành',
  switchTo: 'Switch to English',
  catalog: 'Bảng và cột',
  filter: 'Lọc bảng, cột…',
  saved: 'Truy vấn đã lưu',
  history: 'Lịch sử',
  noSaved: 'Chưa có truy vấn nào được lưu',
  noHistory: 'Chưa chạy truy vấn nào',
  run: 'Chạy',
  runHint: 'Ctrl+Enter',
  cancel: 'Dừng',
  every: 'Chạy lại mỗi',
  save: 'Lưu…',
  exportCsv: 'Xuất CSV',
  exportParquet: 'Xuất Parquet',
  grid: 'Bảng',
  chart: 'Biểu đồ',
  line: 'Đường',
  bar: 'Cột',
  map: 'Bản đồ',
  rows: (n) => `${n} dòng`,
  truncated: (n) => `chỉ hiện ${n} dòng đầu`,
  stale: (time) => `dữ liệu tính đến ${time}: bản sao cho phân tích đang cập nhật`,
  running: 'Đang chạy…',
  cancelled: 'Đã dừng truy vấn',
  ms: 'ms',
  lineCol: (l, c) => `dòng ${l}, cột ${c}`,
  params: 'Tham số',
  noChart: 'Cần một cột số để vẽ biểu đồ',
  noMap: 'Cần cột lat và lon để vẽ bản đồ',
  empty: 'Chạy một truy vấn để xem kết quả',
  loadFailed: 'Không tải được',
  exported: (n) => `Đã xuất ${n}`,
  saveHeading: 'Lưu truy vấn',
  name: 'Tên (chữ thường, số, _)',
  titleVi: 'Tiêu đề (tiếng Việt)',
  titleEn: 'Tiêu đề (tiếng Anh)',
  unit: 'Đơn vị',
  onWall: 'Ô trực tiếp trên màn hình điều hành',
  onBriefing: 'Mục trong báo cáo lãnh đạo',
  close: 'Đóng',
  savedOk: (n) => `Đã lưu “${n}”`,
  delete: 'Xoá',
  table: 'bảng',
  view: 'khung nhìn',
};

const en: Strings = {
  title: 'SQL analytics console',
  subtitle: 'Hanoi Intelligent Operations Center',
  locale: 'en-GB',
  wall: 'Operations wall',
  switchTo: 'Chuyển sang tiếng Việt',
  catalog: 'Tables and columns',
  filter: 'Filter tables, columns…',
  saved: 'Saved queries',
  history: 'History',
  noSaved: 'No saved queries yet',
  noHistory: 'No queries run yet',
  run: 'Run',
  runHint: 'Ctrl+Enter',
  cancel: 'Cancel',
  every: 'Re-run every',
  save: 'Save…',
  exportCsv: 'Export CSV',
  exportParquet: 'Export Parquet',
  grid: 'Grid',
  chart: 'Chart',
  line: 'Line',
  bar: 'Bar',
  map: 'Map',
  rows: (n) => `${n} rows`,
  truncated: (n) => `first ${n} rows shown`,
  stale: (time) => `data as of ${time}: the analysts' copy is catching up`,
  running: 'Running…',
  cancelled: 'Query cancelled',
  ms: 'ms',
  lineCol: (l, c) => `line ${l}, column ${c}`,
  params: 'Parameters',
  noChart: 'A numeric column is needed for a chart',
  noMap: 'lat and lon columns are needed for a map',
  empty: 'Run a query to see its result',
  loadFailed: 'Could not load',
  exported: (n) => `Exported ${n}`,
  saveHeading: 'Save query',
  name: 'Name (lower case, digits, _)',
  titleVi: 'Title (Vietnamese)',
  titleEn: 'Title (English)',
  unit: 'Unit',
  onWall: 'Live tile on the operations wall',
  onBriefing: "Section of the leaders' briefing",
  close: 'Close',
  savedOk: (n) => `Saved “${n}”`,
  delete: 'Delete',
  table: 'table',
  view: 'view',
};

export function strings(lang: Lang): Strings {
  return lang === 'vi' ? vi : en;
}
