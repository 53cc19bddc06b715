// An alert or incident change as an email: subject and text in Vietnamese, then the same in English; times on Hanoi's
// clock, and the page where operators act on it.
import type { AlertEvent, IncidentChange, Notice } from '../alerts/index.ts';
import { ALERT_ACTION, hanoiClock, incidentTypeOf, oneLine, severityOf, STATUS, wordOf } from './words.ts';

export interface Letter {
  kind: 'alert' | 'incident' | 'escalation';
  subject: string;
  text: string;
}

export interface LetterContext {
  /** An area's name and code, e.g. `Phường Tây Hồ (tay_ho)`. */
  place(code: string): string;
  /** ESCALATE_AFTER_MIN, said in escalation emails. */
  afterMin: number;
}

type Both = { vi: string; en: string };
/** A label in each language, and a value: the same in both, or one per language. */
type Line = [vi: string, en: string, value: string | number | Both | null | undefined];

const PREFIX = '[IOC Hà Nội]';
const WALL = '/';
const ROOM = '/incidents';

/** Labelled lines, those without a value left out: Vietnamese first, English below. */
function body(head: Both, lines: readonly Line[]): string {
  const shown = lines.filter(([, , v]) => v !== null && v !== undefined && v !== '');
  const value = (v: Line[2], lang: 'vi' | 'en') => (typeof v === 'object' && v !== null ? v[lang] : String(v));
  const part = (lang: 0 | 1) => {
    const code = lang === 0 ? 'vi' : 'en';
    return [head[code], '', ...shown.map((l) => `${l[lang]}: ${value(l[2], code)}`)];
  };
  return [...part(0), '', '— English —', '', ...part(1), ''].join('\n');
}

const clock = (iso: string | null): Both | null =>
  iso === null ? null : { vi: `${hanoiClock(iso)} (giờ Hà Nội)`, en: `${hanoiClock(iso)} (Hanoi time)` };
const by = (iso: string | null, who: string | null): Both | null => {
  const t = clock(iso);
  return t && who ? { vi: `${t.vi} — ${who}`, en: `${t.en} — ${who}` } : t;
};
const status = (s: string): Both => wordOf(STATUS, s);
const VIEW_ALERT: Both = {
  vi: `${WALL} (màn hình điều hành), ${ROOM} (phòng sự cố)`,
  en: `${WALL} (the wall), ${ROOM} (the incident room)`,
};

/** The alert's incident; one this alert opened is said to be new (it has no email of its own). */
function incidentLine(e: AlertEvent): Both | null {
  const i = e.incident;
  if (!i) return null;
  const t = incidentTypeOf(i.type);
  const fresh = e.type === 'opened' && Date.parse(i.detectedAt) === Date.parse(e.alert.openedAt);
  return {
    vi: `${i.id} — ${t.vi} (${fresh ? 'sự cố mới, ' : ''}${status(i.status).vi})`,
    en: `${i.id} — ${t.en} (${fresh ? 'new incident, ' : ''}${status(i.status).en})`,
  };
}

function alertLetter(e: AlertEvent, ctx: LetterContext): Letter {
  const a = e.alert;
  const sev = severityOf(a.severity);
  const act = wordOf(ALERT_ACTION, e.type);
  const where = ctx.place(a.area);
  const escalated = e.type === 'escalated';
  const late = escalated
    ? { vi: `, chưa ai tiếp nhận sau ${ctx.afterMin} phút`, en: `, not acknowledged after ${ctx.afterMin} min` }
    : null;
  const head = `${escalated ? 'BÁO CẤP TRÊN — ' : ''}CẢNH BÁO ${sev.vi}`;
  return {
    kind: escalated ? 'escalation' : 'alert',
    subject: oneLine(`${PREFIX} ${head} — ${a.title.vi}: ${where} · ${act.vi}`),
    text: body(
      {
        vi: `Cảnh báo ${act.vi}${late?.vi ?? ''}: ${a.title.vi}`,
        en: `Alert ${act.en}${late?.en ?? ''}: ${a.title.en}`,
      },
      [
        ['Mức độ', 'Severity', sev],
        ['Loại', 'Kind', `${a.kind} (${a.rule})`],
        ['Khu vực', 'Area', where],
        ['Đối tượng', 'Subject', a.subject === a.rule || a.subject === a.area ? null : a.subject],
        ['Nội dung', 'Message', a.message],
        [
          'Giá trị',
          'Value',
          a.value === null
            ? null
            : a.threshold === null
              ? a.value
              : { vi: `${a.value} (ngưỡng ${a.threshold})`, en: `${a.value} (threshold ${a.threshold})` },
        ],
        ['Bắt đầu', 'Condition since', clock(a.conditionSince)],
        ['Mở lúc', 'Opened', clock(a.openedAt)],
        ['Tiếp nhận', 'Acknowledged', by(a.acknowledgedAt, a.acknowledgedBy)],
        ['Báo cấp trên', 'Escalated', clock(a.escalatedAt)],
        ['Kết thúc', 'Resolved', by(a.resolvedAt, a.resolvedBy)],
        ['Ghi chú', 'Comment', a.comment],
        ['Trạng thái', 'Status', status(a.status)],
        ['Sự cố', 'Incident', incidentLine(e)],
        ['Mã cảnh báo', 'Alert id', a.id],
        ['Xem', 'View', VIEW_ALERT],
      ],
    ),
  };
}

/** What a person's change did, in both languages. */
function changed(type: string, change: IncidentChange | null): { vi: string; en: string } {
  if (type === 'opened') return { vi: 'mới', en: 'opened' };
  if (type === 'escalated') return { vi: 'đã báo cấp trên', en: 'escalated' };
  const parts: { vi: string; en: string }[] = [];
  if (change?.status) parts.push(wordOf(ALERT_ACTION, change.status));
  if (change?.assignee !== undefined)
    parts.push(
      change.assignee === null
        ? { vi: 'thu hồi phân công', en: 'unassigned' }
        : { vi: `giao cho ${change.assignee}`, en: `assigned to ${change.assignee}` },
    );
  if (change?.note !== undefined) parts.push({ vi: 'ghi chú mới', en: 'note added' });
  if (parts.length === 0) return { vi: 'cập nhật', en: 'changed' };
  return { vi: parts.map((p) => p.vi).join(', '), en: parts.map((p) => p.en).join(', ') };
}

function incidentLetter(n: Extract<Notice, { on: 'incident' }>, ctx: LetterContext): Letter {
  const i = n.event.incident;
  const sev = severityOf(i.severity);
  const type = incidentTypeOf(i.type);
  const where = ctx.place(i.area);
  const what = changed(n.event.type, n.change);
  const byTime = n.event.type === 'escalated';
  const escalated = byTime || n.change?.status === 'escalated';
  const late = byTime
    ? { vi: `, chưa ai tiếp nhận sau ${ctx.afterMin} phút`, en: `, not acknowledged after ${ctx.afterMin} min` }
    : null;
  const head = `${escalated ? 'BÁO CẤP TRÊN — ' : ''}SỰ CỐ ${sev.vi}`;
  return {
    kind: escalated ? 'escalation' : 'incident',
    subject: oneLine(`${PREFIX} ${head} — ${type.vi}: ${where} · ${what.vi}`),
    text: body(
      { vi: `Sự cố ${what.vi}${late?.vi ?? ''}: ${type.vi}`, en: `Incident ${what.en}${late?.en ?? ''}: ${type.en}` },
      [
        ['Mức độ', 'Severity', sev],
        ['Loại', 'Type', { vi: `${type.vi} (${i.type})`, en: `${type.en} (${i.type})` }],
        ['Khu vực', 'Area', where],
        ['Vị trí', 'Location', i.lat === null || i.lon === null ? null : `${i.lat}, ${i.lon}`],
        ['Mô tả', 'Description', i.description],
        ['Phát hiện lúc', 'Detected', clock(i.detectedAt)],
        ['Người báo', 'Reported by', i.openedBy],
        ['Tiếp nhận', 'Acknowledged', clock(i.acknowledgedAt)],
        ['Báo cấp trên', 'Escalated', clock(i.escalatedAt)],
        ['Phân công', 'Assigned to', i.assignee],
        ['Ghi chú', 'Note', n.change?.note],
        ['Kết thúc', 'Resolved', by(i.resolvedAt, i.resolvedBy)],
        ['Tóm tắt', 'Summary', i.summary],
        ['Cảnh báo liên quan', 'Alerts', i.alerts || null],
        ['Trạng thái', 'Status', status(i.status)],
        ['Thay đổi bởi', 'Changed by', by(new Date(n.at).toISOString(), n.by)],
        ['Mã sự cố', 'Incident id', i.id],
        ['Xem', 'View', { vi: `${ROOM} (phòng sự cố)`, en: `${ROOM} (the incident room)` }],
      ],
    ),
  };
}

export function letterOf(n: Notice, ctx: LetterContext): Letter {
  return n.on === 'alert' ? alertLetter(n.event, ctx) : incidentLetter(n, ctx);
}
