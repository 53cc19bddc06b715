// The emails' words in Vietnamese and English: severities, incident types, what happened, and Hanoi time.
import { HANOI_OFFSET_MS } from '../../dashboards/shared/wire/index.ts';

type Both = { vi: string; en: string };

const SEVERITY: Record<string, Both> = {
  info: { vi: 'thấp', en: 'low' },
  warning: { vi: 'cao', en: 'high' },
  critical: { vi: 'khẩn cấp', en: 'critical' },
};

const INCIDENT_TYPE: Record<string, Both> = {
  flooding: { vi: 'Ngập úng', en: 'Flooding' },
  fire: { vi: 'Cháy nổ', en: 'Fire' },
  accident: { vi: 'Tai nạn giao thông', en: 'Road accident' },
  traffic: { vi: 'Ùn tắc giao thông', en: 'Traffic jam' },
  air: { vi: 'Ô nhiễm không khí', en: 'Air pollution' },
  noise: { vi: 'Tiếng ồn', en: 'Noise' },
  network: { vi: 'Sự cố mạng', en: 'Network outage' },
  services: { vi: 'Dịch vụ công', en: 'Public services' },
  devices: { vi: 'Thiết bị', en: 'Devices' },
  cyber: { vi: 'An ninh mạng', en: 'Cyber security' },
  public_order: { vi: 'Trật tự công cộng', en: 'Public order' },
  other: { vi: 'Khác', en: 'Other' },
};

export const ALERT_ACTION: Record<string, Both> = {
  opened: { vi: 'mới', en: 'opened' },
  acknowledged: { vi: 'đã tiếp nhận', en: 'acknowledged' },
  escalated: { vi: 'đã báo cấp trên', en: 'escalated' },
  resolved: { vi: 'đã kết thúc', en: 'resolved' },
};

export const STATUS: Record<string, Both> = {
  open: { vi: 'chưa tiếp nhận', en: 'open' },
  acknowledged: { vi: 'đã tiếp nhận', en: 'acknowledged' },
  resolved: { vi: 'đã kết thúc', en: 'resolved' },
};

export const severityOf = (s: string | null): Both => (s && SEVERITY[s]) || { vi: s ?? '—', en: s ?? '—' };
export const incidentTypeOf = (t: string): Both => INCIDENT_TYPE[t] ?? { vi: t, en: t };
export const wordOf = (words: Record<string, Both>, key: string): Both => words[key] ?? { vi: key, en: key };

/** `06/12/2026 22:30`: the instant on Hanoi's clock (UTC+7 all year). */
export function hanoiClock(iso: string | null): string {
  if (iso === null) return '—';
  const t = new Date(Date.parse(iso) + HANOI_OFFSET_MS).toISOString();
  return `${t.slice(8, 10)}/${t.slice(5, 7)}/${t.slice(0, 4)} ${t.slice(11, 16)}`;
}

/** One line, of bounded length: text from people or devices cannot add a header or a line to a subject. */
export const oneLine = (s: string, max = 200): string => {
  const flat = s.replace(/[\r\n\t\u2028\u2029]+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};
