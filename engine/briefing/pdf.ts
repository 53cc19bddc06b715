// The briefing as an A4 PDF, laid out like the printed page: title and period, the simulated-data mark, the summary,
// the headline indicators as a table, the ranked areas, incidents, thresholds crossed, citizens' feedback, the
// agencies' data quality and the saved-query sections; page numbers and the generation time (Hanoi) on every page.
import { FEEDBACK_CATEGORY_LABELS, type Briefing, type Kpi } from '../../dashboards/shared/wire/index.ts';
import { briefingStrings, type BriefingStrings } from '../../dashboards/briefing/i18n.ts';
import { duration, num } from '../../dashboards/briefing/format.ts';
import { unitLabel } from '../../dashboards/shared/units.ts';
import type { Lang } from './narrative.ts';
import { ACCENT, MUTED, PdfWriter, type Cell } from './pdf-writer.ts';

const STATUS_COLOR = { met: '#13795b', at_risk: '#b26a00', missed: '#c0262d' } as const;
const SIMULATED = 'DỮ LIỆU MÔ PHỎNG · SIMULATED DATA';

/** dd/mm/yyyy from YYYY-MM-DD. */
export function dateLabel(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

/** briefing-2026-12-05.pdf (a week: briefing-week-2026-11-30.pdf). */
export function briefingPdfName(date: string, span: 'day' | 'week' = 'day'): string {
  return span === 'week' ? `briefing-week-${date}.pdf` : `briefing-${date}.pdf`;
}

/** The document's title: "Báo cáo điều hành đô thị ngày 05/12/2026". */
export function briefingTitle(b: Pick<Briefing, 'date' | 'span' | 'to'>, lang: Lang): string {
  const from = dateLabel(b.date);
  const last = dateLabel(new Date(Date.parse(b.to) - 1 + 7 * 3_600_000).toISOString().slice(0, 10));
  if (lang === 'vi')
    return b.span === 'day'
      ? `Báo cáo điều hành đô thị ngày ${from}`
      : `Báo cáo điều hành đô thị tuần ${from} – ${last}`;
  return b.span === 'day' ? `City operations briefing, ${from}` : `City operations briefing, week ${from} – ${last}`;
}

const hanoiTime = (iso: string, s: BriefingStrings, withDate: boolean): string =>
  new Intl.DateTimeFormat(s.locale, {
    timeZone: 'Asia/Ho_Chi_Minh',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(withDate ? { day: '2-digit', month: '2-digit', year: 'numeric' } : {}),
  }).format(Date.parse(iso));

const withUnit = (v: number | null, unit: string, s: BriefingStrings, lang: Lang): string => {
  const u = unitLabel(unit, lang);
  return v === null || !Number.isFinite(v) ? '—' : `${num(v, s)}${u === '%' ? '%' : u ? ` ${u}` : ''}`;
};

const capital = (t: string): string => t.charAt(0).toUpperCase() + t.slice(1);

const nameIn = (lang: Lang, a: { name: string | null; nameEn: string | null }): string =>
  (lang === 'en' && a.nameEn ? a.nameEn : a.name) ?? '—';

function change(k: Kpi, s: BriefingStrings): Cell {
  if (k.value === null || k.previous === null) return '—';
  const diff = k.value - k.previous;
  if (Math.abs(diff) < 1e-9) return { text: '=', color: MUTED };
  const sign = diff > 0 ? '+' : '';
  const pct = k.previous !== 0 ? ` (${sign}${num((diff / Math.abs(k.previous)) * 100, s, 0)}%)` : '';
  const good = k.direction === 'neutral' ? null : diff > 0 === (k.direction === 'up');
  return {
    text: `${sign}${num(diff, s)}${pct}`,
    color: good === null ? MUTED : good ? STATUS_COLOR.met : STATUS_COLOR.missed,
  };
}

function kpis(w: PdfWriter, b: Briefing, lang: Lang, s: BriefingStrings): void {
  const rows = b.kpis.filter((k) => k.n > 0 || k.value !== null);
  if (rows.length === 0) return;
  w.heading(s.kpis);
  const target = (k: Kpi): string =>
    k.target !== null
      ? withUnit(k.target, k.unit, s, lang)
      : k.thresholds.alert !== null
        ? `${lang === 'vi' ? 'báo động' : 'alert'} ${num(k.thresholds.alert, s)}`
        : '—';
  w.table(
    [
      { title: s.cols.indicator, width: 180 },
      { title: lang === 'vi' ? 'Giá trị' : 'Value', width: 72, align: 'right' },
      { title: capital(s.vsPrevious(b.span)), width: 85, align: 'right' },
      { title: s.target, width: 100, align: 'right' },
      { title: lang === 'vi' ? 'Trạng thái' : 'Status', width: 62 },
    ],
    rows.map((k) => [
      k.title[lang],
      { text: withUnit(k.value, k.unit, s, lang), bold: true },
      change(k, s),
      target(k),
      k.status === null
        ? { text: s.status.none, color: MUTED }
        : { text: s.status[k.status], color: STATUS_COLOR[k.status], bold: true },
    ]),
  );
  const provisional = rows.filter((k) => !k.final).length;
  if (provisional > 0) w.note(`${provisional} ${lang === 'vi' ? 'chỉ số' : 'indicators'}: ${s.provisional}.`);
}

function areas(w: PdfWriter, b: Briefing, lang: Lang, s: BriefingStrings): void {
  if (b.themes.length === 0) return;
  w.heading(s.areas);
  const rows: Cell[][] = [];
  for (const t of b.themes) {
    const side = (label: string, list: typeof t.best, color: string): void =>
      list.forEach((a, i) =>
        rows.push([
          '',
          i === 0 ? { text: label, color, bold: true } : '',
          `${i + 1}. ${nameIn(lang, a)}`,
          withUnit(a.value, t.unit, s, lang),
        ]),
      );
    const first = rows.length;
    side(s.best, t.best, STATUS_COLOR.met);
    side(s.worst, t.worst, STATUS_COLOR.missed);
    if (rows.length === first) rows.push(['', '', s.noAreaData, '']);
    rows[first]![0] = { text: `${s.themes[t.theme] ?? t.theme} · ${t.title[lang]}`, bold: true };
  }
  w.table(
    [
      { title: lang === 'vi' ? 'Lĩnh vực · chỉ số' : 'Theme · indicator', width: 150 },
      { title: '', width: 55 },
      { title: s.cols.area, width: 220 },
      { title: lang === 'vi' ? 'Giá trị' : 'Value', width: 74, align: 'right' },
    ],
    rows,
  );
  const bad = b.air.hours.filter((h) => h.hours > 0).slice(0, 5);
  if (bad.length > 0)
    w.table(
      [
        { title: `${s.themes['air'] ?? 'air'}: ${s.hoursOver(b.air.threshold).replace(/^\S+ /, '')}`, width: 230 },
        { title: lang === 'vi' ? 'Số giờ' : 'Hours', width: 70, align: 'right' },
        { title: s.cols.peak, width: 70, align: 'right' },
        { title: s.cols.time, width: 125, align: 'right' },
      ],
      bad.map((h) => [
        nameIn(lang, h),
        num(h.hours, s, 0),
        num(h.peak, s, 0),
        hanoiTime(h.peakAt, s, b.span === 'week'),
      ]),
    );
}

/** The operators' incidents against the centre's targets: detected within 1 h, resolved within 4 h. */
function response(w: PdfWriter, r: Briefing['incidents']['response'], lang: Lang, s: BriefingStrings): void {
  if (r.total === 0) return;
  const vi = lang === 'vi';
  const share = (n: number, of: number): Cell => ({
    text: `${num(n, s, 0)}/${num(of, s, 0)}`,
    bold: true,
    color: n === of ? STATUS_COLOR.met : STATUS_COLOR.missed,
  });
  w.table(
    [
      {
        title: vi ? `Sự cố do trực ban xử lý: ${r.total}` : `Incidents handled by the operators: ${r.total}`,
        width: 250,
      },
      { title: vi ? 'Đạt mục tiêu' : 'Within target', width: 90, align: 'right' },
      { title: vi ? 'Trung vị' : 'Median', width: 90, align: 'right' },
    ],
    [
      [
        vi ? 'Phát hiện trong 1 giờ' : 'Detected within 1 h',
        share(r.detectedInHour, r.total),
        duration(r.medianDetectS, lang),
      ],
      [
        vi ? `Giải quyết trong 4 giờ (${r.resolved} đã giải quyết)` : `Resolved within 4 h (${r.resolved} resolved)`,
        share(r.resolvedIn4h, r.total),
        duration(r.medianResolveS, lang),
      ],
    ],
  );
}

function incidents(w: PdfWriter, b: Briefing, lang: Lang, s: BriefingStrings): void {
  const i = b.incidents;
  w.heading(`${s.incidents}: ${num(i.total, s, 0)}`);
  response(w, i.response, lang, s);
  if (i.total === 0) return w.note(s.noIncidents);
  w.paragraph(
    i.byType.map((t) => `${s.incidentTypes[t.type] ?? t.type}: ${num(t.count, s, 0)}`).join(' · '),
    { size: 10 },
    6,
  );
  const minutes = (a: string, z: string): number => Math.round((Date.parse(z) - Date.parse(a)) / 60_000);
  w.table(
    [
      { title: s.cols.time, width: 72 },
      { title: lang === 'vi' ? 'Kéo dài' : 'Lasted', width: 48, align: 'right' },
      { title: s.cols.type, width: 72 },
      { title: s.cols.area, width: 192 },
      { title: s.cols.camera, width: 60 },
      { title: s.cols.reports, width: 55, align: 'right' },
    ],
    i.items
      .slice(-20)
      .map((it) => [
        `${hanoiTime(it.first, s, b.span === 'week')}–${hanoiTime(it.last, s, false)}`,
        `${num(minutes(it.first, it.last), s, 0)} ${lang === 'vi' ? 'phút' : 'min'}`,
        s.incidentTypes[it.type] ?? it.type,
        nameIn(lang, it),
        it.cameraId,
        num(it.reports, s, 0),
      ]),
  );
  if (i.items.length > 20) w.note(s.sectionTruncated(20));
}

function alerts(w: PdfWriter, b: Briefing, lang: Lang, s: BriefingStrings): void {
  w.heading(s.alerts);
  if (b.alerts.length === 0) w.note(s.noAlerts);
  else
    w.table(
      [
        { title: s.cols.indicator, width: 135 },
        { title: s.cols.area, width: 185 },
        { title: s.cols.time, width: 72 },
        { title: s.cols.windows, width: 50, align: 'right' },
        { title: s.cols.peak, width: 57, align: 'right' },
      ],
      b.alerts
        .slice(0, 15)
        .map((a) => [
          a.title[lang],
          nameIn(lang, a),
          `${hanoiTime(a.first, s, b.span === 'week')}–${hanoiTime(a.last, s, false)}`,
          `${a.windows} × ${a.window}`,
          withUnit(a.peak, a.unit, s, lang),
        ]),
    );
  if (b.raised.total > 0) w.paragraph(s.raised(b.raised.total, b.raised.acknowledged), { size: 10, bold: true });
}

function feedback(w: PdfWriter, b: Briefing, lang: Lang, s: BriefingStrings): void {
  const f = b.feedback;
  if (!f) return;
  const t = s.feedback;
  w.heading(t.title);
  const pct = (v: number | null): string => (v === null ? '—' : `${num(v, s, 1)}%`);
  w.table(
    [
      { title: s.cols.indicator, width: 250 },
      { title: lang === 'vi' ? 'Giá trị' : 'Value', width: 90, align: 'right' },
    ],
    [
      [t.received, { text: num(f.received, s, 0), bold: true }],
      [t.onTime, { text: pct(f.resolvedOnTime), bold: true }],
      [t.backlog, { text: num(f.backlog, s, 0), bold: true }],
      [t.reopen, { text: pct(f.reopenRate), bold: true }],
      [t.rating, { text: f.rating === null ? '—' : `${num(f.rating, s, 1)}/5`, bold: true }],
    ],
  );
  if (f.categories.length > 0)
    w.table(
      [
        { title: t.categories, width: 250 },
        { title: '', width: 90, align: 'right' },
      ],
      f.categories.map((c) => [FEEDBACK_CATEGORY_LABELS[c.category]?.[lang] ?? c.category, num(c.received, s, 0)]),
    );
  if (f.backlogAreas.length > 0)
    w.table(
      [
        { title: t.backlogAreas, width: 250 },
        { title: '', width: 90, align: 'right' },
      ],
      f.backlogAreas.map((a) => [nameIn(lang, a), num(a.count, s, 0)]),
    );
  else w.note(t.noBacklog);
}

/** Agencies shown at each end of the data-quality ranking, as on the page. */
const DQ_SHOWN = 5;

function dataQuality(w: PdfWriter, b: Briefing, s: BriefingStrings): void {
  const dq = b.dataQuality;
  if (dq.agencies.length === 0 && dq.unregistered === 0) return;
  w.heading(s.dataQuality);
  const c = s.dqCols;
  const score = (v: number | null): string => (v === null ? '—' : num(v * 100, s, 0));
  const n = dq.agencies.length;
  const shown =
    n <= 2 * DQ_SHOWN + 1
      ? dq.agencies.map((a, i) => ({ a, i }))
      : [
          ...dq.agencies.slice(0, DQ_SHOWN).map((a, i) => ({ a, i })),
          ...dq.agencies.slice(n - DQ_SHOWN).map((a, i) => ({ a, i: n - DQ_SHOWN + i })),
        ];
  if (n > 0)
    w.table(
      [
        { title: '#', width: 22, align: 'right' },
        { title: c.agency, width: 150 },
        { title: c.devices, width: 45, align: 'right' },
        { title: c.silent, width: 60, align: 'right' },
        { title: c.accuracy, width: 45, align: 'right' },
        { title: c.completeness, width: 45, align: 'right' },
        { title: c.cleanliness, width: 45, align: 'right' },
        { title: c.liveness, width: 45, align: 'right' },
        { title: c.score, width: 42, align: 'right' },
      ],
      shown.map(({ a, i }) => [
        String(i + 1),
        a.name ?? a.agency,
        num(a.devices, s, 0),
        num(a.silentDays, s, 0),
        score(a.accuracy),
        score(a.completeness),
        score(a.cleanliness),
        score(a.liveness),
        { text: score(a.score), bold: true },
      ]),
    );
  if (n > 2 * DQ_SHOWN + 1) w.note(s.moreAgencies(n - 2 * DQ_SHOWN));
  if (dq.unregistered > 0) w.note(s.unregistered(dq.unregistered));
}

const NUMERIC =
  /^(DOUBLE|FLOAT|REAL|DECIMAL|HUGEINT|BIGINT|INTEGER|SMALLINT|TINYINT|UBIGINT|UINTEGER|USMALLINT|UTINYINT)/i;

function sections(w: PdfWriter, b: Briefing, lang: Lang, s: BriefingStrings): void {
  for (const sec of b.sections) {
    w.heading(sec.title[lang] || sec.title.vi || sec.title.en || sec.name);
    if (sec.description) w.note(sec.description);
    if (sec.error !== null) {
      w.note(s.sectionFailed(sec.error));
      continue;
    }
    if (sec.rows.length === 0) {
      w.note(s.sectionEmpty);
      continue;
    }
    const cols = sec.columns.slice(0, 8);
    const width = w.width / Math.max(1, cols.length);
    const cell = (v: unknown): string =>
      v === null || v === undefined
        ? '—'
        : typeof v === 'number'
          ? num(v, s)
          : typeof v === 'object'
            ? JSON.stringify(v)
            : String(v);
    w.table(
      cols.map((c) => ({ title: c.name, width, align: NUMERIC.test(c.type) ? 'right' : 'left' })),
      sec.rows.map((r) => cols.map((_, i) => cell(r[i]))),
    );
    if (sec.truncated) w.note(s.sectionTruncated(sec.rows.length));
  }
}

export async function renderBriefingPdf(b: Briefing, lang: Lang): Promise<Uint8Array<ArrayBuffer>> {
  const s = briefingStrings(lang);
  const title = briefingTitle(b, lang);
  const w = new PdfWriter({ title, lang: s.locale, createdAt: new Date(b.generatedAt) });
  const doc = w.doc;

  // The page's head: the centre, the title with its date, the simulated mark.
  doc.rect(doc.x, doc.y, 4, 44).fill('#da251d');
  doc.rect(doc.x, doc.y + 22, 4, 22).fill('#ffcd00');
  const x = doc.x;
  const top = doc.y;
  w.line(s.subtitle.toUpperCase(), x + 12, top, w.width - 12, { size: 8, color: MUTED });
  w.line(title, x + 12, top + 12, w.width - 12, { size: 17, bold: true });
  w.line(s.aqiScale, x + 12, top + 34, w.width - 12, { size: 8, color: ACCENT });
  doc.x = x;
  doc.y = top + 52;
  if (b.simulated) {
    const y = doc.y;
    doc.roundedRect(x, y, w.measure(SIMULATED, { size: 9, bold: true }) + 16, 17, 3).fill('#c0262d');
    w.line(SIMULATED, x + 8, y + 4, w.width, { size: 9, bold: true, color: '#ffffff' });
    doc.y = y + 24;
  }
  w.rule(doc.y, '#14202e');
  doc.y += 6;

  w.heading(s.summary);
  b.narrative.forEach((p, i) => w.paragraph(p, { size: 10.5, bold: i === 0 }, 5));
  if (b.hasData) {
    kpis(w, b, lang, s);
    areas(w, b, lang, s);
    incidents(w, b, lang, s);
    alerts(w, b, lang, s);
    feedback(w, b, lang, s);
    dataQuality(w, b, s);
    sections(w, b, lang, s);
  } else {
    w.heading(s.empty.title);
    w.note(s.empty.body);
  }

  const generated = `${s.generated} ${hanoiTime(b.generatedAt, s, true)} (${lang === 'vi' ? 'giờ Hà Nội' : 'Hanoi time'})`;
  w.footers(`${generated} · ${title}`, (i, n) => (lang === 'vi' ? `Trang ${i}/${n}` : `Page ${i} of ${n}`));
  return w.end();
}
