// The briefing's sections as HTML: narrative, KPI cards with trends, area rankings, incidents, alerts, empty state.
import type { Lang } from '../shared/lang.ts';
import { unitLabel } from '../shared/units.ts';
import { vnAqiCategory, type Briefing, type Kpi } from '../shared/wire/index.ts';
import { briefingStrings, type BriefingStrings } from './i18n.ts';
import { trendChartSvg } from './trend-chart.ts';
import { esc, num } from './format.ts';
import { feedbackSection } from './feedback-section.ts';
import { responseFigures } from './response-section.ts';

function time(iso: string, s: BriefingStrings, withDate: boolean): string {
  return new Intl.DateTimeFormat(s.locale, {
    timeZone: 'Asia/Ho_Chi_Minh',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    ...(withDate ? { day: '2-digit', month: '2-digit' } : {}),
  }).format(Date.parse(iso));
}

export function dateLabel(date: string): string {
  const [y, m, d] = date.split('-');
  return `${d}/${m}/${y}`;
}

function valueWithUnit(k: { unit: string }, v: number | null, s: BriefingStrings, lang: Lang): string {
  const u = unitLabel(k.unit, lang);
  return `${num(v, s)}${u === '%' ? '' : ' '}<span class="unit">${esc(u)}</span>`;
}

function change(k: Kpi, s: BriefingStrings, span: 'day' | 'week'): string {
  if (k.value === null || k.previous === null) return '';
  const diff = k.value - k.previous;
  const arrow = Math.abs(diff) < 1e-9 ? '→' : diff > 0 ? '▲' : '▼';
  const good =
    k.direction === 'neutral' || Math.abs(diff) < 1e-9 ? 'flat' : diff > 0 === (k.direction === 'up') ? 'good' : 'bad';
  const pct = k.previous !== 0 ? ` (${diff > 0 ? '+' : ''}${num((diff / Math.abs(k.previous)) * 100, s, 0)}%)` : '';
  return `<span class="change ${good}">${arrow} ${diff > 0 ? '+' : ''}${num(diff, s)}${pct} ${esc(s.vsPrevious(span))}</span>`;
}

function kpiCard(k: Kpi, b: Briefing, lang: Lang): string {
  const s = briefingStrings(lang);
  const status = k.status ?? 'none';
  const aqi = k.scale === 'vn_aqi' ? vnAqiCategory(k.value) : null;
  const target = `<span>${k.target !== null ? `${s.target} ${valueWithUnit(k, k.target, s, lang)}` : k.thresholds.alert !== null ? `${s.noTarget} · ⚠ ${num(k.thresholds.alert, s)}` : s.noTarget}</span>`;
  const chart = trendChartSvg(k.trend.points, {
    from: Date.parse(k.trend.from),
    to: Date.parse(k.trend.to),
    width: 300,
    height: 64,
    warn: k.thresholds.warn,
    alert: k.thresholds.alert,
    scale: k.scale,
    format: (v) => num(v, s),
  });
  const scaleNote =
    k.scale === 'vn_aqi'
      ? `<div class="scale-note">${esc(s.aqiScale)}${aqi ? ` · <span class="aqi-chip" style="background:${aqi.color}">${esc(aqi.vi)}${lang === 'en' ? ` (${esc(aqi.en)})` : ''}</span>` : ''}</div>`
      : '';
  return `<article class="kpi st-${status}" data-kpi="${esc(k.name)}">
  <div class="kpi-top"><h3>${esc(k.title[lang])}</h3><span class="badge st-${status}">${esc(s.status[status])}</span></div>
  <div class="kpi-value">${valueWithUnit(k, k.value, s, lang)}</div>
  <div class="kpi-meta">${target}${change(k, s, b.span)}</div>
  <div class="kpi-chart">${chart}</div>
  ${scaleNote}
  <div class="kpi-foot">${esc(s.trend(k.trend.bucket))} · ${esc(s.events(num(k.n, s, 0)))} · ${k.final ? s.final : s.provisional}</div>
</article>`;
}

function areaList(items: Briefing['themes'][number]['best'], unit: string, s: BriefingStrings, lang: Lang): string {
  if (items.length === 0) return '<li class="muted">—</li>';
  return items
    .map(
      (a) =>
        `<li><span>${esc(lang === 'en' && a.nameEn ? a.nameEn : a.name)}</span><b>${valueWithUnit({ unit }, a.value, s, lang)}</b></li>`,
    )
    .join('');
}

function themes(b: Briefing, lang: Lang): string {
  const s = briefingStrings(lang);
  const cards = b.themes.map(
    (t) => `<div class="theme" data-theme="${esc(t.theme)}">
    <h3>${esc(s.themes[t.theme] ?? t.theme)} <span class="muted">· ${esc(t.title[lang])}</span></h3>
    ${
      t.best.length + t.worst.length === 0
        ? `<p class="muted">${esc(s.noAreaData)}</p>`
        : `<div class="bw">
      <div><h4 class="good">${esc(s.best)}</h4><ol>${areaList(t.best, t.unit, s, lang)}</ol></div>
      <div><h4 class="bad">${esc(s.worst)}</h4><ol>${areaList(t.worst, t.unit, s, lang)}</ol></div></div>`
    }
  </div>`,
  );
  return `<section class="block"><h2>${esc(s.areas)}</h2><div class="themes">${cards.join('')}</div></section>`;
}

function incidents(b: Briefing, lang: Lang): string {
  const s = briefingStrings(lang);
  const i = b.incidents;
  const response = responseFigures(b, lang);
  if (i.total === 0)
    return `<section class="block" id="incidents"><h2>${esc(s.incidents)}</h2><p class="muted">${esc(s.noIncidents)}</p>${response}</section>`;
  const chips = i.byType
    .map((t) => `<span class="chip">${esc(s.incidentTypes[t.type] ?? t.type)} <b>${t.count}</b></span>`)
    .join('');
  const rows = i.items
    .slice(-15)
    .map(
      (it) =>
        `<tr><td>${esc(time(it.first, s, b.span === 'week'))}–${esc(time(it.last, s, false))}</td><td>${esc(s.incidentTypes[it.type] ?? it.type)}</td><td>${esc((lang === 'en' && it.nameEn ? it.nameEn : it.name) ?? '—')}</td><td>${esc(it.cameraId)}</td><td class="r">${it.reports}</td></tr>`,
    )
    .join('');
  return `<section class="block" id="incidents"><h2>${esc(s.incidents)} <span class="count">${i.total}</span></h2>${response}<div class="chips">${chips}</div>
  <table><thead><tr><th>${s.cols.time}</th><th>${s.cols.type}</th><th>${s.cols.area}</th><th>${s.cols.camera}</th><th class="r">${s.cols.reports}</th></tr></thead><tbody>${rows}</tbody></table></section>`;
}

function raised(b: Briefing, lang: Lang): string {
  const s = briefingStrings(lang);
  const r = b.raised;
  if (!r || r.total === 0) return '';
  const rows = r.items
    .slice(-12)
    .map(
      (a) =>
        `<tr><td>${esc(time(a.since, s, b.span === 'week'))}</td><td>${esc(a.title[lang])}</td><td>${esc(lang === 'en' && a.nameEn ? a.nameEn : a.name)}</td><td>${esc(a.severity)}</td><td>${esc(a.status)}</td></tr>`,
    )
    .join('');
  return `<h3 class="raised">${esc(s.raised(r.total, r.acknowledged))}</h3><table><thead><tr><th>${s.cols.time}</th><th>${s.cols.indicator}</th><th>${s.cols.area}</th><th></th><th></th></tr></thead><tbody>${rows}</tbody></table>`;
}

function alerts(b: Briefing, lang: Lang): string {
  const s = briefingStrings(lang);
  if (b.alerts.length === 0)
    return `<section class="block"><h2>${esc(s.alerts)}</h2><p class="muted">${esc(s.noAlerts)}</p>${raised(b, lang)}</section>`;
  const rows = b.alerts
    .slice(0, 12)
    .map(
      (a) =>
        `<tr><td>${esc(a.title[lang])}</td><td>${esc(lang === 'en' && a.nameEn ? a.nameEn : a.name)}</td><td>${esc(time(a.first, s, b.span === 'week'))}–${esc(time(a.last, s, false))}</td><td class="r">${a.windows} × ${esc(a.window)}</td><td class="r">${valueWithUnit(a, a.peak, s, lang)}</td></tr>`,
    )
    .join('');
  return `<section class="block"><h2>${esc(s.alerts)}</h2><table><thead><tr><th>${s.cols.indicator}</th><th>${s.cols.area}</th><th>${s.cols.time}</th><th class="r">${s.cols.windows}</th><th class="r">${s.cols.peak}</th></tr></thead><tbody>${rows}</tbody></table>${raised(b, lang)}</section>`;
}

/** Agencies shown at each end of the data-quality ranking. */
const DQ_SHOWN = 5;

/** Tests scored 0–1, shown out of 100 like the score. */
const pct = (v: number | null, s: BriefingStrings): string => (v === null ? '—' : num(v * 100, s, 0));

function dataQuality(b: Briefing, lang: Lang): string {
  const s = briefingStrings(lang);
  const dq = b.dataQuality;
  if (dq.agencies.length === 0 && dq.unregistered === 0) return '';
  const c = s.dqCols;
  const row = (a: (typeof dq.agencies)[number], i: number) =>
    `<tr><td class="r">${i + 1}</td><td title="${esc(a.agency)}">${esc(a.name ?? a.agency)}</td><td class="r">${a.devices}</td><td class="r">${a.silentDays}</td><td class="r">${pct(a.accuracy, s)}</td><td class="r">${pct(a.completeness, s)}</td><td class="r">${pct(a.cleanliness, s)}</td><td class="r">${pct(a.liveness, s)}</td><td class="r"><b>${pct(a.score, s)}</b></td></tr>`;
  // A leader reads the best and the worst; the agencies between are one line (the API lists them all).
  const n = dq.agencies.length;
  const rows =
    n <= 2 * DQ_SHOWN + 1
      ? dq.agencies.map(row).join('')
      : dq.agencies.slice(0, DQ_SHOWN).map(row).join('') +
        `<tr class="gap"><td></td><td colspan="8" class="muted">${esc(s.moreAgencies(n - 2 * DQ_SHOWN))}</td></tr>` +
        dq.agencies
          .slice(n - DQ_SHOWN)
          .map((a, i) => row(a, n - DQ_SHOWN + i))
          .join('');
  const note = dq.unregistered > 0 ? `<p class="muted">${esc(s.unregistered(dq.unregistered))}</p>` : '';
  return `<section class="block" id="data-quality"><h2>${esc(s.dataQuality)}</h2>${
    rows
      ? `<table><thead><tr><th class="r">#</th><th>${c.agency}</th><th class="r">${c.devices}</th><th class="r">${c.silent}</th><th class="r">${c.accuracy}</th><th class="r">${c.completeness}</th><th class="r">${c.cleanliness}</th><th class="r">${c.liveness}</th><th class="r">${c.score}</th></tr></thead><tbody>${rows}</tbody></table>`
      : ''
  }${note}</section>`;
}

const NUMERIC =
  /^(DOUBLE|FLOAT|REAL|DECIMAL|HUGEINT|BIGINT|INTEGER|SMALLINT|TINYINT|UBIGINT|UINTEGER|USMALLINT|UTINYINT)/i;

function cellText(v: unknown, s: BriefingStrings): string {
  if (v === null || v === undefined) return '—';
  if (typeof v === 'number') return num(v, s);
  if (typeof v === 'object') return esc(JSON.stringify(v));
  return esc(String(v));
}

/** A saved query's answer: bars for a label and a number, else a table. */
function section(sec: Briefing['sections'][number], lang: Lang): string {
  const s = briefingStrings(lang);
  const title = esc(sec.title[lang] || sec.title.vi || sec.title.en || sec.name);
  const about = sec.description ? `<p class="muted">${esc(sec.description)}</p>` : '';
  let body: string;
  if (sec.error !== null) body = `<p class="error">${esc(s.sectionFailed(sec.error))}</p>`;
  else if (sec.rows.length === 0) body = `<p class="muted">${esc(s.sectionEmpty)}</p>`;
  else if (sec.columns.length === 2 && NUMERIC.test(sec.columns[1]!.type)) {
    const values = sec.rows.map((r) => Number(r[1] ?? 0));
    const most = Math.max(...values.map(Math.abs), Number.MIN_VALUE);
    body = `<div class="bars">${sec.rows
      .map(
        (r, i) =>
          `<div class="bar-row"><span class="bar-label">${cellText(r[0], s)}</span><span class="bar"><i style="width:${((Math.abs(values[i]!) / most) * 100).toFixed(1)}%"></i></span><span class="bar-value">${cellText(r[1], s)}${sec.unit ? ` ${esc(sec.unit)}` : ''}</span></div>`,
      )
      .join('')}</div>`;
  } else {
    const head = sec.columns.map((c) => `<th${NUMERIC.test(c.type) ? ' class="r"' : ''}>${esc(c.name)}</th>`).join('');
    const rows = sec.rows
      .map(
        (r) =>
          `<tr>${r.map((v, i) => `<td${NUMERIC.test(sec.columns[i]?.type ?? '') ? ' class="r"' : ''}>${cellText(v, s)}</td>`).join('')}</tr>`,
      )
      .join('');
    body = `<table><thead><tr>${head}</tr></thead><tbody>${rows}</tbody></table>`;
  }
  const more = sec.truncated ? `<p class="muted">${esc(s.sectionTruncated(sec.rows.length))}</p>` : '';
  return `<section class="block saved-query" data-query="${esc(sec.name)}"><h2>${title}</h2>${about}${body}${more}</section>`;
}

export function renderBriefing(b: Briefing, lang: Lang): string {
  const s = briefingStrings(lang);
  const summary = `<section class="block summary" id="narrative"><h2>${esc(s.summary)}</h2>${b.narrative.map((p) => `<p>${esc(p)}</p>`).join('')}</section>`;
  if (!b.hasData) {
    return `<section class="empty" id="empty-state"><div class="empty-icon" aria-hidden="true">∅</div><h2>${esc(s.empty.title)}</h2><p>${esc(s.empty.body)}</p></section>${summary}`;
  }
  const kpis = b.kpis.filter((k) => k.n > 0 || k.value !== null);
  return `${summary}<section class="block"><h2>${esc(s.kpis)}</h2><div class="kpis">${kpis.map((k) => kpiCard(k, b, lang)).join('')}</div></section>${themes(b, lang)}<div class="two">${incidents(b, lang)}${alerts(b, lang)}</div>${feedbackSection(b, lang)}${dataQuality(b, lang)}${b.sections.map((x) => section(x, lang)).join('')}`;
}
