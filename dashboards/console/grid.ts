// The result grid: only the rows in view exist in the DOM, so 100,000 rows scroll as smoothly as 100.
import type { Table } from 'apache-arrow';
import { escapeHtml, formatCell, isNumeric } from './format.ts';

const ROW_HEIGHT = 26;
/** Rows drawn above and below the visible ones, so a fast scroll does not show blank space. */
const OVERSCAN = 12;
const CHAR_PX = 7.6;

export class ResultGrid {
  private table: Table | null = null;
  private readonly head: HTMLDivElement;
  private readonly body: HTMLDivElement;
  private readonly rows: HTMLDivElement;
  private drawn = { first: -1, last: -1 };
  private queued = false;
  private numeric: boolean[] = [];

  constructor(
    private readonly el: HTMLElement,
    private emptyText: string,
  ) {
    this.head = document.createElement('div');
    this.head.className = 'grid-head';
    this.body = document.createElement('div');
    this.body.className = 'grid-body';
    this.rows = document.createElement('div');
    this.rows.className = 'grid-rows';
    this.body.append(this.rows);
    el.addEventListener('scroll', () => this.schedule(), { passive: true });
    new ResizeObserver(() => this.schedule()).observe(el);
    this.setTable(null);
  }

  setEmptyText(text: string): void {
    this.emptyText = text;
    if (!this.table) this.setTable(null);
  }

  setTable(table: Table | null): void {
    this.table = table;
    this.drawn = { first: -1, last: -1 };
    if (!table) {
      this.el.innerHTML = `<div class="grid-empty">${escapeHtml(this.emptyText)}</div>`;
      return;
    }
    const fields = table.schema.fields;
    this.numeric = fields.map((f) => isNumeric(f.type));
    // Column widths from the header and a sample of the rows: fixed, so rows line up without measuring the DOM.
    const sample = Math.min(table.numRows, 200);
    const typeOf = (c: number): string => fields[c]!.metadata.get('duckdb.type') ?? String(fields[c]!.type);
    const widths = fields.map((f, c) => {
      // Header names are bold: a little wider per character than the cells.
      let chars = Math.max(f.name.length * 1.15, typeOf(c).length * 0.8);
      const col = table.getChildAt(c)!;
      for (let r = 0; r < sample; r++) chars = Math.max(chars, formatCell(col.get(r), f).length);
      return Math.round(Math.min(420, Math.max(70, chars * CHAR_PX + 20)));
    });
    const numberWidth = Math.max(48, String(table.numRows).length * CHAR_PX + 20);
    this.el.style.setProperty('--cols', [numberWidth, ...widths].map((w) => `${w}px`).join(' '));
    this.head.innerHTML = `<div class="n">#</div>${fields.map((f, c) => `<div title="${escapeHtml(`${f.name} ${typeOf(c)}`)}">${escapeHtml(f.name)}<small>${escapeHtml(typeOf(c))}</small></div>`).join('')}`;
    this.body.style.height = `${table.numRows * ROW_HEIGHT}px`;
    this.el.replaceChildren(this.head, this.body);
    this.el.scrollTop = 0;
    this.render();
  }

  private schedule(): void {
    if (this.queued) return;
    this.queued = true;
    requestAnimationFrame(() => {
      this.queued = false;
      this.render();
    });
  }

  private render(): void {
    const table = this.table;
    if (!table) return;
    const top = Math.max(0, this.el.scrollTop - this.head.offsetHeight);
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
    const last = Math.min(table.numRows, Math.ceil((top + this.el.clientHeight) / ROW_HEIGHT) + OVERSCAN);
    if (first === this.drawn.first && last === this.drawn.last) return;
    this.drawn = { first, last };
    const fields = table.schema.fields;
    const cols = fields.map((_, c) => table.getChildAt(c)!);
    let html = '';
    for (let r = first; r < last; r++) {
      html += `<div class="row"><div class="n">${r + 1}</div>`;
      for (let c = 0; c < cols.length; c++) {
        const v = cols[c]!.get(r);
        const text = formatCell(v, fields[c]!);
        const cls = v === null || v === undefined ? 'null' : this.numeric[c] ? 'num' : '';
        html += `<div class="${cls}">${escapeHtml(text)}</div>`;
      }
      html += '</div>';
    }
    this.rows.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    this.rows.innerHTML = html;
  }

  /** Rows currently in the DOM (tests use it to show the grid stays virtual). */
  get renderedRows(): number {
    return this.rows.childElementCount;
  }
}
