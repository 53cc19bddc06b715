// The wall's data-trust panel ("đúng, đủ, sạch, sống"): per family, the sources reporting and silent, and today's
// late, rejected and duplicated counts and score; and the agencies to chase first. A header button shows the silent
// sources without opening it. Read from GET /api/trust once a minute, and at once when opened.
import { getJson } from '../shared/api.ts';
import type { Lang } from '../shared/lang.ts';
import { trustSchema, type Trust } from '../shared/wire/index.ts';
import { escapeHtml, formatHanoiTime } from './format.ts';

const REFRESH_MS = 60_000;

const TEXT = {
  vi: {
    button: 'Dữ liệu',
    title: 'Độ tin cậy dữ liệu hôm nay',
    tests: 'đúng · đủ · sạch · sống',
    columns: ['Nguồn', 'Đang gửi', 'Im lặng', 'Trễ', 'Bị loại', 'Trùng', 'Điểm'],
    families: { camera: 'Camera', sensor: 'Cảm biến', service: 'Dịch vụ công', feedback: 'Phản ánh' } as Record<
      string,
      string
    >,
    agencies: 'Cơ quan cần kiểm tra trước',
    agencyColumns: ['Cơ quan', 'Thiết bị', 'Im lặng', 'Điểm'],
    none: 'Chưa có dữ liệu hôm nay',
    footer: (at: string, minutes: number) => `Cập nhật ${at} · im lặng: không gửi gì trong ${minutes} phút`,
    locale: 'vi-VN',
  },
  en: {
    button: 'Data',
    title: 'Data trust today',
    tests: 'accurate · sufficient · clean · live',
    columns: ['Source', 'Reporting', 'Silent', 'Late', 'Rejected', 'Duplicated', 'Score'],
    families: {
      camera: 'Cameras',
      sensor: 'Sensors',
      service: 'Public services',
      feedback: 'Citizen reports',
    } as Record<string, string>,
    agencies: 'Agencies to chase first',
    agencyColumns: ['Agency', 'Devices', 'Silent', 'Score'],
    none: 'No data yet today',
    footer: (at: string, minutes: number) => `Updated ${at} · silent: nothing sent for ${minutes} minutes`,
    locale: 'en-GB',
  },
} as const;

export interface TrustPanel {
  setLang(lang: Lang): void;
  refresh(): void;
}

const percent = (v: number | null): string => (v === null ? '—' : `${Math.round(v * 100)}%`);

/** A score's band, as the wall colours it: good from 90 %, watch from 70 %, else poor. */
const band = (v: number | null): string => (v === null ? 'none' : v >= 0.9 ? 'good' : v >= 0.7 ? 'watch' : 'poor');

function render(trust: Trust, lang: Lang): string {
  const t = TEXT[lang];
  const count = (n: number, cls: string): string =>
    `<td class="${n > 0 ? cls : 'zero'}">${n.toLocaleString(t.locale)}</td>`;
  const families = trust.families
    .map(
      (f) => `<tr data-family="${escapeHtml(f.family)}">
        <th scope="row">${escapeHtml(t.families[f.family] ?? f.family)}</th>
        <td>${f.reporting.toLocaleString(t.locale)}</td>${count(f.silent, 'bad')}${count(f.late, 'warn')}
        ${count(f.rejected, 'bad')}${count(f.duplicates, 'warn')}
        <td class="score" data-band="${band(f.score)}">${percent(f.score)}</td></tr>`,
    )
    .join('');
  const agencies =
    trust.agencies.length === 0
      ? `<p class="trust-none">${t.none}</p>`
      : `<table class="trust-table"><thead><tr>${t.agencyColumns.map((c) => `<th scope="col">${c}</th>`).join('')}</tr></thead><tbody>${trust.agencies
          .map(
            (a) => `<tr data-agency="${escapeHtml(a.agency)}"><th scope="row">${escapeHtml(a.name ?? a.agency)}</th>
              <td>${a.devices}</td>${count(a.silent, 'bad')}
              <td class="score" data-band="${band(a.score)}">${percent(a.score)}</td></tr>`,
          )
          .join('')}</tbody></table>`;
  return `<h2 class="panel-label">${t.title} <span class="trust-tests">${t.tests}</span></h2>
    <table class="trust-table"><thead><tr>${t.columns.map((c) => `<th scope="col">${c}</th>`).join('')}</tr></thead>
    <tbody>${families}</tbody></table>
    <h3 class="panel-label">${t.agencies}</h3>${agencies}
    <p class="trust-footer">${t.footer(formatHanoiTime(Date.parse(trust.at), t.locale, true), trust.silentAfterMinutes)}</p>`;
}

export function mountTrustPanel(
  els: { toggle: HTMLButtonElement; label: HTMLElement; count: HTMLElement; panel: HTMLElement },
  options: { lang: Lang; onError: (error: unknown) => void },
): TrustPanel {
  let lang = options.lang;
  let last: Trust | null = null;
  let loading = false;
  const show = (): void => {
    els.label.textContent = TEXT[lang].button;
    const silent = last?.families.reduce((n, f) => n + f.silent, 0) ?? 0;
    els.count.textContent = String(silent);
    els.toggle.dataset['silent'] = String(silent);
    if (last) els.panel.innerHTML = render(last, lang);
  };
  const refresh = (): void => {
    if (loading) return;
    loading = true;
    getJson('/api/trust', trustSchema)
      .then((trust) => {
        last = trust;
        show();
      }, options.onError)
      .finally(() => {
        loading = false;
      });
  };
  els.toggle.addEventListener('click', () => {
    els.panel.hidden = !els.panel.hidden;
    els.toggle.setAttribute('aria-pressed', String(!els.panel.hidden));
    if (!els.panel.hidden) refresh();
  });
  show();
  refresh();
  setInterval(refresh, REFRESH_MS);
  return {
    setLang(next) {
      lang = next;
      show();
    },
    refresh,
  };
}
