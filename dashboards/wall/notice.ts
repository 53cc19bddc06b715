// A small, non-blocking error line: one message per failing source, cleared when that source recovers.
import { escapeHtml, formatHanoiTime } from './format.ts';

const MAX_LINES = 3;

export class Notices {
  private readonly messages = new Map<string, { text: string; at: number }>();

  constructor(
    private readonly el: HTMLElement,
    private readonly locale: () => string,
  ) {}

  fail(source: string, text: string): void {
    this.messages.set(source, { text, at: Date.now() });
    this.render();
  }

  ok(source: string): void {
    if (this.messages.delete(source)) this.render();
  }

  render(): void {
    const items = [...this.messages.values()];
    this.el.hidden = items.length === 0;
    // A few lines say enough; a whole failing catalogue must not cover the map.
    const more = items.length > MAX_LINES ? `<div class="notice-line">… +${items.length - MAX_LINES}</div>` : '';
    this.el.innerHTML =
      items
        .slice(0, MAX_LINES)
        .map(
          (m) =>
            `<div class="notice-line">⚠ ${formatHanoiTime(m.at, this.locale(), true)} · ${escapeHtml(m.text)}</div>`,
        )
        .join('') + more;
  }
}
