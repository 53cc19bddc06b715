// Live tiles of saved queries promoted to the wall from the console: a headline value, or the first rows, pushed each tick.
import { connectQueries } from '../shared/queries.ts';
import type { TileResult } from '../shared/wire/index.ts';
import type { Lang } from '../shared/lang.ts';
import { escapeHtml, formatValue } from './format.ts';
import './query-tiles.css';

const NUMERIC = /^(TINYINT|SMALLINT|INTEGER|BIGINT|HUGEINT|UTINYINT|USMALLINT|UINTEGER|UBIGINT|FLOAT|DOUBLE|DECIMAL)/;
const SHOWN_ROWS = 5;
const SHOWN_COLUMNS = 3;

function cell(value: unknown, locale: string): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'number') return formatValue(value, locale);
  if (typeof value === 'object') return escapeHtml(JSON.stringify(value));
  return escapeHtml(String(value));
}

function tileHtml(r: TileResult, lang: Lang): string {
  const locale = lang === 'vi' ? 'vi-VN' : 'en-GB';
  const title = escapeHtml(r.title[lang] || r.title.vi || r.title.en || r.name);
  let body: string;
  const numeric = r.columns.map((c, i) => (NUMERIC.test(c.type) ? i : -1)).filter((i) => i >= 0);
  if (r.error) {
    body = `<div class="qt-error">${escapeHtml(r.error)}</div>`;
  } else if (r.rows.length === 1 && numeric.length > 0) {
    // One row: its last number is the headline, like an indicator tile.
    const i = numeric.at(-1)!;
    const label =
      r.columns.length > 1
        ? `<span class="qt-label">${escapeHtml(
            r.columns
              .filter((_, k) => k !== i)
              .map((_, k) => cell(r.rows[0]![k], locale))
              .join(' · '),
          )}</span>`
        : '';
    body = `<div class="qt-value"><span class="num">${cell(r.rows[0]![i], locale)}</span><span class="unit">${escapeHtml(r.unit ?? '')}</span></div>${label}`;
  } else {
    const cols = r.columns.slice(0, SHOWN_COLUMNS);
    body = `<table class="qt-table"><tbody>${r.rows
      .slice(0, SHOWN_ROWS)
      .map(
        (row) =>
          `<tr>${cols.map((c, k) => `<td class="${NUMERIC.test(c.type) ? 'n' : ''}">${cell(row[k], locale)}</td>`).join('')}</tr>`,
      )
      .join('')}</tbody></table>`;
  }
  return `<article class="query-tile" data-query="${escapeHtml(r.name)}"><div class="qt-title">${title}</div>${body}</article>`;
}

/** Adds the tiles' panel to `host` (the map area) and keeps it live; the language follows the page's <html lang>. */
/** Starts the tiles on the page's engine; `moveTo` follows the wall to another replica after a failover. */
export function startQueryTiles(host: HTMLElement): { moveTo(engine: string): void } {
  const panel = document.createElement('section');
  panel.className = 'query-tiles';
  panel.hidden = true;
  host.append(panel);
  const results = new Map<string, TileResult>();
  let order: string[] = [];
  const lang = (): Lang => (document.documentElement.lang === 'en' ? 'en' : 'vi');
  const render = (): void => {
    const shown = order.map((n) => results.get(n)).filter((r): r is TileResult => r !== undefined);
    panel.hidden = shown.length === 0;
    panel.innerHTML = shown.map((r) => tileHtml(r, lang())).join('');
  };
  new MutationObserver(render).observe(document.documentElement, { attributes: true, attributeFilter: ['lang'] });
  const handlers = {
    list(names: string[]) {
      order = names;
      for (const n of results.keys()) if (!names.includes(n)) results.delete(n);
      render();
    },
    result(r: TileResult) {
      results.set(r.name, r);
      if (!order.includes(r.name)) order = [...order, r.name];
      render();
    },
  };
  let on = location.origin;
  let feed = connectQueries(handlers);
  return {
    moveTo(engine) {
      if (engine === on) return;
      feed.close();
      on = engine;
      feed = connectQueries(handlers, engine);
    },
  };
}
