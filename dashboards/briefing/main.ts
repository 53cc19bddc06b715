// The leaders' briefing page: reads ?date=&span=&lang=, fetches GET /api/briefing and renders it; prints to A4.
import '../shared/auth.ts';
import { loadLang, saveLang, type Lang } from '../shared/lang.ts';
import { briefingSchema, DAY_MS, hanoiDate, hanoiDateStart, type Briefing } from '../shared/wire/index.ts';
import { briefingStrings } from './i18n.ts';
import { dateLabel, renderBriefing } from './render.ts';
import { byId as elementById } from '../shared/dom.ts';

const byId = <T extends HTMLElement>(id: string): T => elementById<T>(id, 'briefing');

const els = {
  title: byId('title'),
  subtitle: byId('subtitle'),
  period: byId('period'),
  content: byId('content'),
  foot: byId('foot'),
  simulated: byId('simulated'),
  date: byId<HTMLInputElement>('date'),
  span: byId<HTMLSelectElement>('span'),
  lang: byId<HTMLButtonElement>('lang'),
  pdf: byId<HTMLButtonElement>('pdf'),
};

const params = new URLSearchParams(location.search);
const state = {
  date: /^\d{4}-\d{2}-\d{2}$/.test(params.get('date') ?? '') ? params.get('date')! : hanoiDate(Date.now()),
  span: (params.get('span') === 'week' ? 'week' : 'day') as 'day' | 'week',
  lang: (params.get('lang') === 'en' || params.get('lang') === 'vi' ? params.get('lang') : loadLang()) as Lang,
};
let current: Briefing | null = null;
let request = 0;

/** The permalink is the state: date and span in the address, so a copied link opens the same briefing. */
function syncUrl(): void {
  const q = new URLSearchParams({ date: state.date, span: state.span });
  history.replaceState(null, '', `${location.pathname}?${q}`);
}

function chrome(): void {
  const s = briefingStrings(state.lang);
  document.documentElement.lang = state.lang;
  document.title = `${s.title} · ${state.date}`;
  els.title.textContent = s.title;
  els.subtitle.textContent = s.subtitle;
  els.pdf.textContent = s.pdf;
  els.lang.title = s.switchTo;
  els.lang.dataset['active'] = state.lang;
  els.span.options[0]!.textContent = s.day;
  els.span.options[1]!.textContent = s.week;
  els.date.value = state.date;
  els.span.value = state.span;
  const to = hanoiDate(hanoiDateStart(state.date) + 6 * DAY_MS);
  els.period.textContent =
    state.span === 'day' ? s.periodDay(dateLabel(state.date)) : s.periodWeek(dateLabel(state.date), dateLabel(to));
}

function render(): void {
  chrome();
  const s = briefingStrings(state.lang);
  if (!current) return;
  els.content.innerHTML = renderBriefing(current, state.lang);
  els.simulated.hidden = !current.simulated;
  els.foot.textContent = `${s.generated} ${new Intl.DateTimeFormat(s.locale, { timeZone: 'Asia/Ho_Chi_Minh', dateStyle: 'short', timeStyle: 'short' }).format(Date.parse(current.generatedAt))} · ${s.aqiScale}`;
  document.body.dataset['state'] = current.hasData ? 'ready' : 'empty';
}

async function load(): Promise<void> {
  const mine = ++request;
  syncUrl();
  chrome();
  document.body.dataset['state'] = 'loading';
  els.content.innerHTML = `<p class="muted loading">${briefingStrings(state.lang).loading}</p>`;
  try {
    const res = await fetch(`/api/briefing?date=${state.date}&span=${state.span}&lang=${state.lang}`, {
      headers: { accept: 'application/json' },
    });
    const body: unknown = await res.json();
    if (!res.ok) throw new Error((body as { error?: { message?: string } }).error?.message ?? `HTTP ${res.status}`);
    const parsed = briefingSchema.parse(body);
    if (mine !== request) return;
    current = parsed;
    render();
  } catch (err) {
    if (mine !== request) return;
    current = null;
    document.body.dataset['state'] = 'error';
    const p = document.createElement('p');
    p.className = 'error';
    p.textContent = `${briefingStrings(state.lang).failed}: ${err instanceof Error ? err.message : String(err)}`;
    els.content.replaceChildren(p);
  }
}

els.date.addEventListener('change', () => {
  if (!els.date.value) return;
  state.date = els.date.value;
  void load();
});
els.span.addEventListener('change', () => {
  state.span = els.span.value === 'week' ? 'week' : 'day';
  void load();
});
els.lang.addEventListener('click', () => {
  state.lang = state.lang === 'vi' ? 'en' : 'vi';
  saveLang(state.lang);
  // The narrative is written by the engine in the asked language: fetch it again.
  void load();
});

/** The engine's PDF of this briefing, fetched with the page's token (a plain link would carry none) and saved. */
async function downloadPdf(): Promise<void> {
  const res = await fetch(`/api/briefing/pdf?date=${state.date}&span=${state.span}&lang=${state.lang}`);
  if (!res.ok) throw new Error(`HTTP ${res.status}`);
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = /filename="([^"]+)"/.exec(res.headers.get('content-disposition') ?? '')?.[1] ?? 'briefing.pdf';
  a.click();
  // The download has its bytes once it starts; the address is freed a little later.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
els.pdf.addEventListener('click', () => {
  els.pdf.disabled = true;
  downloadPdf()
    .catch((err: unknown) => {
      els.pdf.title = `${briefingStrings(state.lang).failed}: ${err instanceof Error ? err.message : String(err)}`;
    })
    .finally(() => {
      els.pdf.disabled = false;
    });
});

void load();
