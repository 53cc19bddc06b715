// "Make it a live indicator": the current query becomes a view on the running engine. The dialog writes the view's
// header from its fields, previews the first windows (computed by the sandbox), creates it, and follows its backfill
// until it is live on the wall.
import type { Lang } from '../shared/lang.ts';
import { viewDescriptionSchema, viewPreviewSchema, type ViewPreview } from '../shared/wire/index.ts';
import { escapeHtml } from './format.ts';
import { liveStrings } from './live-strings.ts';

const TABLES = { camera: 'camera_events', sensor: 'sensor_events', service: 'service_events' } as const;
type Source = keyof typeof TABLES;

export interface LiveIndicatorPage {
  button: HTMLButtonElement;
  dialog: HTMLDialogElement;
  form: HTMLFormElement;
  error: HTMLElement;
  preview: HTMLElement;
  progress: HTMLElement;
  previewButton: HTMLButtonElement;
  createButton: HTMLButtonElement;
  /** The editor's text. */
  query: () => string;
  lang: () => Lang;
  locale: () => string;
}

/** The view's SELECT: the query itself when it is written as one, else a start over the table it reads. */
export function selectOf(query: string): { sql: string; source: Source } {
  const source =
    (Object.keys(TABLES) as Source[]).find((s) => new RegExp(`\\b${TABLES[s]}\\b`).test(query)) ?? 'camera';
  if (/\$from\b/.test(query) && /\$to\b/.test(query)) return { sql: query.trim(), source };
  const sql = [
    'SELECT $bucket AS t, $area AS area,',
    '       count(*) AS value,',
    '       count(*) AS n,',
    '       count(*) FILTER (WHERE $late) AS late',
    `FROM ${TABLES[source]}`,
    'WHERE ts >= $from AND ts < $to',
    'GROUP BY $group',
  ].join('\n');
  return { sql, source };
}

/** The view text: a header line per field given (each value on one line), then the SELECT. */
export function viewText(fields: Record<string, string>, sql: string): { text: string; headerLines: number } {
  const keys: [key: string, field: string][] = [
    ['name', 'name'],
    ['title.vi', 'vi'],
    ['title.en', 'en'],
    ['unit', 'unit'],
    ['window', 'window'],
    ['source', 'source'],
    ['theme', 'theme'],
    ['direction', 'direction'],
    ['target', 'target'],
    ['thresholds.warn', 'warn'],
    ['thresholds.alert', 'alert'],
    ['briefing', 'briefing'],
  ];
  const header = keys
    .map(([k, f]) => [k, (fields[f] ?? '').replace(/[\r\n]+/g, ' ').trim()] as const)
    .filter(([, v]) => v !== '')
    .map(([k, v]) => `-- ${k}: ${v}`);
  return { text: `${header.join('\n')}\n${sql.trim()}\n`, headerLines: header.length };
}

export function liveIndicator(page: LiveIndicatorPage): { applyLanguage(): void } {
  const t = () => liveStrings(page.lang());
  let headerLines = 0;
  let following: ReturnType<typeof setTimeout> | undefined;
  const field = (name: string) => page.form.elements.namedItem(name) as HTMLInputElement | HTMLSelectElement;

  function compose(): string {
    const fields: Record<string, string> = {};
    for (const n of ['name', 'vi', 'en', 'unit', 'window', 'source', 'theme', 'direction', 'target', 'warn', 'alert'])
      fields[n] = field(n).value;
    fields['briefing'] = (field('briefing') as HTMLInputElement).checked ? 'true' : '';
    const composed = viewText(fields, field('sql').value);
    headerLines = composed.headerLines;
    return composed.text;
  }

  function showError(message: string | null, line?: number): void {
    page.error.hidden = message === null;
    if (message === null) return;
    const where = line !== undefined && line > headerLines ? `${t().sqlLine(line - headerLines)}: ` : '';
    page.error.textContent = where + message.replace(/^line \d+: /, '');
  }

  async function send(path: string): Promise<unknown> {
    const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: compose() });
    const body = (await res.json().catch(() => null)) as { error?: { message: string; line?: number } } | null;
    if (!res.ok) {
      showError(body?.error?.message ?? `HTTP ${res.status}`, body?.error?.line);
      return null;
    }
    showError(null);
    return body;
  }

  function renderPreview(p: ViewPreview): void {
    const when = (iso: string) =>
      new Date(iso).toLocaleString(page.locale(), {
        timeZone: 'Asia/Ho_Chi_Minh',
        dateStyle: 'short',
        timeStyle: 'short',
      });
    const head = `<div class="note">${escapeHtml(t().previewOf(when(p.from), when(p.to)))}</div>`;
    if (p.rows.length === 0) {
      page.preview.innerHTML = `${head}<div class="note">${escapeHtml(t().noRows)}</div>`;
      return;
    }
    const cell = (v: unknown, i: number) =>
      escapeHtml(v === null ? '∅' : p.columns[i]?.name === 't' ? when(String(v)) : String(v));
    page.preview.innerHTML = `${head}<table><thead><tr>${p.columns.map((c) => `<th>${escapeHtml(c.name)}</th>`).join('')}</tr></thead><tbody>${p.rows
      .slice(0, 200)
      .map((r) => `<tr>${r.map((v, i) => `<td>${cell(v, i)}</td>`).join('')}</tr>`)
      .join('')}</tbody></table>`;
  }

  function follow(name: string): void {
    clearTimeout(following);
    const bar = page.progress.querySelector('progress')!;
    const text = page.progress.querySelector('span')!;
    page.progress.hidden = false;
    const poll = async () => {
      const res = await fetch(`/api/views/${encodeURIComponent(name)}`).catch(() => null);
      const parsed = viewDescriptionSchema.safeParse(await res?.json().catch(() => null));
      if (parsed.success) {
        const d = parsed.data;
        bar.value = d.progress;
        text.textContent =
          d.status === 'live'
            ? t().live(name)
            : d.status === 'failed'
              ? t().failed(d.error ?? '')
              : t().filling(`${Math.round(d.progress * 100)} %`);
        if (d.status === 'live') return;
      }
      following = setTimeout(() => void poll(), 500);
    };
    void poll();
  }

  page.button.addEventListener('click', () => {
    const { sql, source } = selectOf(page.query());
    field('sql').value = sql;
    field('source').value = source;
    page.preview.innerHTML = '';
    page.progress.hidden = true;
    showError(null);
    page.dialog.showModal();
  });
  page.previewButton.addEventListener('click', () => {
    void send('/api/views/preview').then((body) => {
      const parsed = viewPreviewSchema.safeParse(body);
      if (parsed.success) renderPreview(parsed.data);
    });
  });
  page.createButton.addEventListener('click', () => {
    if (!page.form.reportValidity()) return;
    page.createButton.disabled = true;
    void send('/api/views')
      .then((body) => {
        const parsed = viewDescriptionSchema.safeParse(body);
        if (parsed.success) follow(parsed.data.name);
      })
      .finally(() => {
        page.createButton.disabled = false;
      });
  });
  page.dialog.addEventListener('close', () => clearTimeout(following));

  return {
    applyLanguage() {
      const words = t();
      page.button.textContent = words.button;
      for (const el of page.form.querySelectorAll<HTMLElement>('[data-t]')) {
        const key = el.dataset['t'] as keyof typeof words;
        const value = words[key];
        if (typeof value !== 'string') continue;
        if (key === 'hint') el.innerHTML = value;
        else el.textContent = value;
      }
    },
  };
}
