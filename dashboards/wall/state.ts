// What the wall shows and how: the operator's choices (kept across reloads), the pinned card, the live feed's status.
import type { LiveStatus } from '../shared/live.ts';
import type { Indicator } from '../shared/wire/index.ts';
import type { Pinned } from './card.ts';
import { FEEDBACK_SHOWS, type FeedbackShow } from './feedback-heat.ts';
import { HEX_METRICS, type HexMetric } from './hex-bins.ts';
import { loadLang, saveLang, type Lang } from './i18n.ts';
import type { WallStore } from './store.ts';

const SELECTED_KEY = 'ioc.wall.indicator';
const HEX_KEY = 'ioc.wall.hex';
const DISTRICTS_KEY = 'ioc.wall.formerDistricts';
const FEEDBACK_KEY = 'ioc.wall.feedback';

export interface WallState {
  lang: Lang;
  /** The operator's indicator; it may not be in the catalogue (yet). */
  selected: string | null;
  /** The hexagon layer shown over the districts, if any. */
  hexMetric: HexMetric | null;
  /** The citizens' reports drawn as heat, if any: all of the last 24 hours', or those still open. */
  feedback: FeedbackShow | null;
  /** Whether the former districts' outlines are drawn over the wards. */
  districtLines: boolean;
  liveStatus: LiveStatus;
  /** The engine the live feed is on, and the replicas it may move between. */
  engine: string | null;
  engines: readonly string[];
  /** The device or district whose card is open. */
  pinned: Pinned;
  /** Phase of the open alerts' breathing rings, from 0 to 1. */
  pulse: number;
}

export function initialState(): WallState {
  const hex = readStored(HEX_KEY) ?? '';
  const feedback = readStored(FEEDBACK_KEY) ?? '';
  return {
    lang: loadLang(),
    selected: readStored(SELECTED_KEY),
    hexMetric: (HEX_METRICS as readonly string[]).includes(hex) ? (hex as HexMetric) : null,
    districtLines: readStored(DISTRICTS_KEY) === '1',
    feedback: (FEEDBACK_SHOWS as readonly string[]).includes(feedback) ? (feedback as FeedbackShow) : null,
    liveStatus: { type: 'connecting' },
    engine: null,
    engines: [],
    pinned: null,
    pulse: 0,
  };
}

export function chooseIndicator(state: WallState, name: string): void {
  state.selected = name;
  writeStored(SELECTED_KEY, name);
}

/** `value` is a hex metric or 'off'. */
export function chooseHex(state: WallState, value: string): void {
  state.hexMetric = value === 'off' ? null : (value as HexMetric);
  writeStored(HEX_KEY, value);
}

/** `value` is what of the reports to show, or 'off'. */
export function chooseFeedback(state: WallState, value: string): void {
  state.feedback = (FEEDBACK_SHOWS as readonly string[]).includes(value) ? (value as FeedbackShow) : null;
  writeStored(FEEDBACK_KEY, state.feedback ?? 'off');
}

export function chooseDistrictLines(state: WallState, on: boolean): void {
  state.districtLines = on;
  writeStored(DISTRICTS_KEY, on ? '1' : '0');
}

export function toggleLang(state: WallState): void {
  state.lang = state.lang === 'vi' ? 'en' : 'vi';
  saveLang(state.lang);
}

/** The indicator shading the map: the operator's choice while it exists, else the catalogue's first. */
export function currentIndicator(state: WallState, store: WallStore): Indicator | undefined {
  return (state.selected ? store.indicator(state.selected) : undefined) ?? store.catalogue[0];
}

export function areaName(state: WallState, store: WallStore, code: string): string {
  const p = store.areas.find((a) => a.properties.code === code)?.properties;
  if (!p) return code === 'hanoi' ? (state.lang === 'vi' ? 'Hà Nội' : 'Hanoi') : code;
  return state.lang === 'en' && p.nameEn ? p.nameEn : p.name;
}

function readStored(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeStored(key: string, value: string): void {
  try {
    localStorage.setItem(key, value);
  } catch {
    // Remembering the choice is a convenience only.
  }
}
