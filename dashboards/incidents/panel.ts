// The incident room's list: one card per active incident, rebuilt only when that incident changed, so a field being
// typed into on another card keeps its text and focus; every action goes to the engine and comes back as an event.
import type { Lang } from '../shared/lang.ts';
import type { Incident } from '../shared/wire/index.ts';
import { changeIncident, type Change } from './api.ts';
import { h } from './element.ts';
import { roomStrings } from './i18n.ts';
import { clock, incidentCard } from './incident-card.ts';
import type { IncidentRoom } from './room.ts';

/** The clocks move in minutes; a few seconds' lag is invisible. */
const CLOCK_TICK_MS = 5_000;

export interface PanelOptions {
  room: IncidentRoom;
  lang: () => Lang;
  areaName: (code: string) => string;
  readOnly?: boolean;
}

export class IncidentPanel {
  private readonly list: HTMLElement;
  private readonly error: HTMLElement;
  private readonly cards = new Map<string, { key: string; node: HTMLElement; incident: Incident }>();

  constructor(
    readonly el: HTMLElement,
    private readonly options: PanelOptions,
  ) {
    this.list = h('div', { class: 'incident-list' });
    this.error = h('div', { class: 'room-error', role: 'alert', hidden: true });
    el.replaceChildren(this.error, this.list);
    el.addEventListener('click', (event) => this.onClick(event));
    el.addEventListener('change', (event) => this.onStep(event));
    el.addEventListener('submit', (event) => this.onSubmit(event));
    options.room.onChange(() => this.render());
    setInterval(() => this.tick(), CLOCK_TICK_MS);
    this.render();
  }

  /** `rebuild`: the language changed, so every card is made again. */
  render(rebuild = false): void {
    const incidents = this.options.room.active();
    const lang = this.options.lang();
    // A replayed incident is history: nothing can be done to it, and its clocks run at the replayed time.
    const ctx = {
      lang,
      areaName: this.options.areaName,
      readOnly: (this.options.readOnly ?? false) || this.options.room.at !== null,
    };
    const now = this.options.room.at ?? Date.now();
    const seen = new Set<string>();
    const empty = this.list.querySelector('.room-empty');
    if (incidents.length > 0) empty?.remove();
    incidents.forEach((incident, i) => {
      seen.add(incident.id);
      const key = `${lang}|${ctx.readOnly}|${JSON.stringify(incident)}`;
      let card = this.cards.get(incident.id);
      if (!card || card.key !== key || rebuild) {
        const node = incidentCard(incident, ctx, now);
        if (card) {
          keepTyping(card.node, node);
          card.node.replaceWith(node);
        }
        card = { key, node, incident };
        this.cards.set(incident.id, card);
      }
      // Moved only when out of place, so an untouched card keeps the focus of its field.
      const at = this.list.children[i] ?? null;
      if (card.node !== at) this.list.insertBefore(card.node, at);
    });
    for (const [id, card] of this.cards) {
      if (seen.has(id)) continue;
      card.node.remove();
      this.cards.delete(id);
    }
    if (incidents.length === 0) {
      if (empty) empty.textContent = roomStrings(lang).none;
      else this.list.append(h('p', { class: 'room-empty' }, roomStrings(lang).none));
    }
    this.el.dataset['count'] = String(incidents.length);
  }

  private tick(): void {
    const now = this.options.room.at ?? Date.now();
    for (const { node, incident } of this.cards.values()) {
      node.querySelector('.target-clock')?.replaceWith(clock(incident, this.options.lang(), now));
    }
  }

  /** `form`: the form to empty once the engine took the change, found again since the live event may rebuild it. */
  private act(target: HTMLElement, change: Change, form?: string): void {
    const id = target.closest<HTMLElement>('[data-incident]')?.dataset['incident'];
    if (!id) return;
    this.error.hidden = true;
    changeIncident(id, change).then(
      (event) => {
        if (form) this.cards.get(id)?.node.querySelector<HTMLFormElement>(`form[data-form="${form}"]`)?.reset();
        // The live event brings the same; applying the answer too keeps a page without its socket right.
        this.options.room.apply(event);
      },
      (error: unknown) => {
        this.error.textContent = `${roomStrings(this.options.lang()).failed} ${error instanceof Error ? error.message : String(error)}`;
        this.error.hidden = false;
        this.render(true);
      },
    );
  }

  private onClick(event: Event): void {
    const button = (event.target as HTMLElement).closest<HTMLButtonElement>('[data-action]');
    const action = button?.dataset['action'];
    if (!button || (action !== 'acknowledge' && action !== 'escalate')) return;
    button.disabled = true;
    this.act(button, { status: action === 'acknowledge' ? 'acknowledged' : 'escalated' });
  }

  private onStep(event: Event): void {
    const box = event.target as HTMLInputElement;
    const n = Number(box.dataset['step']);
    if (!box.matches('[data-step]') || !Number.isInteger(n)) return;
    box.disabled = true;
    this.act(box, { step: { n, done: box.checked } });
  }

  private onSubmit(event: Event): void {
    const form = event.target as HTMLFormElement;
    const kind = form.dataset['form'];
    if (!kind) return;
    event.preventDefault();
    const value = (name: string): string =>
      (form.elements.namedItem(name) as HTMLInputElement | null)?.value.trim() ?? '';
    switch (kind) {
      case 'assign':
        this.act(form, { assignee: value('assignee') || null }, kind);
        break;
      case 'note':
        if (value('note')) this.act(form, { note: value('note') }, kind);
        break;
      case 'resolve':
        // The form's `required` stops an empty summary; this catches one of spaces only.
        if (value('summary')) this.act(form, { status: 'resolved', summary: value('summary') }, kind);
        break;
    }
  }
}

/** What was typed into a card's fields survives the card being rebuilt for a change made elsewhere. */
function keepTyping(from: HTMLElement, to: HTMLElement): void {
  for (const field of from.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>('input[name], textarea[name]')) {
    const twin = to.querySelector<HTMLInputElement | HTMLTextAreaElement>(`[name="${field.name}"]`);
    if (twin && field.value) twin.value = field.value;
  }
}
