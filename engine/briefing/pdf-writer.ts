// Layout for the briefing's PDF on A4: text in Be Vietnam Pro runs, headings, single-line tables that break across
// pages, and the footer stamped on every page once the page count is known.
import PDFDocument from 'pdfkit';
import { pdfFonts, type Weight } from './pdf-fonts.ts';

export const INK = '#14202e';
export const MUTED = '#5b6b7e';
export const LINE = '#dde3ea';
export const ACCENT = '#0b6bcb';

const MARGIN = { top: 48, bottom: 56, left: 48, right: 48 };
const ROW = 15;

export interface Column {
  title: string;
  width: number;
  align?: 'left' | 'right';
}

/** A cell's text, or text with its own colour and weight (a status, a total). */
export type Cell = string | { text: string; color?: string; bold?: boolean };

interface TextStyle {
  size?: number;
  bold?: boolean;
  color?: string;
}

export class PdfWriter {
  readonly doc: PDFKit.PDFDocument;
  private readonly fonts = pdfFonts();

  constructor(info: { title: string; lang: string; createdAt: Date }) {
    this.doc = new PDFDocument({
      size: 'A4',
      margins: MARGIN,
      bufferPages: true,
      lang: info.lang,
      displayTitle: true,
      // The creation date is the generation time: the same briefing generated at the same instant is the same file.
      info: { Title: info.title, Author: 'IOC Hà Nội', Creator: 'IOC Hà Nội', CreationDate: info.createdAt },
    });
    for (const f of this.fonts.files) this.doc.registerFont(f.name, f.data);
  }

  get width(): number {
    return this.doc.page.width - MARGIN.left - MARGIN.right;
  }

  private get bottom(): number {
    return this.doc.page.height - MARGIN.bottom;
  }

  /** Starts a new page unless `height` still fits on this one. */
  ensure(height: number): void {
    if (this.doc.y + height > this.bottom) this.doc.addPage();
  }

  private readonly widths = new Map<string, number>();

  measure(text: string, style: TextStyle = {}): number {
    const size = style.size ?? 9;
    const key = `${weight(style)}|${size}|${text}`;
    let w = this.widths.get(key);
    if (w === undefined) {
      w = 0;
      for (const r of this.fonts.runs(text, weight(style)))
        w += this.doc.font(r.font).fontSize(size).widthOfString(r.text);
      this.widths.set(key, w);
    }
    return w;
  }

  /**
   * A paragraph wrapped at spaces within the page's width. Lines are laid out here rather than by PDFKit, whose
   * wrapping sees each font run as a word of its own and would break "Cảm" between its subsets.
   */
  paragraph(text: string, style: TextStyle = {}, gap = 4): void {
    const size = style.size ?? 10;
    const lines: string[] = [];
    let current = '';
    for (const word of text.split(/\s+/).filter(Boolean)) {
      const next = current ? `${current} ${word}` : word;
      if (current && this.measure(next, { ...style, size }) > this.width) {
        lines.push(current);
        current = word;
      } else current = next;
    }
    if (current) lines.push(current);
    for (const l of lines) {
      this.ensure(size * 1.4);
      this.line(l, MARGIN.left, this.doc.y, this.width, { ...style, size });
      this.doc.y += size * 1.4;
    }
    this.doc.x = MARGIN.left;
    this.doc.y += gap;
  }

  /** One line at (x, y), cut with an ellipsis to `width`, aligned in it. */
  line(text: string, x: number, y: number, width: number, style: TextStyle & { align?: 'left' | 'right' } = {}): void {
    let t = text;
    if (this.measure(t, style) > width) {
      // The longest start of the text that fits with an ellipsis, by halving.
      const chars = [...text];
      let lo = 0;
      let hi = chars.length - 1;
      while (lo < hi) {
        const mid = Math.ceil((lo + hi) / 2);
        if (this.measure(`${chars.slice(0, mid).join('')}…`, style) <= width) lo = mid;
        else hi = mid - 1;
      }
      t = `${chars.slice(0, Math.max(1, lo)).join('').trimEnd()}…`;
    }
    let cx = style.align === 'right' ? x + width - this.measure(t, style) : x;
    this.doc.fillColor(style.color ?? INK);
    for (const r of this.fonts.runs(t, weight(style))) {
      this.doc
        .font(r.font)
        .fontSize(style.size ?? 9)
        .text(r.text, cx, y, { lineBreak: false });
      cx += this.doc.widthOfString(r.text);
    }
  }

  heading(text: string): void {
    // A heading never ends a page: it keeps its first lines (a table's header and first row) with it.
    this.ensure(80);
    this.doc.y += 10;
    const y = this.doc.y;
    this.line(text, MARGIN.left, y, this.width, { size: 13, bold: true });
    this.doc.y = y + 20;
  }

  note(text: string): void {
    this.paragraph(text, { size: 9, color: MUTED });
  }

  /** A table of one-line cells; the header row is repeated on each page it runs onto. */
  table(columns: readonly Column[], rows: readonly Cell[][]): void {
    const x0 = MARGIN.left;
    const total = columns.reduce((s, c) => s + c.width, 0);
    const scale = total > this.width ? this.width / total : 1;
    const cols = columns.map((c) => ({ ...c, width: c.width * scale }));
    const header = (): void => {
      const y = this.doc.y;
      let x = x0;
      for (const c of cols) {
        this.line(c.title, x + 3, y + 3, c.width - 6, { size: 8, bold: true, color: MUTED, align: c.align });
        x += c.width;
      }
      this.rule(y + ROW, INK);
      this.doc.y = y + ROW + 1;
    };
    this.ensure(ROW * 2 + 2);
    header();
    for (const row of rows) {
      if (this.doc.y + ROW > this.bottom) {
        this.doc.addPage();
        header();
      }
      const y = this.doc.y;
      let x = x0;
      cols.forEach((c, i) => {
        const cell = row[i] ?? '';
        const { text, ...style } = typeof cell === 'string' ? { text: cell } : cell;
        this.line(text, x + 3, y + 3, c.width - 6, { size: 9, align: c.align, ...style });
        x += c.width;
      });
      this.rule(y + ROW, LINE);
      this.doc.y = y + ROW + 1;
    }
    this.doc.x = x0;
    this.doc.y += 4;
  }

  rule(y: number, color: string): void {
    this.doc
      .moveTo(MARGIN.left, y)
      .lineTo(MARGIN.left + this.width, y)
      .lineWidth(0.5)
      .strokeColor(color)
      .stroke();
  }

  /** The footer of every page: `left` and "page i/n" on the right. */
  footers(left: string, page: (i: number, n: number) => string): void {
    const range = this.doc.bufferedPageRange();
    for (let i = range.start; i < range.start + range.count; i++) {
      this.doc.switchToPage(i);
      // Drawing inside the bottom margin would otherwise start a new page.
      const bottom = this.doc.page.margins.bottom;
      this.doc.page.margins.bottom = 0;
      const y = this.doc.page.height - MARGIN.bottom + 22;
      this.rule(y - 6, LINE);
      this.line(left, MARGIN.left, y, this.width - 80, { size: 8, color: MUTED });
      this.line(page(i - range.start + 1, range.count), MARGIN.left + this.width - 80, y, 80, {
        size: 8,
        color: MUTED,
        align: 'right',
      });
      this.doc.page.margins.bottom = bottom;
    }
  }

  async end(): Promise<Uint8Array<ArrayBuffer>> {
    const chunks: Buffer[] = [];
    this.doc.on('data', (c: Buffer) => chunks.push(c));
    const done = new Promise<void>((resolve, reject) => {
      this.doc.on('end', () => resolve());
      this.doc.on('error', reject);
    });
    this.doc.end();
    await done;
    return new Uint8Array(Buffer.concat(chunks));
  }
}

const weight = (s: TextStyle): Weight => (s.bold ? 'bold' : 'regular');
