// The map panel's area tools: a search box that flies to a ward or commune typed with or without diacritics, and the
// switch for the former districts' outlines.
import { AreaSearch, shortName, type SearchHit } from './area-search.ts';
import { escapeHtml } from './format.ts';
import { strings } from './i18n.ts';
import { chooseDistrictLines, type WallState } from './state.ts';
import type { WallStore } from './store.ts';

export interface AreaToolsParts {
  el: HTMLElement;
  state: WallState;
  store: WallStore;
  /** Flies the map to the unit and opens its card. */
  show(code: string): void;
  scheduleRender(): void;
}

export class AreaTools {
  private readonly search = new AreaSearch();
  private indexed = -1;
  private hits: SearchHit[] = [];
  private active = 0;
  private lang = '';

  constructor(private readonly parts: AreaToolsParts) {
    const { el } = parts;
    el.addEventListener('input', (event) => {
      if ((event.target as HTMLElement).id === 'area-search') this.update();
    });
    el.addEventListener('keydown', (event) => {
      if ((event.target as HTMLElement).id !== 'area-search') return;
      if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
        event.preventDefault();
        const n = this.hits.length;
        if (n > 0) this.active = (this.active + (event.key === 'ArrowDown' ? 1 : n - 1)) % n;
        this.renderHits();
      } else if (event.key === 'Enter') {
        event.preventDefault();
        this.pick(this.active);
      } else if (event.key === 'Escape') {
        this.input().value = '';
        this.update();
      }
    });
    el.addEventListener('click', (event) => {
      const item = (event.target as HTMLElement).closest<HTMLElement>('[data-hit]');
      if (item) this.pick(Number(item.dataset['hit']));
    });
    el.addEventListener('change', (event) => {
      const box = event.target as HTMLInputElement;
      if (box.id !== 'district-lines') return;
      chooseDistrictLines(parts.state, box.checked);
      parts.scheduleRender();
    });
  }

  /** Redraws the tools when the language or the areas changed; keeps what the operator is typing. */
  render(): void {
    const { el, state, store } = this.parts;
    if (this.indexed !== store.areasVersion) {
      this.search.index(store.areas, store.districts);
      this.indexed = store.areasVersion;
    }
    if (this.lang === state.lang && el.childElementCount > 0) return;
    this.lang = state.lang;
    const s = strings(state.lang);
    const typed = el.querySelector<HTMLInputElement>('#area-search')?.value ?? '';
    el.innerHTML =
      `<label class="panel-label" for="area-search">${s.findArea}</label>` +
      `<div class="area-search"><input id="area-search" type="search" autocomplete="off" spellcheck="false" ` +
      `placeholder="${escapeHtml(s.findAreaHint)}" aria-controls="area-hits" />` +
      `<ul id="area-hits" class="area-hits" role="listbox" hidden></ul></div>` +
      `<label class="area-toggle"><input id="district-lines" type="checkbox"${state.districtLines ? ' checked' : ''} /> ` +
      `${s.formerDistricts}</label>`;
    this.input().value = typed;
    this.update();
  }

  private input(): HTMLInputElement {
    return this.parts.el.querySelector<HTMLInputElement>('#area-search')!;
  }

  private update(): void {
    this.hits = this.search.find(this.input().value, this.parts.state.lang);
    this.active = 0;
    this.renderHits();
  }

  private renderHits(): void {
    const list = this.parts.el.querySelector<HTMLUListElement>('#area-hits')!;
    const { lang } = this.parts.state;
    const typed = this.input().value.trim() !== '';
    list.hidden = !typed;
    if (this.hits.length === 0) {
      list.innerHTML = typed ? `<li class="area-hit empty">${escapeHtml(strings(lang).noAreaFound)}</li>` : '';
      return;
    }
    list.innerHTML = this.hits
      .map((h, i) => {
        const p = h.feature.properties;
        const name = lang === 'en' && p.nameEn ? p.nameEn : p.name;
        const district = h.district ? `<span class="area-hit-sub">${escapeHtml(h.district)}</span>` : '';
        return `<li class="area-hit" role="option" data-hit="${i}" aria-selected="${i === this.active}" title="${escapeHtml(
          name,
        )}">${escapeHtml(shortName(name))}${district}</li>`;
      })
      .join('');
  }

  private pick(i: number): void {
    const hit = this.hits[i];
    if (!hit) return;
    this.input().value = '';
    this.update();
    this.parts.show(hit.feature.properties.code);
  }
}
