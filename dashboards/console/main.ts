// The analysts' console: editor, run/cancel, result grid or chart, exports, history, saved queries and their promotion.
import '../shared/auth.ts';
// First: every same-origin call then carries the page's bearer token (and asks for one on a 401).
import '../shared/auth.ts';
import type { Table } from 'apache-arrow';
import { loadLang, saveLang, type Lang } from '../shared/lang.ts';
import {
  cancelQuery,
  deleteQuery,
  download,
  fetchCatalog,
  fetchSaved,
  runQuery,
  saveQuery,
  SqlFailure,
  type CatalogTables,
  type ParamDef,
  type ParamValues,
  type Saved,
} from './api.ts';
import { drawChart, type ChartKind } from './chart.ts';
import { createEditor } from './editor.ts';
import { escapeHtml } from './format.ts';
import { ResultGrid } from './grid.ts';
import { loadHistory, paramNames, remember, type HistoryEntry } from './history.ts';
import { strings } from './i18n.ts';
import { MapChart } from './map-chart.ts';
import { liveIndicator } from './live-indicator.ts';
import { byId as elementById } from '../shared/dom.ts';
import { formatHanoiTime } from '../shared/hanoi-time.ts';

const byId = <T extends HTMLElement>(id: string): T => elementById<T>(id, 'console');

const els = {
  title: byId('title'),
  subtitle: byId('subtitle'),
  wallLink: byId<HTMLAnchorElement>('wall-link'),
  lang: byId<HTMLButtonElement>('lang'),
  catalogTitle: byId('catalog-title'),
  catalogFilter: byId<HTMLInputElement>('catalog-filter'),
  catalog: byId('catalog'),
  savedTitle: byId('saved-title'),
  saved: byId('saved'),
  historyTitle: byId('history-title'),
  history: byId('history'),
  editor: byId('editor'),
  run: byId<HTMLButtonElement>('run'),
  cancel: byId<HTMLButtonElement>('cancel'),
  everyLabel: byId('every-label'),
  every: byId<HTMLSelectElement>('every'),
  save: byId<HTMLButtonElement>('save'),
  exportCsv: byId<HTMLButtonElement>('export-csv'),
  exportParquet: byId<HTMLButtonElement>('export-parquet'),
  params: byId('params'),
  error: byId('error'),
  tabGrid: byId<HTMLButtonElement>('tab-grid'),
  tabChart: byId<HTMLButtonElement>('tab-chart'),
  chartKind: byId<HTMLSelectElement>('chart-kind'),
  status: byId('status'),
  grid: byId('grid'),
  chart: byId('chart'),
  canvas: byId<HTMLCanvasElement>('chart-canvas'),
  chartMap: byId<HTMLDivElement>('chart-map'),
  chartNote: byId('chart-note'),
  saveDialog: byId<HTMLDialogElement>('save-dialog'),
  saveForm: byId<HTMLFormElement>('save-form'),
  saveHeading: byId('save-heading'),
  saveParams: byId('save-params'),
};

const DRAFT_KEY = 'ioc.console.draft';
const FIRST_QUERY = `-- Lưu lượng xe mỗi phút theo quận, 1 giờ qua / vehicles per minute per district, last hour
SELECT time_bucket(INTERVAL 1 MINUTE, ts) AS t, area, sum(car + motorbike + bus + truck) AS vehicles
FROM camera_events
WHERE ts >= now() - INTERVAL 1 HOUR
GROUP BY ALL
ORDER BY t, area`;

let lang: Lang = loadLang();
let table: Table | null = null;
let view: 'grid' | 'chart' = 'grid';
let catalog: CatalogTables = [];
let saved: Saved[] = [];
let history: HistoryEntry[] = loadHistory();
let running: { id: string; abort: AbortController } | null = null;
let everyTimer: ReturnType<typeof setTimeout> | undefined;
const paramValues = new Map<string, string>();
let lastStatus: () => string = () => '';

const s = () => strings(lang);
const fmt = (n: number) => n.toLocaleString(s().locale);
/** A time of day in Hanoi, as the history and the stale-data warning show it. */
const hanoiTime = (ms: number) => formatHanoiTime(ms, s().locale, true);
const grid = new ResultGrid(els.grid, s().empty);
const mapChart = new MapChart(els.chartMap);
const editor = createEditor(els.editor, readDraft(), () => void run());
const live = liveIndicator({
  button: byId<HTMLButtonElement>('make-live'),
  dialog: byId<HTMLDialogElement>('live-dialog'),
  form: byId<HTMLFormElement>('live-form'),
  error: byId('live-error'),
  preview: byId('live-preview'),
  progress: byId('live-progress'),
  previewButton: byId<HTMLButtonElement>('live-preview-btn'),
  createButton: byId<HTMLButtonElement>('live-create'),
  query: () => editor.text(),
  lang: () => lang,
  locale: () => s().locale,
});

function readDraft(): string {
  try {
    return localStorage.getItem(DRAFT_KEY) ?? FIRST_QUERY;
  } catch {
    return FIRST_QUERY;
  }
}

// ---- language -----------------------------------------------------------------------------------

function applyLanguage(): void {
  const t = s();
  document.documentElement.lang = lang;
  document.title = t.title;
  els.title.textContent = t.title;
  els.subtitle.textContent = t.subtitle;
  els.wallLink.textContent = t.wall;
  els.lang.dataset['active'] = lang;
  els.lang.title = t.switchTo;
  els.catalogTitle.textContent = t.catalog;
  els.catalogFilter.placeholder = t.filter;
  els.savedTitle.textContent = t.saved;
  els.historyTitle.textContent = t.history;
  els.run.innerHTML = `${escapeHtml(t.run)}<kbd>${t.runHint}</kbd>`;
  els.cancel.textContent = t.cancel;
  els.everyLabel.textContent = t.every;
  els.save.textContent = t.save;
  els.exportCsv.textContent = t.exportCsv;
  els.exportParquet.textContent = t.exportParquet;
  els.tabGrid.textContent = t.grid;
  els.tabChart.textContent = t.chart;
  const kinds: Record<string, string> = { line: t.line, bar: t.bar, map: t.map };
  for (const o of els.chartKind.options) o.textContent = kinds[o.value] ?? o.value;
  els.saveHeading.textContent = t.saveHeading;
  for (const el of els.saveForm.querySelectorAll<HTMLElement>('[data-t]'))
    el.textContent = String(t[el.dataset['t'] as keyof typeof t]);
  live.applyLanguage();
  grid.setEmptyText(t.empty);
  els.status.innerHTML = lastStatus();
  renderCatalog();
  renderSaved();
  renderHistory();
}

// ---- side panels --------------------------------------------------------------------------------

function renderCatalog(): void {
  const q = els.catalogFilter.value.trim().toLowerCase();
  const open = new Set(
    [...els.catalog.querySelectorAll<HTMLDetailsElement>('details[open]')].map((d) => d.dataset['table']),
  );
  els.catalog.innerHTML = catalog
    .filter((tb) => !q || tb.name.toLowerCase().includes(q) || tb.columns.some((c) => c.name.toLowerCase().includes(q)))
    .map(
      (
        tb,
      ) => `<details data-table="${escapeHtml(tb.name)}"${open.has(tb.name) || (q && !tb.name.toLowerCase().includes(q)) ? ' open' : ''}>
      <summary><span class="tname">${escapeHtml(tb.name)}</span><span class="tkind">${tb.kind === 'view' ? s().view : ''}</span><span class="tcount">${tb.rows === null ? '' : fmt(tb.rows)}</span></summary>
      ${tb.columns.map((c) => `<div class="col" data-insert="${escapeHtml(c.name)}"><span class="cname">${escapeHtml(c.name)}</span><span class="ctype">${escapeHtml(c.type)}</span></div>`).join('')}
    </details>`,
    )
    .join('');
}

function renderSaved(): void {
  if (saved.length === 0) {
    els.saved.innerHTML = `<div class="empty-note">${s().noSaved}</div>`;
    return;
  }
  els.saved.innerHTML = saved
    .map(
      (q) => `<button type="button" class="item" data-saved="${escapeHtml(q.name)}" title="${escapeHtml(q.sql)}">
    <span class="sql">${escapeHtml(q.title[lang] || q.name)}</span>
    <span class="meta"><span>${escapeHtml(q.name)}</span><span class="badges">${q.wall ? '<span class="badge">wall</span>' : ''}${q.briefing ? '<span class="badge">briefing</span>' : ''}</span></span>
  </button>`,
    )
    .join('');
}

function renderHistory(): void {
  if (history.length === 0) {
    els.history.innerHTML = `<div class="empty-note">${s().noHistory}</div>`;
    return;
  }
  els.history.innerHTML = history
    .slice(0, 30)
    .map(
      (h, i) => `<button type="button" class="item" data-history="${i}" title="${escapeHtml(h.sql)}">
    <span class="sql">${escapeHtml(h.sql.replace(/\s+/g, ' ').slice(0, 120))}</span>
    <span class="meta"><span>${hanoiTime(h.at)}</span>${h.error ? `<span class="err">${escapeHtml(h.error.slice(0, 40))}</span>` : `<span>${s().rows(fmt(h.rows ?? 0))} · ${Math.round(h.ms)} ${s().ms}</span>`}</span>
  </button>`,
    )
    .join('');
}

// ---- parameters ---------------------------------------------------------------------------------

function renderParams(): void {
  const names = paramNames(editor.text());
  els.params.hidden = names.length === 0;
  if (names.length === 0) return;
  const focused =
    document.activeElement instanceof HTMLInputElement ? document.activeElement.dataset['param'] : undefined;
  const current = [...els.params.querySelectorAll<HTMLInputElement>('input[data-param]')]
    .map((i) => i.dataset['param'])
    .join(',');
  if (current === names.join(',')) return;
  els.params.innerHTML = `<span>${s().params}</span>${names.map((n) => `<label class="inline">$${escapeHtml(n)} <input data-param="${escapeHtml(n)}" value="${escapeHtml(paramValues.get(n) ?? '')}" /></label>`).join('')}`;
  if (focused) els.params.querySelector<HTMLInputElement>(`input[data-param="${CSS.escape(focused)}"]`)?.focus();
}

function currentParams(): ParamValues | undefined {
  const names = paramNames(editor.text());
  if (names.length === 0) return undefined;
  return Object.fromEntries(names.map((n) => [n, paramValues.get(n) ?? null]));
}

// ---- running ------------------------------------------------------------------------------------

function setStatus(html: () => string): void {
  lastStatus = html;
  els.status.innerHTML = html();
}

function showError(err: unknown): void {
  const t = s();
  if (err instanceof SqlFailure) {
    const where =
      err.line !== null && err.column !== null ? `<span class="where">${t.lineCol(err.line, err.column)}</span>\n` : '';
    els.error.innerHTML = `${where}${escapeHtml(err.code === 'cancelled' ? t.cancelled : err.message)}`;
    editor.markError(err.position, err.message);
  } else {
    els.error.textContent = err instanceof Error ? err.message : String(err);
  }
  els.error.hidden = false;
}

function clearError(): void {
  els.error.hidden = true;
  els.error.textContent = '';
  editor.markError(null, '');
}

async function run(): Promise<void> {
  clearTimeout(everyTimer);
  const sql = editor.text().trim();
  if (!sql) return;
  if (running) await cancel();
  const id = crypto.randomUUID();
  const abort = new AbortController();
  running = { id, abort };
  els.run.disabled = true;
  els.cancel.disabled = false;
  setStatus(() => s().running);
  clearError();
  const started = Date.now();
  try {
    const result = await runQuery(sql, id, currentParams(), abort.signal);
    table = result.table;
    const rows = result.table.numRows;
    setStatus(
      () =>
        `${s().rows(fmt(rows))} · ${Math.round(result.elapsedMs)} ${s().ms}${result.truncated ? ` · <span class="warn">${s().truncated(fmt(rows))}</span>` : ''}${result.staleAsOf ? ` · <span class="warn">${s().stale(hanoiTime(result.staleAsOf.getTime()))}</span>` : ''}`,
    );
    history = remember({ sql, at: started, ms: result.elapsedMs, rows, error: null });
    showResult();
    const every = Number(els.every.value);
    if (every > 0) everyTimer = setTimeout(() => void run(), every * 1000);
  } catch (err) {
    if (abort.signal.aborted && !(err instanceof SqlFailure))
      showError(new SqlFailure(s().cancelled, 'cancelled', 409, null, null, null));
    else showError(err);
    setStatus(() => '');
    history = remember({
      sql,
      at: started,
      ms: Date.now() - started,
      rows: null,
      error: err instanceof Error ? err.message : String(err),
    });
  } finally {
    if (running?.id === id) running = null;
    els.run.disabled = false;
    els.cancel.disabled = true;
    renderHistory();
  }
}

async function cancel(): Promise<void> {
  const r = running;
  if (!r) return;
  clearTimeout(everyTimer);
  els.every.value = '0';
  // The server interrupts DuckDB; the request then ends with 409 cancelled.
  await cancelQuery(r.id);
  setTimeout(() => r.abort.abort(), 2_000);
}

// ---- result views -------------------------------------------------------------------------------

function showResult(): void {
  els.tabGrid.setAttribute('aria-selected', String(view === 'grid'));
  els.tabChart.setAttribute('aria-selected', String(view === 'chart'));
  els.grid.hidden = view !== 'grid';
  els.chart.hidden = view !== 'chart';
  els.chartKind.hidden = view !== 'chart';
  if (view === 'grid') grid.setTable(table);
  else drawCurrentChart();
}

function drawCurrentChart(): void {
  const kind = els.chartKind.value as ChartKind | 'map';
  els.chartMap.hidden = kind !== 'map';
  els.canvas.hidden = kind === 'map';
  els.chartNote.textContent = '';
  if (!table) {
    els.chartNote.textContent = s().empty;
    return;
  }
  if (kind === 'map') {
    if (!mapChart.show(table)) els.chartNote.textContent = s().noMap;
  } else if (!drawChart(els.canvas, table, kind, s().locale)) {
    els.chartNote.textContent = s().noChart;
  }
}

// ---- saving -------------------------------------------------------------------------------------

function openSave(): void {
  const names = paramNames(editor.text());
  const f = els.saveForm.elements;
  const existing = saved.find((q) => q.sql === editor.text());
  (f.namedItem('name') as HTMLInputElement).value = existing?.name ?? '';
  (f.namedItem('vi') as HTMLInputElement).value = existing?.title.vi ?? '';
  (f.namedItem('en') as HTMLInputElement).value = existing?.title.en ?? '';
  (f.namedItem('unit') as HTMLInputElement).value = existing?.unit ?? '';
  (f.namedItem('wall') as HTMLInputElement).checked = existing?.wall ?? false;
  (f.namedItem('briefing') as HTMLInputElement).checked = existing?.briefing ?? false;
  els.saveParams.innerHTML = names
    .map((n) => {
      const def = existing?.params.find((p) => p.name === n);
      return `<div class="p" data-p="${escapeHtml(n)}"><span>$${escapeHtml(n)}</span><select>${['text', 'number', 'time', 'boolean'].map((k) => `<option${def?.type === k ? ' selected' : ''}>${k}</option>`).join('')}</select><input placeholder="default" value="${escapeHtml(String(def?.default ?? paramValues.get(n) ?? ''))}" /></div>`;
    })
    .join('');
  els.saveDialog.showModal();
}

async function submitSave(): Promise<void> {
  const f = els.saveForm.elements;
  const value = (n: string) => (f.namedItem(n) as HTMLInputElement).value.trim();
  const params: ParamDef[] = [...els.saveParams.querySelectorAll<HTMLElement>('[data-p]')].map((row) => {
    const type = row.querySelector('select')!.value as ParamDef['type'];
    const raw = row.querySelector('input')!.value;
    return {
      name: row.dataset['p']!,
      type,
      default: raw === '' ? null : type === 'number' ? Number(raw) : type === 'boolean' ? raw === 'true' : raw,
    };
  });
  try {
    const q = await saveQuery({
      name: value('name'),
      title: { vi: value('vi'), en: value('en') },
      sql: editor.text(),
      params,
      unit: value('unit') || null,
      wall: (f.namedItem('wall') as HTMLInputElement).checked,
      briefing: (f.namedItem('briefing') as HTMLInputElement).checked,
    });
    saved = [...saved.filter((x) => x.name !== q.name), q].sort((a, b) => a.name.localeCompare(b.name));
    renderSaved();
    setStatus(() => s().savedOk(q.name));
  } catch (err) {
    showError(err);
  }
}

// ---- wiring -------------------------------------------------------------------------------------

els.run.addEventListener('click', () => void run());
els.cancel.addEventListener('click', () => void cancel());
els.every.addEventListener('change', () => {
  clearTimeout(everyTimer);
  if (Number(els.every.value) > 0 && !running) void run();
});
for (const [button, format] of [
  [els.exportCsv, 'csv'],
  [els.exportParquet, 'parquet'],
] as const) {
  button.addEventListener('click', () => {
    button.disabled = true;
    download(editor.text(), format, currentParams())
      .then(
        (rows) => setStatus(() => s().exported(rows === null ? format.toUpperCase() : s().rows(fmt(rows)))),
        showError,
      )
      .finally(() => {
        button.disabled = false;
      });
  });
}
els.tabGrid.addEventListener('click', () => {
  view = 'grid';
  showResult();
});
els.tabChart.addEventListener('click', () => {
  view = 'chart';
  showResult();
});
els.chartKind.addEventListener('change', drawCurrentChart);
new ResizeObserver(() => {
  if (view === 'chart' && els.chartKind.value !== 'map') drawCurrentChart();
}).observe(els.chart);
els.catalogFilter.addEventListener('input', renderCatalog);
els.catalog.addEventListener('click', (e) => {
  const col = (e.target as HTMLElement).closest<HTMLElement>('[data-insert]');
  if (!col) return;
  editor.view.dispatch(editor.view.state.replaceSelection(col.dataset['insert']!));
  editor.view.focus();
});
els.saved.addEventListener('click', (e) => {
  const item = (e.target as HTMLElement).closest<HTMLElement>('[data-saved]');
  const q = saved.find((x) => x.name === item?.dataset['saved']);
  if (!q) return;
  for (const p of q.params) if (p.default !== null) paramValues.set(p.name, String(p.default));
  editor.setText(q.sql);
});
els.saved.addEventListener('contextmenu', (e) => {
  const item = (e.target as HTMLElement).closest<HTMLElement>('[data-saved]');
  if (!item || !confirm(`${s().delete} “${item.dataset['saved']}”?`)) return;
  e.preventDefault();
  deleteQuery(item.dataset['saved']!).then(() => {
    saved = saved.filter((q) => q.name !== item.dataset['saved']);
    renderSaved();
  }, showError);
});
els.history.addEventListener('click', (e) => {
  const item = (e.target as HTMLElement).closest<HTMLElement>('[data-history]');
  const h = history[Number(item?.dataset['history'])];
  if (h) editor.setText(h.sql);
});
els.params.addEventListener('input', (e) => {
  const input = e.target as HTMLInputElement;
  if (input.dataset['param']) paramValues.set(input.dataset['param'], input.value);
});
els.save.addEventListener('click', openSave);
els.saveDialog.addEventListener('close', () => {
  if (els.saveDialog.returnValue === 'save') void submitSave();
});
els.lang.addEventListener('click', () => {
  lang = lang === 'vi' ? 'en' : 'vi';
  saveLang(lang);
  applyLanguage();
  if (view === 'chart') drawCurrentChart();
});
editor.view.dom.addEventListener('keyup', () => {
  renderParams();
  try {
    localStorage.setItem(DRAFT_KEY, editor.text());
  } catch {
    /* the draft is a convenience */
  }
});

applyLanguage();
renderParams();
showResult();
fetchCatalog().then((tables) => {
  catalog = tables;
  editor.setCatalog(tables);
  renderCatalog();
}, showError);
fetchSaved().then((list) => {
  saved = list;
  renderSaved();
}, showError);
